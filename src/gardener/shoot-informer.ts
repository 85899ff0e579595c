// The garden cluster's shoots, kept current by client-node's informer (ListWatch). Objects are reduced
// to summaries as they arrive (list pages and watch events alike), like client-go's informer
// transforms, so neither the informer's cache nor the index ever holds a full Shoot. List and watch go
// through the cluster's connection pool; the watch is the project's bounded watch (reducing-watch.ts).
import * as k8s from '@kubernetes/client-node';
import type { ShootSummary } from './services.js';
import type { Logger } from '../observability/logger.js';
import type { WatchTuning } from './bounded-watch.js';
import { SHOOTS_PATH, describeApiError, listShoots } from './garden-client.js';
import { pooledKubeConfig, type PooledKubeConfig } from './pooled-kube-config.js';
import { ReducingWatch } from './reducing-watch.js';
import type { ShootIndex } from './shoot-index.js';
import { isSummary, summarizeShoot } from './shoot-summary.js';

export interface InformerTuning {
  /** First wait after a failure; doubled on each further failure up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A watch that ends sooner than this after opening counts as a failure (a server dropping watches at once). */
  healthyWatchMs: number;
  pageSize: number;
  /** Server-side timeout and silence bound of each watch (defaults: bounded-watch.ts). */
  watch: Partial<WatchTuning>;
}

const DEFAULT_TUNING: InformerTuning = { initialBackoffMs: 500, maxBackoffMs: 30_000, healthyWatchMs: 10_000, pageSize: 500, watch: {} };

/** What the informer's cache holds per shoot: the identity it needs, and the summary. */
type CachedShoot = k8s.KubernetesObject & { summary: ShootSummary };

/** Counters the informer reports into (metrics, tests). */
export interface InformerEvents {
  relisted?(): void;
  failed?(): void;
}

export interface ShootInformerOptions {
  kubeConfig: k8s.KubeConfig;
  index: ShootIndex;
  constraintTypes: ReadonlySet<string>;
  logger: Logger;
  tuning?: Partial<InformerTuning>;
  events?: InformerEvents;
}

export class ShootInformer {
  private readonly informer: k8s.ListWatch<CachedShoot>;
  private readonly tuning: InformerTuning;
  /** The list and the watch share the cluster's connection pool. */
  private readonly kubeConfig: PooledKubeConfig;
  private stopped = false;
  /** The last list or watch failed: wait before the next one. */
  private slowDown = false;
  private backoffMs: number;
  private wakeUp?: () => void;
  private listed = false;
  /** True while a watch is open, i.e. the index follows the garden cluster. */
  watching = false;
  /** Since when the index may lag the garden cluster (start, or the last watch that closed). */
  laggingSince: number = Date.now();
  lastListAt?: number;

  constructor(private readonly options: ShootInformerOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.backoffMs = this.tuning.initialBackoffMs;
    this.kubeConfig = pooledKubeConfig(options.kubeConfig);
    const { index } = options;
    const watch = new ReducingWatch<CachedShoot>(this.kubeConfig, this.tuning.watch, {
      reduce: (object, resourceVersion) => this.summarize(object, resourceVersion),
      beforeWatch: () => this.beforeWatch(),
      opened: () => this.watchOpened(),
      closed: (openedAt, err) => this.watchClosed(openedAt, err),
    });
    this.informer = new k8s.ListWatch<CachedShoot>(SHOOTS_PATH, watch, () => this.list(), false);
    this.informer.on(k8s.ADD, (shoot) => index.upsert(shoot.summary));
    this.informer.on(k8s.UPDATE, (shoot) => index.upsert(shoot.summary));
    this.informer.on(k8s.DELETE, (shoot) => index.remove(shoot.summary.namespace, shoot.summary.name));
    this.informer.on(k8s.ERROR, (err) => this.failed(err));
  }

  /** Starts listing and watching in the background; the index says when it has synced. */
  start(): void {
    this.informer.start().catch((err: unknown) => this.failed(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.informer.stop();
  }

  // ---- called by the ListWatch (list) and by its ReducingWatch (watch) ----

  /** The informer's list: every shoot, paged, summarised; the index is replaced and synced. */
  private async list(): Promise<k8s.KubernetesListObject<CachedShoot>> {
    await this.pace();
    if (this.stopped) throw new StoppedError();
    if (this.listed) {
      this.options.events?.relisted?.();
      this.options.logger.info('relisting shoots');
    }
    const page = await listShoots(this.kubeConfig, this.options.constraintTypes, this.tuning.pageSize);
    if (page.unreadable > 0)
      this.options.logger.warn({ unreadable: page.unreadable }, 'shoots without name or namespace left out of the index');
    // The index is complete here, before the ListWatch replays the same items (idempotent upserts).
    this.options.index.replaceAll(page.shoots);
    this.options.index.markSynced();
    this.listed = true;
    this.lastListAt = Date.now();
    this.options.logger.info({ shoots: page.shoots.length }, 'shoot index synced');
    return { metadata: { resourceVersion: page.resourceVersion }, items: page.shoots.map((summary) => cached(summary)) };
  }

  /** Before a watch connects: false when stopped. */
  private async beforeWatch(): Promise<boolean> {
    await this.pace();
    return !this.stopped;
  }

  private watchOpened(): void {
    this.watching = true;
  }

  private watchClosed(openedAt: number, err: unknown): void {
    this.watching = false;
    this.laggingSince = Date.now();
    if (err || Date.now() - openedAt < this.tuning.healthyWatchMs) this.slowDown = true;
    else this.backoffMs = this.tuning.initialBackoffMs;
  }

  /** Watch events carry full shoots: keep the summary and what the ListWatch needs (identity, resourceVersion). */
  private summarize(object: unknown, resourceVersion: string | undefined): CachedShoot | undefined {
    const summary = summarizeShoot(object, this.options.constraintTypes);
    return isSummary(summary) ? cached(summary, resourceVersion) : undefined;
  }

  private failed(err: unknown): void {
    if (this.stopped || err instanceof StoppedError) return;
    this.options.events?.failed?.();
    this.options.logger.warn({ err: describeApiError(err), retryInMs: this.backoffMs }, 'shoot list/watch failed; retrying');
    this.slowDown = true;
    // The ListWatch stops on an error that is not a 410; start again (it relists if it has no resourceVersion).
    this.start();
  }

  private async pace(): Promise<void> {
    if (!this.slowDown || this.stopped) return;
    this.slowDown = false;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.tuning.maxBackoffMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
  }
}

class StoppedError extends Error {
  constructor() {
    super('shoot informer stopped');
  }
}

function cached(summary: ShootSummary, resourceVersion?: string): CachedShoot {
  return { metadata: { name: summary.name, namespace: summary.namespace, resourceVersion }, summary };
}
