// The live seed preflight for `serve`: from --seed-kubeconfig to the `ingress` service the
// apiserver-proxy webhook consults. Without the flag there is no service and the webhook does not wait for one.
import type { Services } from '../gardener/services.js';
import { PHASES, type MigrationSettings } from '../gardener/settings.js';
import type { Logger } from '../observability/logger.js';
import { PreflightInputError } from './errors.js';
import { phaseTraffic } from './phase-traffic.js';

export interface SeedSource {
  services: Services;
  stop(): void;
}

export interface SeedSourceOptions {
  seedKubeconfig?: string;
  settings: MigrationSettings;
  logger: Logger;
  refreshMs?: number;
}

export async function openSeedIngress(options: SeedSourceOptions): Promise<SeedSource> {
  if (!options.seedKubeconfig) return { services: {}, stop: () => undefined };
  // Loaded only when needed: the Kubernetes client is the heaviest module at start-up.
  const { SeedIngressReadiness, loadSeedKubeConfig } = await import('./live.js');
  let kubeConfig;
  try {
    kubeConfig = loadSeedKubeConfig(options.seedKubeconfig);
  } catch (err) {
    throw new PreflightInputError(`cannot load ${options.seedKubeconfig}: ${(err as Error).message}`);
  }
  const ingress = new SeedIngressReadiness({
    kubeConfig,
    traffic: phaseTraffic(options.settings),
    // A shoot's webhook path may name its own target (the rollout's waves): the seed is judged for each phase.
    otherTraffic: PHASES.filter((phase) => phase !== options.settings.phase).map((phase) => phaseTraffic({ ...options.settings, phase })),
    logger: options.logger,
    refreshMs: options.refreshMs,
  });
  ingress.start();
  return { services: { ingress }, stop: () => ingress.stop() };
}
