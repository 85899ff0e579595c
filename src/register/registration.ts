// The shoot webhook registration as one runnable: a leader-elected controller. Embeddable in any
// process (every replica campaigns; only the lease holder reconciles), and what `register` runs.
import type { Registry } from 'prom-client';
import type { ClusterAccess } from '../gardener/cluster-access.js';
import type { Logger } from '../observability/logger.js';
import { readCaBundle } from '../certs/ca-bundle.js';
import { ShootWebhookController, type ControllerOptions, type ControllerSnapshot } from './controller.js';
import { DEFAULT_LEASE_NAME } from './defaults.js';
import { LeaderElector } from './leader-election.js';
import { RegistrationMetrics } from './metrics.js';
import { RolloutMetrics } from '../rollout/metrics.js';
import type { Clock } from '../rollout/rollout-state.js';
import type { RolloutSnapshot } from '../rollout/rollout-snapshot.js';
import type { WavesConfig } from '../rollout/waves-config.js';
import { RolloutController } from './rollout-controller.js';
import type { ShootMoving } from './rollout-mover.js';
import { SeedClient } from './seed-client.js';

/** The rollout in waves, run by the leader beside the registration (`register --waves`). */
export interface RolloutOptions {
  config: WavesConfig;
  /** Builds the shoot mover each time this replica starts leading, on the leader's seed client. */
  mover: (context: { seed: SeedClient; logger: Logger; clock?: Clock }) => ShootMoving;
  stepIntervalMs?: number;
  eventDelayMs?: number;
  clock?: Clock;
  /** The garden cluster, whose Shoot conditions are added to the health. */
  garden?: ClusterAccess;
}

export interface RegistrationOptions extends Omit<ControllerOptions, 'metrics' | 'rollout'> {
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
  rollout?: RolloutOptions;
}

export interface RunningRegistration {
  /** True while this replica is the writer with synced caches, or a standby (standbys are healthy). */
  ready(): boolean;
  isLeader(): boolean;
  /** The running controller's state; undefined while this replica does not lead or has not started. */
  snapshot(): ControllerSnapshot | undefined;
  /** The rollout's last step; undefined without a rollout, while not leading, or before the first step. */
  rolloutSnapshot(): RolloutSnapshot | undefined;
  stop(): Promise<void>;
}

export async function startRegistration(options: RegistrationOptions): Promise<RunningRegistration> {
  readCaBundle(options.caFile); // fail fast on an unusable bundle, before campaigning
  const metrics = new RegistrationMetrics(options.registry);
  const rolloutMetrics = options.rollout ? new RolloutMetrics(options.registry) : undefined;
  let controller: ShootWebhookController | undefined;
  let rollout: RolloutController | undefined;
  let active = false;
  // Every write of the rollout checks this first; set to the elector's answer once there is one.
  let leading = (): boolean => active;
  // Starting fails only on an unusable CA bundle; keep trying while we lead, so a fixed file is picked up.
  const keepStarting = async (): Promise<void> => {
    for (let attempt = 0; active; attempt++) {
      const candidateRollout = options.rollout
        ? newRollout(options, options.rollout, rolloutMetrics!, () => active && leading())
        : undefined;
      const { rollout: _rolloutOptions, ...controllerOptions } = options;
      const candidate = new ShootWebhookController({
        ...controllerOptions,
        metrics,
        ...(candidateRollout
          ? { rollout: { heldOnShoot: (ns: string) => candidateRollout.heldOnShoot(ns), changed: () => candidateRollout.changed() } }
          : {}),
      });
      controller = candidate;
      rollout = candidateRollout;
      try {
        // The rollout's caches first: the registration renders holds on Shoots from its Clusters.
        await candidateRollout?.sync();
        await candidate.start();
        candidateRollout?.start(candidate);
        if (!active) {
          await candidateRollout?.stop(); // lost the lease while syncing
          await candidate.stop();
        }
        return;
      } catch (err) {
        await candidateRollout?.stop();
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
    // The rollout first: no step of it may write once the registration has stopped.
    await rollout?.stop();
    rollout = undefined;
    rolloutMetrics?.clear();
    await controller?.stop();
    controller = undefined;
  };

  if (!options.leaderElection) {
    await begin();
    return {
      ready: () => controller?.ready() ?? false,
      isLeader: () => true,
      snapshot: () => controller?.snapshot(),
      rolloutSnapshot: () => rollout?.snapshot(),
      stop: end,
    };
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
  leading = () => elector.isLeader();
  metrics.leader.set(0);
  elector.start();
  return {
    ready: () => !elector.isLeader() || (controller?.ready() ?? false),
    isLeader: () => elector.isLeader(),
    snapshot: () => (elector.isLeader() ? controller?.snapshot() : undefined),
    rolloutSnapshot: () => (elector.isLeader() ? rollout?.snapshot() : undefined),
    stop: () => elector.stop(),
  };
}

function newRollout(
  options: RegistrationOptions,
  rollout: RolloutOptions,
  metrics: RolloutMetrics,
  isLeader: () => boolean,
): RolloutController {
  const seed = new SeedClient(options.cluster);
  return new RolloutController({
    cluster: options.cluster,
    config: rollout.config,
    mover: rollout.mover({ seed, logger: options.logger, ...(rollout.clock ? { clock: rollout.clock } : {}) }),
    settings: options.settings,
    namespace: options.settings.serviceNamespace,
    metrics,
    logger: options.logger,
    isLeader,
    ...(options.leaderElection?.identity ? { identity: options.leaderElection.identity } : {}),
    ...(rollout.clock ? { clock: rollout.clock } : {}),
    ...(rollout.garden ? { garden: rollout.garden } : {}),
    ...(rollout.stepIntervalMs ? { stepIntervalMs: rollout.stepIntervalMs } : {}),
    ...(rollout.eventDelayMs !== undefined ? { eventDelayMs: rollout.eventDelayMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.watch ? { watch: options.watch } : {}),
  });
}
