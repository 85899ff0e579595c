// Where the gardenlet-config webhook's shoots come from: a snapshot file, or the garden cluster (a
// kubeconfig, or in-cluster config when allowed), watched by an informer or listed once.
import { InputError } from '../util/input-error.js';
import { GATE_CONSTRAINTS } from './removal-gates.js';
import { SeedIndex } from './seed-index.js';
import { loadShootFile } from './shoot-file.js';
import { ShootIndex } from './shoot-index.js';
import { noShootSource, type ShootSource, type ShootSourceOptions } from './shoot-source-contract.js';

export type { ShootSource, ShootSourceOptions } from './shoot-source-contract.js';

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
    const loadedAt = Date.now();
    const file = options.shootsFile;
    const seeds = options.seeds ? SeedIndex.of(options.seeds) : undefined;
    return {
      services: { shoots: index, seeds },
      readiness: [],
      origin: file,
      state: () => ({ source: file, lastSyncAt: loadedAt, ...(seeds ? { seedSource: options.seedsFile ?? 'seed snapshot' } : {}) }),
      stop: () => undefined,
    };
  }
  if (options.seeds && options.gardenKubeconfig)
    throw new InputError('give either --seeds or --garden-kubeconfig, not both (the garden cluster has the seeds)');
  if (options.seeds) {
    const seedSource = options.seedsFile ?? 'seed snapshot';
    return { ...noShootSource(logger), services: { seeds: SeedIndex.of(options.seeds) }, state: () => ({ source: null, seedSource }) };
  }
  if (!options.gardenKubeconfig && !(options.inCluster && process.env.KUBERNETES_SERVICE_HOST)) return noShootSource(logger);
  // The Kubernetes client is loaded only when the garden cluster is the source: it costs seconds of
  // start-up and tens of megabytes that the mutating webhooks alone never need.
  const { openGardenShootSource } = await import('./garden-shoot-source.js');
  return openGardenShootSource(options);
}
