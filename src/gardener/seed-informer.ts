// The garden cluster's Seeds, followed by client-node's ListWatch and reduced on arrival to name and
// gardenlet release, so neither the informer's cache nor the index holds a whole Seed. A failed list or
// watch is retried with backoff; until the first list the index is not synced and the gardenlet-config
// webhook says its answers are not release-aware where a seed's release was needed.
import * as k8s from '@kubernetes/client-node';
import type { Logger } from '../observability/logger.js';
import { SEEDS_PATH, describeApiError, listSeeds } from './garden-client.js';
import { summarizeSeed, type SeedIndex, type SeedSummary } from './seed-index.js';

type CachedSeed = k8s.KubernetesObject & { seed: SeedSummary };

export interface SeedInformerOptions {
  kubeConfig: k8s.KubeConfig;
  index: SeedIndex;
  logger: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class SeedInformer {
  private readonly informer: k8s.ListWatch<CachedSeed>;
  private stopped = false;
  private backoffMs: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: SeedInformerOptions) {
    this.backoffMs = options.initialBackoffMs ?? 500;
    const { index } = options;
    this.informer = new k8s.ListWatch<CachedSeed>(SEEDS_PATH, new SummarizingSeedWatch(options.kubeConfig), () => this.list(), false);
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
    const { resourceVersion, seeds } = await listSeeds(this.options.kubeConfig);
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

/** client-node's Watch, reducing every Seed event before the ListWatch caches it. */
class SummarizingSeedWatch extends k8s.Watch {
  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, object) => {
        if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return callback(phase, object);
        const seed = summarizeSeed(object);
        const resourceVersion = (object as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
        if (seed) callback(phase, cached(seed, resourceVersion));
      },
      done,
    );
  }
}

function cached(seed: SeedSummary, resourceVersion?: string): CachedSeed {
  return { metadata: { name: seed.name, resourceVersion }, seed };
}
