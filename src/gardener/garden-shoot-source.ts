// Shoots from the garden cluster: watched by an informer (the server) or listed once (the CLI).
// Kept apart from shoot-source.ts so that the Kubernetes client loads only when it is needed.
import { UsageError } from '../cli/errors.js';
import { GATE_CONSTRAINTS } from '../../webhooks/gardenlet-config/gates.js';
import { describeApiError, gardenKubeConfig, listShoots } from './garden-client.js';
import { registerShootIndexMetrics } from './index-metrics.js';
import { ShootIndex } from './shoot-index.js';
import { ShootInformer } from './shoot-informer.js';
import { READINESS_CHECK, noShootSource, type ShootSource, type ShootSourceOptions } from './shoot-source.js';

export async function openGardenShootSource(options: ShootSourceOptions): Promise<ShootSource> {
  const { logger } = options;
  const kc = gardenKubeConfig(options.gardenKubeconfig, options.inCluster ?? false);
  if (!kc) return noShootSource(logger);
  if (options.watch === false) {
    let page;
    try {
      page = await listShoots(kc, GATE_CONSTRAINTS);
    } catch (err) {
      throw new UsageError(`cannot list shoots in the garden cluster: ${describeApiError(err)}`);
    }
    const listedAt = Date.now();
    return {
      services: { shoots: ShootIndex.of(page.shoots) },
      readiness: [],
      origin: 'garden cluster',
      state: () => ({ source: 'garden cluster', lastSyncAt: listedAt }),
      stop: () => undefined,
    };
  }
  const index = new ShootIndex();
  // The gauges read the informer, which reports into the counters registered with them.
  const holder: { informer?: ShootInformer } = {};
  const events = options.metrics ? registerShootIndexMetrics(options.metrics, index, () => holder.informer) : undefined;
  const informer = (holder.informer = new ShootInformer({ kubeConfig: kc, index, constraintTypes: GATE_CONSTRAINTS, logger, tuning: options.tuning, events }));
  informer.start();
  return {
    services: { shoots: index },
    readiness: [{ name: READINESS_CHECK, ready: () => index.synced() }],
    origin: 'garden cluster',
    state: () => ({ source: 'garden cluster', lastSyncAt: informer.lastListAt, watching: informer.watching }),
    stop: () => void informer.stop(),
  };
}
