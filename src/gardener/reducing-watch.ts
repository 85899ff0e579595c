// The watch a client-node ListWatch runs in the garden informers: the project's bounded watch over the
// cluster's connection pool (bookmarks, a server-side timeout, restarted when silent) instead of
// client-node's own Watch, which overrides its timeout and would notice a watch that died without
// closing only by TCP keepalive. Every object is reduced as it arrives, like client-go's informer
// transforms, so the ListWatch's cache never holds a whole one.
import * as k8s from '@kubernetes/client-node';
import { boundedWatch, type WatchTuning } from './bounded-watch.js';
import { KubeApiError, KubeClient } from './kube-client.js';
import type { PooledKubeConfig } from './pooled-kube-config.js';

export interface ReducingWatchHooks<T extends k8s.KubernetesObject> {
  /**
   * An ADDED, MODIFIED or DELETED object as the cache keeps it: its identity, `resourceVersion` (the
   * ListWatch resumes from it) and what the informer needs; undefined leaves the event out.
   */
  reduce(object: unknown, resourceVersion: string | undefined): T | undefined;
  /** Before each watch connects (a place to wait out a backoff); false: stopped, no watch. */
  beforeWatch?(): Promise<boolean>;
  /** The server accepted the watch. */
  opened?(): void;
  /** The watch ended: `err` is null when the server ended it (its timeoutSeconds) or it was stopped. */
  closed?(openedAt: number, err: unknown): void;
}

/** Extends client-node's Watch only for the ListWatch's type; none of its own code runs. */
export class ReducingWatch<T extends k8s.KubernetesObject> extends k8s.Watch {
  private readonly client: KubeClient;

  constructor(
    kubeConfig: PooledKubeConfig,
    private readonly tuning: Partial<WatchTuning>,
    private readonly hooks: ReducingWatchHooks<T>,
  ) {
    super(kubeConfig);
    this.client = new KubeClient(kubeConfig);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    if (this.hooks.beforeWatch && !(await this.hooks.beforeWatch())) return controller;
    const openedAt = Date.now();
    const onEvent = (event: { type: string; object: unknown }): void => {
      // ERROR (a 410 Status the ListWatch reads) and BOOKMARK (a resourceVersion) pass as they are.
      if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return callback(event.type, event.object);
      const reduced = this.hooks.reduce(event.object, resourceVersionOf(event.object));
      if (reduced) callback(event.type, reduced);
    };
    const close = (err: unknown): void => {
      this.hooks.closed?.(openedAt, err);
      // The ListWatch relists on a 410 it recognises by statusCode (client-node's error shape).
      done(err instanceof KubeApiError && err.status === 410 ? Object.assign(err, { statusCode: 410 }) : err);
    };
    boundedWatch(this.client, path, queryParams, onEvent, {
      tuning: this.tuning,
      signal: controller.signal,
      onOpen: () => this.hooks.opened?.(),
    }).then(() => close(null), close);
    return controller;
  }
}

function resourceVersionOf(object: unknown): string | undefined {
  const resourceVersion = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof resourceVersion === 'string' ? resourceVersion : undefined;
}
