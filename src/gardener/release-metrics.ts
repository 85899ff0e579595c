// Per seed with shoots: whether its gardenlet configuration is judged by the release that reads it, which
// release, and from where: the gauge behind the dashboard's release table and the page's banner.
import { Gauge } from 'prom-client';
import { METRIC_PREFIX, type Metrics } from '../observability/metrics.js';
import type { ShootLookup } from './services.js';
import { seedRelease, type ProgressInputs } from './migration-progress.js';

/** The `source` label, bounded: where the release came from, not the field's full name. */
export type ReleaseSourceLabel = 'seed' | 'gardener-version' | 'none' | 'invalid';

export function registerSeedReleaseMetrics(metrics: Metrics, shoots: ShootLookup, inputs: ProgressInputs): void {
  new Gauge({
    name: `${METRIC_PREFIX}seed_release_aware`,
    help: "Per seed with shoots: 1 when its gardenlet configuration is judged by a known gardenlet release (label release, learned from the seed's status or --gardener-version), 0 when none is known.",
    labelNames: ['seed', 'release', 'source'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      if (!shoots.synced()) return;
      for (const seed of shoots.seeds()) {
        const r = seedRelease(seed, { shoots, ...inputs });
        const source: ReleaseSourceLabel = r.invalid
          ? 'invalid'
          : !r.releaseAware
            ? 'none'
            : r.source === '--gardener-version'
              ? 'gardener-version'
              : 'seed';
        this.set({ seed, release: r.version ?? '', source }, r.releaseAware ? 1 : 0);
      }
    },
  });
}
