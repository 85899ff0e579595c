// Plain JSON requests and watch streams against a Kubernetes API server, over the cluster's
// connection pool, authenticated as the cluster access says for each request; the request itself is one node:http(s) call with no client-side type conversion, and each
// request carries a bound on silence, so a server that stops answering cannot hold it forever.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { ClusterAccess } from './cluster-access.js';

/** A failed API call: HTTP status (undefined for network errors), the API's reason, and a one-line message. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Defaults to application/json; merge patches send application/merge-patch+json. */
  contentType?: string;
}

export interface WatchEvent {
  type: string;
  object: unknown;
}

/** Largest response body read into memory; lists are paged well below it. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Largest watch event: kube-apiserver refuses request bodies over 3 MiB, so no stored object is larger. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

export class KubeClient {
  constructor(
    readonly cluster: ClusterAccess,
    /** A request that receives nothing for this long is abandoned. */
    private readonly requestQuietMs = 60_000,
  ) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const res = await this.send(method, path, options.query, body, options.contentType ?? 'application/json', this.requestQuietMs);
    const text = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw errorOf(status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Streams a watch: each event is handed to `onEvent` as it arrives. Resolves when the server ends the
   * watch (its timeoutSeconds), rejects on an error or after `quietMs` without a byte (a watch that died
   * silently), and ends quietly when `signal` aborts. `onOpen` is called once the server accepted the watch.
   */
  async watch(
    path: string,
    query: Query,
    onEvent: (event: WatchEvent) => void,
    quietMs: number,
    signal?: AbortSignal,
    onOpen?: () => void,
  ): Promise<void> {
    const res = await this.send('GET', path, { ...query, watch: true }, undefined, undefined, quietMs, signal);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw errorOf(status, await readBody(res));
    onOpen?.();
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        res.destroy();
        reject(err);
      };
      const handle = (line: string): void => {
        if (failed || !line.trim()) return;
        let event: WatchEvent;
        try {
          event = JSON.parse(line) as WatchEvent;
        } catch {
          return fail(new KubeApiError(undefined, undefined, `watch ${path}: undecodable event`));
        }
        try {
          onEvent(event);
        } catch (err) {
          fail(err);
        }
      };
      // One event per line. Split by hand: readline costs more per event than the events' own parsing.
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        let from = 0;
        for (let newline = chunk.indexOf('\n'); newline >= 0 && !failed; newline = chunk.indexOf('\n', from)) {
          const line = chunk.slice(from, newline);
          handle(partial ? partial + line : line);
          partial = '';
          from = newline + 1;
        }
        if (failed) return;
        partial += chunk.slice(from);
        if (partial.length > MAX_EVENT_CHARS)
          fail(new KubeApiError(undefined, undefined, `watch ${path}: event larger than ${MAX_EVENT_CHARS} characters`));
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new KubeApiError(undefined, undefined, `watch ${path}: connection lost`)));
      const stop = (): void => {
        failed = true;
        res.destroy();
        resolve();
      };
      signal?.addEventListener('abort', stop, { once: true });
      res.on('close', () => signal?.removeEventListener('abort', stop));
      res.on('end', () => {
        handle(partial);
        if (!failed) resolve();
      });
    });
  }

  private async send(
    method: string,
    path: string,
    query: Query | undefined,
    body: string | undefined,
    contentType: string | undefined,
    quietMs: number,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    const url = new URL(this.cluster.server().replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const access = await this.cluster.requestAccess();
    const headers: http.OutgoingHttpHeaders = { ...access.headers, accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = contentType;
      headers['content-length'] = Buffer.byteLength(body);
    }
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent: access.agent, signal }, resolve);
      // Silence on the connection (no response, or a watch that stopped sending) ends the request.
      req.setTimeout(quietMs, () =>
        req.destroy(new KubeApiError(undefined, undefined, `${method} ${path}: nothing received for ${quietMs} ms`)),
      );
      req.on('error', (err) =>
        reject(err instanceof KubeApiError ? err : new KubeApiError(undefined, undefined, `${method} ${path}: ${err.message}`)),
      );
      req.end(body);
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) res.destroy(new Error(`response larger than ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (err) => reject(new KubeApiError(undefined, undefined, err.message)));
    res.on('aborted', () => reject(new KubeApiError(undefined, undefined, 'connection lost')));
  });
}

function errorOf(status: number, text: string): KubeApiError {
  let reason: string | undefined;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { reason?: unknown; message?: unknown };
    reason = typeof parsed.reason === 'string' ? parsed.reason : undefined;
    message = typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    message = text.slice(0, 200);
  }
  return new KubeApiError(status, reason, `HTTP ${status}${reason ? ` ${reason}` : ''}${message ? `: ${message.slice(0, 300)}` : ''}`);
}
