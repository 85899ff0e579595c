// The garden cluster's shoots, kept current by client-node's informer (ListWatch). Objects are reduced
// to summaries as they arrive (list pages and watch events alike), like client-go's informer
// transforms, so neither the informer's cache nor the index ever holds a full Shoot. The watch itself
// is the project's bounded watch over the cluster's connection pool (bookmarks, a server-side timeout,
// restarted when silent): client-node's own Watch overrides its timeout and would notice a watch that
// died without closing only by TCP keepalive.
import * as k8s from '@kubernetes/client-node';
import type { ShootSummary } from './services.js';
import type { Logger } from '../observability/logger.js';
import { boundedWatch, type WatchTuning } from './bounded-watch.js';
import { SHOOTS_PATH, describeApiError, listShoots } from './garden-client.js';
import { KubeApiError, KubeClient } from './kube-client.js';
import { pooledKubeConfig } from './pooled-kube-config.js';
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
    const { index } = options;
    const watch = new SummarizingWatch(options.kubeConfig, new KubeClient(pooledKubeConfig(options.kubeConfig)), this.tuning.watch, this);
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

  // ---- called by the ListWatch (list) and by SummarizingWatch (watch) ----

  /** The informer's list: every shoot, paged, summarised; the index is replaced and synced. */
  private async list(): Promise<k8s.KubernetesListObject<CachedShoot>> {
    await this.pace();
    if (this.stopped) throw new StoppedError();
    if (this.listed) {
      this.options.events?.relisted?.();
      this.options.logger.info('relisting shoots');
    }
    const page = await listShoots(this.options.kubeConfig, this.options.constraintTypes, this.tuning.pageSize);
    if (page.unreadable > 0) this.options.logger.warn({ unreadable: page.unreadable }, 'shoots without name or namespace left out of the index');
    // The index is complete here, before the ListWatch replays the same items (idempotent upserts).
    this.options.index.replaceAll(page.shoots);
    this.options.index.markSynced();
    this.listed = true;
    this.lastListAt = Date.now();
    this.options.logger.info({ shoots: page.shoots.length }, 'shoot index synced');
    return { metadata: { resourceVersion: page.resourceVersion }, items: page.shoots.map((summary) => cached(summary)) };
  }

  /** Before a watch connects: false when stopped. */
  async beforeWatch(): Promise<boolean> {
    await this.pace();
    return !this.stopped;
  }

  watchOpened(): void {
    this.watching = true;
  }

  watchClosed(openedAt: number, err: unknown): void {
    this.watching = false;
    this.laggingSince = Date.now();
    if (err || Date.now() - openedAt < this.tuning.healthyWatchMs) this.slowDown = true;
    else this.backoffMs = this.tuning.initialBackoffMs;
  }

  /** Watch events carry full shoots: keep the summary and what the ListWatch needs (identity, resourceVersion). */
  summarize(phase: string, object: unknown): CachedShoot | undefined {
    if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return object as CachedShoot; // ERROR (410), BOOKMARK
    const summary = summarizeShoot(object, this.options.constraintTypes);
    if (!isSummary(summary)) return undefined;
    const resourceVersion = (object as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    return cached(summary, resourceVersion);
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

/**
 * The ListWatch's watch: a bounded watch through KubeClient, every event reduced to a summary before
 * the ListWatch caches it. Extends client-node's Watch only for the ListWatch's type.
 */
class SummarizingWatch extends k8s.Watch {
  constructor(
    config: k8s.KubeConfig,
    private readonly client: KubeClient,
    private readonly tuning: Partial<WatchTuning>,
    private readonly owner: ShootInformer,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    if (!(await this.owner.beforeWatch())) return controller;
    const openedAt = Date.now();
    const onEvent = (event: { type: string; object: unknown }): void => {
      const summarized = this.owner.summarize(event.type, event.object);
      if (summarized) callback(event.type, summarized);
    };
    const close = (err: unknown): void => {
      this.owner.watchClosed(openedAt, err);
      // The ListWatch relists on a 410 it recognises by statusCode (client-node's error shape).
      done(err instanceof KubeApiError && err.status === 410 ? Object.assign(err, { statusCode: 410 }) : err);
    };
    boundedWatch(this.client, path, queryParams, onEvent, { tuning: this.tuning, signal: controller.signal, onOpen: () => this.owner.watchOpened() }).then(
      () => close(null),
      close,
    );
    return controller;
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
