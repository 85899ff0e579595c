// The garden cluster's Seeds, followed by client-node's ListWatch and reduced on arrival to name and
// gardenlet release, so neither the informer's cache nor the index holds a whole Seed. List and watch go
// through the cluster's connection pool; the watch is the project's bounded watch (reducing-watch.ts),
// so a watch that goes silent is restarted from its resourceVersion. A failed list or watch is retried
// with backoff; until the first list the index is not synced and the gardenlet-config webhook says its
// answers are not release-aware where a seed's release was needed.
import * as k8s from '@kubernetes/client-node';
import type { Logger } from '../observability/logger.js';
import type { WatchTuning } from './bounded-watch.js';
import { SEEDS_PATH, describeApiError, listSeeds } from './garden-client.js';
import { pooledKubeConfig, type PooledKubeConfig } from './pooled-kube-config.js';
import { ReducingWatch } from './reducing-watch.js';
import { summarizeSeed, type SeedIndex, type SeedSummary } from './seed-index.js';

type CachedSeed = k8s.KubernetesObject & { seed: SeedSummary };

/** A watch that lasted this long was healthy: the next failure starts the backoff afresh. */
const HEALTHY_WATCH_MS = 10_000;

export interface SeedInformerOptions {
  kubeConfig: k8s.KubeConfig;
  index: SeedIndex;
  logger: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Server-side timeout and silence bound of each watch (defaults: bounded-watch.ts). */
  watch?: Partial<WatchTuning>;
}

export class SeedInformer {
  private readonly informer: k8s.ListWatch<CachedSeed>;
  /** The list and the watch share the cluster's connection pool. */
  private readonly kubeConfig: PooledKubeConfig;
  private stopped = false;
  private backoffMs: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: SeedInformerOptions) {
    this.backoffMs = options.initialBackoffMs ?? 500;
    this.kubeConfig = pooledKubeConfig(options.kubeConfig);
    const { index } = options;
    const watch = new ReducingWatch<CachedSeed>(this.kubeConfig, options.watch ?? {}, {
      reduce: (object, resourceVersion) => {
        const seed = summarizeSeed(object);
        return seed && cached(seed, resourceVersion);
      },
      closed: (openedAt) => {
        if (Date.now() - openedAt >= HEALTHY_WATCH_MS) this.backoffMs = options.initialBackoffMs ?? 500;
      },
    });
    this.informer = new k8s.ListWatch<CachedSeed>(SEEDS_PATH, watch, () => this.list(), false);
    this.informer.on(k8s.ADD, (object) => index.upsert(object.seed));
    this.informer.on(k8s.UPDATE, (object) => index.upsert(object.seed));
    this.informer.on(k8s.DELETE, (object) => index.remove(object.seed.name));
    this.informer.on(k8s.ERROR, (err) => this.failed(err));
  }

  start(): void {
    this.informer.start().catch((err: unknown) => this.failed(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.informer.stop();
  }

  private async list(): Promise<k8s.KubernetesListObject<CachedSeed>> {
    const { resourceVersion, seeds } = await listSeeds(this.kubeConfig);
    this.options.index.replaceAll(seeds);
    this.backoffMs = this.options.initialBackoffMs ?? 500;
    return { metadata: { resourceVersion }, items: seeds.map((seed) => cached(seed)) };
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    this.options.logger.warn({ err: describeApiError(err), retryInMs: this.backoffMs }, 'seed list/watch failed; retrying');
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 60_000);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), wait);
    this.timer.unref();
  }
}

function cached(seed: SeedSummary, resourceVersion?: string): CachedSeed {
  return { metadata: { name: seed.name, resourceVersion }, seed };
}
