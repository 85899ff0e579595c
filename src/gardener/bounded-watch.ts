// One watch request with the bounds every watch of the project carries: it asks for bookmarks and a
// server-side timeout (random between one and two times the minimum, as client-go's reflector does,
// so many watches do not end together), and it is abandoned when nothing arrives for `quietMs`, so a
// watch that died without closing (a proxy whose upstream went away) is noticed and restarted.
import type { KubeClient, Query, WatchEvent } from './kube-client.js';

export interface WatchTuning {
  /** timeoutSeconds of each watch is drawn from [min, 2 × min). */
  minTimeoutSeconds: number;
  /** A watch that receives nothing (no event, no bookmark) for this long is restarted. */
  quietMs: number;
}

/** client-go's reflector: 5 to 10 minute watches. kube-apiserver sends a bookmark about every minute. */
export const DEFAULT_WATCH_TUNING: WatchTuning = { minTimeoutSeconds: 300, quietMs: 150_000 };

export interface BoundedWatchOptions {
  tuning?: Partial<WatchTuning>;
  signal?: AbortSignal;
  /** The server accepted the watch (its response headers arrived). */
  onOpen?: () => void;
}

/**
 * Resolves when the server ends the watch (its timeoutSeconds) or `signal` aborts; rejects on an error
 * status, a broken connection, or silence past the bound.
 */
export function boundedWatch(
  client: KubeClient,
  path: string,
  query: Query,
  onEvent: (event: WatchEvent) => void,
  options: BoundedWatchOptions = {},
): Promise<void> {
  const tuning = { ...DEFAULT_WATCH_TUNING, ...options.tuning };
  const timeoutSeconds = Math.floor(tuning.minTimeoutSeconds * (1 + Math.random()));
  return client.watch(
    path,
    { ...query, allowWatchBookmarks: true, timeoutSeconds },
    onEvent,
    tuning.quietMs,
    options.signal,
    options.onOpen,
  );
}
