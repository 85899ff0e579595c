// A list-watch cache that keeps of each object only what its user needs (client-node's informer keeps
// whole objects). Lists are paged; watches are bounded (bounded-watch.ts: bookmarks, a server-side
// timeout, restarted when silent past a bound); a watch resumes from the last seen
// resourceVersion and relists only on 410 Gone. Our own writes are taken into the cache at once and
// win over older watch events until the watch delivers them, so a quick requeue never acts on state
// we already changed.
import type { Logger } from '../observability/logger.js';
import { DEFAULT_WATCH_TUNING, boundedWatch, type WatchTuning } from './bounded-watch.js';
import { KubeApiError, type KubeClient, type WatchEvent } from './kube-client.js';

export type { WatchTuning } from './bounded-watch.js';

export interface SlimObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
}

export interface RawObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export type ChangeVerb = 'add' | 'update' | 'delete';

export interface SlimInformerOptions<T extends SlimObject> {
  client: KubeClient;
  /** API path of the collection, e.g. /api/v1/namespaces. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** What the cache keeps of an object; must keep name, namespace and resourceVersion. */
  slim: (object: RawObject) => T;
  onChange?: (verb: ChangeVerb, object: T) => void;
  logger: Logger;
  backoff?: { baseMs: number; maxMs: number };
  watch?: Partial<WatchTuning>;
  pageSize?: number;
}

/** How long our own write may stay ahead of the watch before the cache follows the watch again. */
const PENDING_WRITE_MS = 30_000;
/**
 * Watch events remembered (object and resourceVersion), so that a write whose own event arrived before its answer is
 * not taken over the events that followed it (a status update right after our write would otherwise be lost to the
 * cache until the object changes again). A write's event comes within moments of its answer, so the last few hundred
 * events cover it even under churn; beyond that a write is taken in as before.
 */
const DELIVERED_KEPT = 256;

class ExpiredError extends Error {}

export class SlimInformer<T extends SlimObject> {
  readonly synced: Promise<void>;
  /** Lists and watches issued, for tests and the benchmark. */
  readonly requests = { lists: 0, watches: 0 };
  private markSynced!: () => void;
  private readonly objects = new Map<string, Map<string, T>>();
  /** key -> resourceVersion of our write that the watch has not yet delivered. */
  private readonly pending = new Map<string, { resourceVersion: string; until: number }>();
  /** `key\0resourceVersion` of the last events delivered, oldest first. */
  private readonly delivered = new Set<string>();
  private resourceVersion = '';
  private stopped = true;
  private abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private readonly tuning: WatchTuning;

