// The shoot webhook registration as one runnable: a leader-elected controller. Embeddable in any
// process (every replica campaigns; only the lease holder reconciles), and what `register` runs.
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import { readCaBundle } from '../certs/ca-bundle.js';
import { ShootWebhookController, type ControllerOptions, type ControllerSnapshot } from './controller.js';
import { DEFAULT_LEASE_NAME } from './defaults.js';
import { LeaderElector } from './leader-election.js';
import { RegistrationMetrics } from './metrics.js';
import { SeedClient } from './seed-client.js';

export interface RegistrationOptions extends Omit<ControllerOptions, 'metrics'> {
  registry: Registry;
  /** Without a lease namespace every process writes: only for a single replica or tests. */
  leaderElection?: {
    namespace: string;
    name?: string;
    identity?: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
  logger: Logger;
}

export interface RunningRegistration {
  /** True while this replica is the writer with synced caches, or a standby (standbys are healthy). */
  ready(): boolean;
  isLeader(): boolean;
  /** The running controller's state; undefined while this replica does not lead or has not started. */
  snapshot(): ControllerSnapshot | undefined;
  stop(): Promise<void>;
}

export async function startRegistration(options: RegistrationOptions): Promise<RunningRegistration> {
  readCaBundle(options.caFile); // fail fast on an unusable bundle, before campaigning
  const metrics = new RegistrationMetrics(options.registry);
  let controller: ShootWebhookController | undefined;
  let active = false;
  // Starting fails only on an unusable CA bundle; keep trying while we lead, so a fixed file is picked up.
  const keepStarting = async (): Promise<void> => {
    for (let attempt = 0; active; attempt++) {
      const candidate = new ShootWebhookController({ ...options, metrics });
      controller = candidate;
      try {
        await candidate.start();
        if (!active) await candidate.stop(); // lost the lease while syncing
        return;
      } catch (err) {
        await candidate.stop();
        const retryInMs = Math.min(1000 * 2 ** attempt, 60_000);
        options.logger.error({ err: (err as Error).message, retryInMs }, 'shoot webhook registration could not start');
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
    }
  };
  const begin = (): Promise<void> => {
    active = true;
    metrics.leader.set(1);
    return keepStarting();
  };
  const end = async (): Promise<void> => {
    active = false;
    metrics.leader.set(0);
    await controller?.stop();
    controller = undefined;
  };

  if (!options.leaderElection) {
    await begin();
    return { ready: () => controller?.ready() ?? false, isLeader: () => true, snapshot: () => controller?.snapshot(), stop: end };
  }
  const elector = new LeaderElector({
    client: new SeedClient(options.cluster),
    name: DEFAULT_LEASE_NAME,
    ...options.leaderElection,
    logger: options.logger,
    // Not awaited: the elector must be able to stop us while the caches still sync.
    onStartedLeading: () => void begin(),
    onStoppedLeading: end,
  });
  metrics.leader.set(0);
  elector.start();
  return {
    ready: () => !elector.isLeader() || (controller?.ready() ?? false),
    isLeader: () => elector.isLeader(),
    snapshot: () => (elector.isLeader() ? controller?.snapshot() : undefined),
    stop: () => elector.stop(),
  };
}
