// Shoots from the garden cluster: watched by an informer (the server) or listed once (the CLI).
// Kept apart from shoot-source.ts so that the Kubernetes client loads only when it is needed.
import { InputError } from '../util/input-error.js';
import { GATE_CONSTRAINTS } from './removal-gates.js';
import { describeApiError, gardenKubeConfig, listSeeds, listShoots } from './garden-client.js';
import { SeedIndex } from './seed-index.js';
import { SeedInformer } from './seed-informer.js';
import { registerShootIndexMetrics } from './index-metrics.js';
import { ShootIndex } from './shoot-index.js';
import { ShootInformer } from './shoot-informer.js';
import { READINESS_CHECK, noShootSource, type ShootSource, type ShootSourceOptions } from './shoot-source-contract.js';

export async function openGardenShootSource(options: ShootSourceOptions): Promise<ShootSource> {
  const { logger } = options;
  const kc = gardenKubeConfig(options.gardenKubeconfig, options.inCluster ?? false);
  if (!kc) return noShootSource(logger);
  if (options.watch === false) {
    let page;
    try {
      page = await listShoots(kc, GATE_CONSTRAINTS);
    } catch (err) {
      throw new InputError(`cannot list shoots in the garden cluster: ${describeApiError(err)}`);
    }
    const listedAt = Date.now();
    // Seeds only tell which gardenlet release runs where: without them (an older ClusterRole), answers
    // say they were not release-aware instead of failing.
    const seeds = await listSeeds(kc).then(
      (list) => SeedIndex.of(list.seeds),
      () => undefined,
    );
    return {
      services: { shoots: ShootIndex.of(page.shoots), seeds },
      readiness: [],
      origin: 'garden cluster',
      state: () => ({ source: 'garden cluster', lastSyncAt: listedAt, ...(seeds ? { seedSource: 'garden cluster' } : {}) }),
      stop: () => undefined,
    };
  }
  const index = new ShootIndex();
  // The gauges read the informer, which reports into the counters registered with them.
  const holder: { informer?: ShootInformer } = {};
  const events = options.metrics ? registerShootIndexMetrics(options.metrics, index, () => holder.informer) : undefined;
  const informer = (holder.informer = new ShootInformer({
    kubeConfig: kc,
    index,
    constraintTypes: GATE_CONSTRAINTS,
    logger,
    tuning: options.tuning,
    events,
  }));
  informer.start();
  const seeds = new SeedIndex();
  const seedInformer = new SeedInformer({ kubeConfig: kc, index: seeds, logger });
  seedInformer.start();
  return {
    services: { shoots: index, seeds },
    readiness: [{ name: READINESS_CHECK, ready: () => index.synced() }],
    origin: 'garden cluster',
    state: () => ({ source: 'garden cluster', lastSyncAt: informer.lastListAt, watching: informer.watching, seedSource: 'garden cluster' }),
    stop: () => {
      void informer.stop();
      void seedInformer.stop();
    },
  };
}