  constructor(private readonly options: SlimInformerOptions<T>) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
    this.tuning = { ...DEFAULT_WATCH_TUNING, ...options.watch };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  get(name: string, namespace = ''): T | undefined {
    return this.objects.get(namespace)?.get(name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.objects.get(namespace)?.values() ?? [])];
    const all: T[] = [];
    for (const byName of this.objects.values()) all.push(...byName.values());
    return all;
  }

  /** Takes the server's answer to our own write into the cache; returns what the cache keeps of it. */
  wrote(object: RawObject): T {
    const slim = this.options.slim(object);
    const { name, namespace = '', resourceVersion } = slim.metadata;
    const cached = this.get(name, namespace);
    if (!resourceVersion || cached?.metadata.resourceVersion === resourceVersion) return cached ?? slim;
    // The watch delivered this very version already, and the cache holds what came after it.
    if (this.delivered.has(`${keyOf(slim)}\0${resourceVersion}`)) return cached ?? slim;
    this.put(slim);
    this.pending.set(keyOf(slim), { resourceVersion, until: Date.now() + PENDING_WRITE_MS });
    return slim;
  }

  private remember(key: string, resourceVersion: string): void {
    this.delivered.add(`${key}\0${resourceVersion}`);
    if (this.delivered.size > DELIVERED_KEPT) this.delivered.delete(this.delivered.values().next().value!);
  }

  private async run(): Promise<void> {
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 200, maxMs: 30_000 };
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) {
          await this.relist();
          this.markSynced();
        }
        const events = await this.watchOnce();
        failures = events > 0 ? 0 : failures;
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof ExpiredError || (err instanceof KubeApiError && err.status === 410)) {
          this.resourceVersion = '';
          continue;
        }
        const delay = Math.min(baseMs * 2 ** failures++, maxMs);
        this.options.logger.warn(
          { path: this.options.path, err: (err as Error).message, retryInMs: delay },
          'list-watch failed; restarting',
        );
        await this.sleep(delay);
      }
    }
  }

  /** One watch from the last resourceVersion; the number of events it delivered. */
  private async watchOnce(): Promise<number> {
    const { labelSelector, fieldSelector } = this.options;
    let events = 0;
    const openedAt = Date.now();
    this.requests.watches++;
    await boundedWatch(
      this.options.client,
      this.options.path,
      { resourceVersion: this.resourceVersion, labelSelector, fieldSelector },
      (event) => {
        events++;
        this.apply(event);
      },
      { tuning: this.tuning, signal: this.abort.signal },
    );
    // A watch the server ends at once, again and again, must not spin: a short empty one is a failure.
    if (events === 0 && !this.stopped && Date.now() - openedAt < 1000) throw new Error('watch ended at once without an event');
    return events;
  }

  private apply(event: WatchEvent): void {
    const raw = (event.object ?? {}) as RawObject & { code?: number; reason?: string; message?: string };
    if (event.type === 'ERROR') {
      if (raw.code === 410) throw new ExpiredError('resource version too old');
      throw new KubeApiError(raw.code, raw.reason, `watch ${this.options.path}: ${raw.message ?? 'error event'}`);
    }
    const resourceVersion = raw.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (resourceVersion) this.resourceVersion = resourceVersion;
      return;
    }
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return;
    const slim = this.options.slim(raw);
    if (resourceVersion) this.resourceVersion = resourceVersion;
    const key = keyOf(slim);
    if (resourceVersion) this.remember(key, resourceVersion);
    const pending = this.pending.get(key);
    if (pending) {
      // Events before our write's own are older than what the cache holds.
      if (pending.resourceVersion !== resourceVersion && pending.until > Date.now()) return;
      this.pending.delete(key);
    }
    if (event.type === 'DELETED') {
      const existing = this.remove(slim);
      this.options.onChange?.('delete', existing ?? slim);
      return;
    }
    const existing = this.put(slim);
    if (existing?.metadata.resourceVersion !== slim.metadata.resourceVersion) this.options.onChange?.(existing ? 'update' : 'add', slim);
  }

  private async relist(): Promise<void> {
    const { client, path, labelSelector, fieldSelector } = this.options;
    const fresh = new Map<string, T>();
    let resourceVersion = '';
    let next: string | undefined;
    do {
      this.requests.lists++;
      const page = await client.request<{ metadata?: { resourceVersion?: string; continue?: string }; items?: RawObject[] }>('GET', path, {
        query: { labelSelector, fieldSelector, limit: this.options.pageSize ?? 500, continue: next },
      });
      for (const item of page.items ?? []) {
        const slim = this.options.slim(item);
        fresh.set(keyOf(slim), slim);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      next = page.metadata?.continue || undefined;
    } while (next);
    // A list is newer than any write of ours that preceded it.
    this.pending.clear();
    for (const old of this.list()) {
      if (!fresh.has(keyOf(old))) {
        this.remove(old);
        this.options.onChange?.('delete', old);
      }
    }
    for (const slim of fresh.values()) {
      const existing = this.put(slim);
      if (existing?.metadata.resourceVersion !== slim.metadata.resourceVersion) this.options.onChange?.(existing ? 'update' : 'add', slim);
    }
    this.resourceVersion = resourceVersion;
  }

  private put(slim: T): T | undefined {
    const namespace = slim.metadata.namespace ?? '';
    let byName = this.objects.get(namespace);
    if (!byName) this.objects.set(namespace, (byName = new Map()));
    const existing = byName.get(slim.metadata.name);
    byName.set(slim.metadata.name, slim);
    return existing;
  }

  private remove(slim: T): T | undefined {
    const namespace = slim.metadata.namespace ?? '';
    const byName = this.objects.get(namespace);
    const existing = byName?.get(slim.metadata.name);
    byName?.delete(slim.metadata.name);
    if (byName?.size === 0) this.objects.delete(namespace);
    return existing;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener('abort', wake);
        resolve();
      }, ms);
      this.abort.signal.addEventListener('abort', wake, { once: true });
    });
  }
}

function keyOf(object: SlimObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
