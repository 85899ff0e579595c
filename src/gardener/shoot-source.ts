// Where the gardenlet-config webhook's shoots come from: a snapshot file or the garden cluster.
import type { Services } from '../config/services.js';
import type { Logger } from '../observability/logger.js';
import type { ReadinessCheck } from '../server/probes.js';

export interface ShootSourceOptions {
  shootsFile?: string;
  gardenKubeconfig?: string;
  logger: Logger;
}

export interface ShootSource {
  services: Services;
  readiness: ReadinessCheck[];
  stop(): void;
}

/** Placeholder until the shoot index lands: no shoots known. */
export async function openShootSource(_options: ShootSourceOptions): Promise<ShootSource> {
  return { services: {}, readiness: [], stop: () => undefined };
}
