// Where the gardenlet-config webhook's shoots come from: a snapshot file, or the garden cluster (a
// kubeconfig, or in-cluster config when allowed), watched by an informer or listed once.
import type { Services } from '../config/services.js';
import { InputError } from '../util/input-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import { GATE_CONSTRAINTS } from './removal-gates.js';
import { SeedIndex, type SeedSummary } from './seed-index.js';
import { loadShootFile } from './shoot-file.js';
import { ShootIndex } from './shoot-index.js';
import type { InformerTuning } from './shoot-informer.js';

export interface ShootSourceOptions {
  shootsFile?: string;
  /** Seeds (their gardenlet releases) read from a file (--seeds), instead of the garden cluster's. */
  seeds?: SeedSummary[];
  gardenKubeconfig?: string;
  /** With neither file nor kubeconfig, use the pod's service account when KUBERNETES_SERVICE_HOST is set. */
  inCluster?: boolean;
  /** false: list the garden cluster once and return a synced index (the CLI); default: watch (the server). */
  watch?: boolean;
  metrics?: Metrics;
  logger: Logger;
  tuning?: Partial<InformerTuning>;
}

export interface ShootSource {
  services: Services;
  readiness: ReadinessCheck[];
  /** Where the shoots come from, for messages: the file, "garden cluster", or undefined for none. */
  origin?: string;
  stop(): void;
}

export const READINESS_CHECK = 'shoot-index-synced';

export async function openShootSource(options: ShootSourceOptions): Promise<ShootSource> {
  const { logger } = options;
  if (options.shootsFile && options.gardenKubeconfig) throw new InputError('give either --shoots or --garden-kubeconfig, not both');
  if (options.shootsFile) {
    const index = ShootIndex.of(loadShootFile(options.shootsFile, GATE_CONSTRAINTS));
    if (options.metrics) {
      // Metrics exist only in the server; the CLI's commands need not load prom-client.
      const { registerShootIndexMetrics } = await import('./index-metrics.js');
      registerShootIndexMetrics(options.metrics, index);
    }
    logger.info({ shoots: index.size, file: options.shootsFile }, 'shoot index loaded from file');
    const seeds = options.seeds ? SeedIndex.of(options.seeds) : undefined;
    return { services: { shoots: index, seeds }, readiness: [], origin: options.shootsFile, stop: () => undefined };
  }
  if (options.seeds && options.gardenKubeconfig) throw new InputError('give either --seeds or --garden-kubeconfig, not both (the garden cluster has the seeds)');
  if (options.seeds) return { ...noShootSource(logger), services: { seeds: SeedIndex.of(options.seeds) } };
  if (!options.gardenKubeconfig && !(options.inCluster && process.env.KUBERNETES_SERVICE_HOST)) return noShootSource(logger);
  // The Kubernetes client is loaded only when the garden cluster is the source: it costs seconds of
  // start-up and tens of megabytes that the mutating webhooks alone never need.
  const { openGardenShootSource } = await import('./garden-shoot-source.js');
  return openGardenShootSource(options);
}

/** The mutating webhooks need no shoots; the gardenlet-config webhook refuses what it cannot check. */
export function noShootSource(logger: Logger): ShootSource {
  logger.warn('no shoot source (--shoots, --garden-kubeconfig or in-cluster config): gardenlet configuration turning a gate on is refused');
  return { services: {}, readiness: [], stop: () => undefined };
}
