// What every shoot source gives the server and the CLI, and the empty source. Apart from
// shoot-source.ts so that the garden source can build on it without importing its own opener.
import type { Services } from './services.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import type { SeedSummary } from './seed-index.js';
import type { InformerTuning } from './shoot-informer.js';

export interface ShootSourceOptions {
  shootsFile?: string;
  /** Seeds (their gardenlet releases) read from a file (--seeds), instead of the garden cluster's. */
  seeds?: SeedSummary[];
  /** The file the seeds were read from, for the status page. */
  seedsFile?: string;
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
  /** Where the index stands now, for the status page. */
  state(): { source: string | null; lastSyncAt?: number; watching?: boolean; seedSource?: string };
  stop(): void;
}

export const READINESS_CHECK = 'shoot-index-synced';

/** The mutating webhooks need no shoots; the gardenlet-config webhook refuses what it cannot check. */
export function noShootSource(logger: Logger): ShootSource {
  logger.warn('no shoot source (--shoots, --garden-kubeconfig or in-cluster config): gardenlet configuration turning a gate on is refused');
  return { services: {}, readiness: [], state: () => ({ source: null }), stop: () => undefined };
}
