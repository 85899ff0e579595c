// A small in-memory Kubernetes API server on loopback (plain HTTP) that speaks list, watch, get, create,
// update and delete for the resources a test registers, with faults on demand: dropped watches, 410
// Gone for expired resource versions, conflicts and transient errors. Real HTTP, real client-node.
// Finalizers hold a deleted object (deletionTimestamp set) until the last one is removed; a type may opt
// into the status subresource. Serves TLS when given a certificate, counts connections, honours a
// watch's timeoutSeconds, applies JSON merge patches, and can stall its watches (open but silent). Deletes honour
// preconditions (uid, resourceVersion) as the API does; an admission hook may change or refuse what is written, and
// listeners see every change, for tests that play a controller.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMergePatch } from '../../src/gardener/merge-patch.js';

const RESTARTABLE_PORTS = { from: 20_000, to: 32_000 };

export interface ResourceType {
  group: string; // '' for core
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
  [k: string]: unknown;
};
interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}
interface Fault {
  method: string;
  path: RegExp;
  status: number;
  remaining: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The Authorization header as sent. */
  authorization?: string;
  /** The request body of a write, parsed. */
  body?: unknown;
  /** Arrival order across every fake API server of the test file, for asserting the order of writes to two clusters. */
  seq: number;
  /** The HTTP status answered, once answered. */
  status?: number;
}

let requestSeq = 0;

/** What an admission hook sees: the object to be stored (after a patch is applied) and the stored one. */
export interface AdmissionCall {
  operation: 'CREATE' | 'UPDATE';
  object: Obj;
  oldObject?: Obj;
}
/** The object to store (changed or not), or a refusal with a message. */
export type AdmissionHook = (call: AdmissionCall) => Promise<Admitted>;
export type Admitted = { object: Obj } | { refuse: string };
export type ChangeListener = (type: ResourceType, event: 'ADDED' | 'MODIFIED' | 'DELETED', object: Obj) => void;

export interface TlsIdentity {
  cert: string;
  key: string;
  /** PEM of the CA that signed `cert`, written into the kubeconfig. */
  ca: string;
}

export class FakeKubeApi {
  private server?: Server;
  private rv = 1;
  /** Oldest resource version a watch may resume from; older ones get 410 Gone. */
  private oldestWatchableRv = 0;
  private readonly types: ResourceType[] = [];
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly events = new Map<string, WatchEvent[]>();
  private readonly watchers = new Map<string, Set<{ res: ServerResponse; namespace?: string; selector?: string; fields?: string }>>();
  private stalled = false;
  private tls?: TlsIdentity;
  /** TCP (or TLS) connections accepted. */
  connections = 0;
  private readonly faults: Fault[] = [];
  private generations = false;
  private readonly statusTypes = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  private readonly admission = new Map<string, AdmissionHook>();
  private readonly listeners: ChangeListener[] = [];
  url = '';

  /** Every create, update and patch of `type` passes `hook` before it is stored, as through a webhook. */
  admit(type: ResourceType, hook: AdmissionHook): this {
    this.admission.set(keyOf(type), hook);
    return this;
  }

  /** Called after every stored change (requests and direct manipulation alike). */
  onChange(listener: ChangeListener): this {
    this.listeners.push(listener);
    return this;
  }

  register(...types: ResourceType[]): this {
    for (const t of types) {
      this.types.push(t);
      this.objects.set(keyOf(t), new Map());
      this.events.set(keyOf(t), []);
      this.watchers.set(keyOf(t), new Set());
    }
    return this;
  }

  /** Opt-in: set metadata.generation on create and bump it when anything but metadata or status changes, as the API does. */
  trackGenerations(): this {
    this.generations = true;
    return this;
  }

  /**
   * Opt-in, as a CRD declares it: PUT `.../<name>/status` changes only `.status`, and a PUT of the
   * object itself keeps the stored `.status`.
   */
  withStatusSubresource(...types: ResourceType[]): this {
    for (const t of types) this.statusTypes.add(keyOf(t));
    return this;
  }

  /** `port` brings a stopped API back where its kubeconfig points (an apiserver restart); 0 picks a free one. */
  async start(port = 0, tls?: TlsIdentity): Promise<this> {
    this.tls = tls;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    this.server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
    this.server.on(tls ? 'secureConnection' : 'connection', () => this.connections++);
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /**
   * For a test that stops the server and starts it again on the same port: a port below the kernel's ephemeral
   * range (32768 and up on Linux), which no `listen(0)` and no outgoing connection of a parallel test can take
   * while this server is down. Random, and retried when taken.
   */
  async startRestartable(tls?: TlsIdentity): Promise<this> {
    for (let attempt = 0; ; attempt++) {
      const port = RESTARTABLE_PORTS.from + Math.floor(Math.random() * (RESTARTABLE_PORTS.to - RESTARTABLE_PORTS.from));
      try {
        return await this.start(port, tls);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw err;
      }
    }
  }

  /** Serves a new certificate from now on, as a rotated apiserver certificate; open connections are closed. */
  rotateCertificate(tls: TlsIdentity): void {
    this.tls = tls;
    (this.server as import('node:https').Server).setSecureContext({ cert: tls.cert, key: tls.key });
    this.dropWatches();
    this.server?.closeAllConnections();
  }

  /** From now on watches stay open but receive nothing, as behind a proxy whose upstream died. */
  stallWatches(stalled = true): void {
    this.stalled = stalled;
  }

  async stop(): Promise<void> {
    this.dropWatches();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** A kubeconfig file pointing at this server. */
  writeKubeconfig(dir = mkdtempSync(join(tmpdir(), 'fake-kube-')), user: Record<string, unknown> = { token: 'fake-token' }): string {
    const file = join(dir, 'kubeconfig');
    let cluster: Record<string, unknown> = { server: this.url, 'insecure-skip-tls-verify': true };
    if (this.tls) {
      // The CA as a file, as in a pod: a rotation rewrites the file.
      writeFileSync(join(dir, 'ca.crt'), this.tls.ca);
      cluster = { server: this.url, 'certificate-authority': 'ca.crt' };
    }
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // client-node refuses plain HTTP unless TLS verification is explicitly off.
        clusters: [{ name: 'fake', cluster }],
        users: [{ name: 'fake', user }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
        'current-context': 'fake',
      }),
    );
    return file;
  }

  // ---- direct state manipulation for tests (emits watch events like the API would) ----

  put(type: ResourceType, object: Obj): Obj {
    const store = this.objects.get(keyOf(type))!;
    const id = idOf(object);
    const existing = store.get(id);
    const stored = this.stamp(type, structuredClone(object), existing);
    store.set(id, stored);
    this.emit(type, existing ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): void {
    const store = this.objects.get(keyOf(type))!;
    const id = namespace ? `${namespace}/${name}` : name;
    const existing = store.get(id);
    if (!existing) return;
    store.delete(id);
    this.emit(type, 'DELETED', { ...existing, metadata: { ...existing.metadata, resourceVersion: String(++this.rv) } });
  }

  /**
   * What a DELETE request does: an object with finalizers only gets its deletionTimestamp (and, with
   * generations tracked, a new generation); one without is removed. False when it did not exist.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string): boolean {
    const existing = this.get(type, namespace, name);
    if (!existing) return false;
    if (!finalizersOf(existing).length) {
      this.remove(type, namespace, name);
      return true;
    }
    if (existing.metadata.deletionTimestamp) return true;
    const next = structuredClone(existing);
    next.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const stored = this.stamp(type, next, existing);
    if (this.generations) stored.metadata.generation = Number(existing.metadata.generation ?? 0) + 1;
    this.objects.get(keyOf(type))!.set(idOf(stored), stored);
    this.emit(type, 'MODIFIED', stored);
    return true;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): Obj | undefined {
    return this.objects.get(keyOf(type))!.get(namespace ? `${namespace}/${name}` : name);
  }

  list(type: ResourceType): Obj[] {
    return [...this.objects.get(keyOf(type))!.values()];
  }

  /** Ends every open watch, as a restarting apiserver or a dropped connection would. */
  dropWatches(): void {
    for (const set of this.watchers.values()) {
      for (const w of set) w.res.end();
      set.clear();
    }
  }

  /** Makes every resource version seen so far too old: the next watch from it gets 410 Gone. */
  expireHistory(): void {
    this.oldestWatchableRv = this.rv + 1;
    for (const list of this.events.values()) list.length = 0;
  }

  /** The next `count` requests matching method and path fail with `status`. */
  failNext(method: string, path: RegExp, status: number, count = 1): void {
    this.faults.push({ method, path, status, remaining: count });
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  // ---- HTTP ----

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = {
      method,
      path: url.pathname + (url.search || ''),
      authorization: req.headers.authorization,
      seq: ++requestSeq,
    };
    this.requests.push(recorded);
    res.on('finish', () => (recorded.status = res.statusCode));
    const fault = this.faults.find((f) => f.method === method && f.path.test(url.pathname) && f.remaining > 0);
    if (fault) {
      fault.remaining--;
      return status(res, fault.status, 'InternalError', 'injected fault');
    }
    const route = this.route(url.pathname);
    if (!route) return status(res, 404, 'NotFound', `no route for ${url.pathname}`);
    const { type, namespace, name } = route;
    const statusOnly = route.subresource === 'status' && this.statusTypes.has(keyOf(type));
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => void this.respond(req, res, url, method, type, namespace, name, statusOnly, body, recorded));
  }

  private async respond(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    type: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
    statusOnly: boolean,
    body: Buffer[],
    recorded: RecordedRequest,
  ): Promise<void> {
    {
      const payload = body.length ? (JSON.parse(Buffer.concat(body).toString('utf8')) as Obj) : undefined;
      if (payload !== undefined) recorded.body = structuredClone(payload);
      if (method === 'GET' && !name) {
        if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
          return this.watch(type, namespace, url.searchParams, res);
        }
        return this.sendList(
          type,
          namespace,
          url.searchParams.get('labelSelector') ?? undefined,
          res,
          url.searchParams.get('fieldSelector') ?? undefined,
        );
      }
      if (method === 'GET') {
        const obj = this.get(type, namespace, name!);
        return obj ? json(res, 200, obj) : status(res, 404, 'NotFound', `${type.plural} "${name}" not found`);
      }
      if (statusOnly && method !== 'PUT' && method !== 'PATCH') {
        return status(res, 405, 'MethodNotAllowed', `${method} not supported on status`);
      }
      if (method === 'POST') {
        const obj = payload!;
        if (namespace) obj.metadata.namespace = namespace;
        if (this.get(type, obj.metadata.namespace, obj.metadata.name)) {
          return status(res, 409, 'AlreadyExists', `${type.plural} "${obj.metadata.name}" already exists`);
        }
        const admitted = await this.admitted(type, { operation: 'CREATE', object: obj });
        if ('refuse' in admitted) return status(res, 400, 'BadRequest', admitted.refuse);
        if (this.get(type, obj.metadata.namespace, obj.metadata.name)) {
          return status(res, 409, 'AlreadyExists', `${type.plural} "${obj.metadata.name}" already exists`);
        }
        return json(res, 201, this.put(type, admitted.object));
      }
      if (method === 'PATCH') {
        const existing = this.get(type, namespace, name!);
        if (!existing) return status(res, 404, 'NotFound', `${type.plural} "${name}" not found`);
        if (!(req.headers['content-type'] ?? '').startsWith('application/merge-patch+json')) {
          return status(res, 415, 'UnsupportedMediaType', 'only application/merge-patch+json here');
        }
        const sent = (payload?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        if (sent !== undefined && sent !== existing.metadata.resourceVersion) {
          return status(
            res,
            409,
            'Conflict',
            'the object has been modified; please apply your changes to the latest version and try again',
          );
        }
        let patched = applyMergePatch(existing, payload) as Obj;
        patched.metadata.resourceVersion = existing.metadata.resourceVersion;
        if (!statusOnly) {
          const admitted = await this.admitted(type, { operation: 'UPDATE', object: patched, oldObject: existing });
          if ('refuse' in admitted) return status(res, 400, 'BadRequest', admitted.refuse);
          patched = admitted.object;
        }
        const current = this.get(type, namespace, name!);
        if (current?.metadata.resourceVersion !== existing.metadata.resourceVersion) {
          return status(
            res,
            409,
            'Conflict',
            'the object has been modified; please apply your changes to the latest version and try again',
          );
        }
        if (existing.immutable === true && JSON.stringify(existing.data) !== JSON.stringify(patched.data)) {
          return status(res, 422, 'Invalid', 'field is immutable when `immutable` is set');
        }
        if (JSON.stringify(patched) === JSON.stringify(existing)) return json(res, 200, existing);
        return json(res, 200, this.update(type, existing, patched, statusOnly));
      }
      if (method === 'PUT') {
        const obj = payload!;
        const existing = this.get(type, namespace, name!);
        if (!existing) return status(res, 404, 'NotFound', `${type.plural} "${name}" not found`);
        const sent = obj.metadata.resourceVersion;
        if (sent !== undefined && sent !== existing.metadata.resourceVersion) {
          return status(
            res,
            409,
            'Conflict',
            'the object has been modified; please apply your changes to the latest version and try again',
          );
        }
        let next = obj;
        if (!statusOnly) {
          const admitted = await this.admitted(type, { operation: 'UPDATE', object: obj, oldObject: existing });
          if ('refuse' in admitted) return status(res, 400, 'BadRequest', admitted.refuse);
          next = admitted.object;
          if (this.get(type, namespace, name!)?.metadata.resourceVersion !== existing.metadata.resourceVersion) {
            return status(
              res,
              409,
              'Conflict',
              'the object has been modified; please apply your changes to the latest version and try again',
            );
          }
        }
        if (existing.immutable === true && JSON.stringify(existing.data) !== JSON.stringify(next.data)) {
          return status(res, 422, 'Invalid', 'field is immutable when `immutable` is set');
        }
        return json(res, 200, this.update(type, existing, next, statusOnly));
      }
      if (method === 'DELETE') {
        const existing = this.get(type, namespace, name!);
        if (!existing) return status(res, 404, 'NotFound', `${type.plural} "${name}" not found`);
        const preconditions = (payload as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
        if (preconditions?.uid !== undefined && preconditions.uid !== existing.metadata.uid) {
          return status(
            res,
            409,
            'Conflict',
            `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${String(existing.metadata.uid)}`,
          );
        }
        if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== existing.metadata.resourceVersion) {
          return status(res, 409, 'Conflict', 'Precondition failed: ResourceVersion in precondition does not match the object');
        }
        this.delete(type, namespace, name!);
        return json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      }
      status(res, 405, 'MethodNotAllowed', `${method} not supported`);
    }
  }

  private async admitted(type: ResourceType, call: AdmissionCall): Promise<Admitted> {
    const hook = this.admission.get(keyOf(type));
    return hook ? hook(call) : { object: call.object };
  }

  /**
   * A PUT: with the status subresource only one half of the object changes; a deletionTimestamp cannot
   * be changed by clients, and removing the last finalizer of a deleted object removes it.
   */
  private update(type: ResourceType, existing: Obj, sent: Obj, statusOnly: boolean): Obj {
    let next = sent;
    if (statusOnly) next = { ...structuredClone(existing), status: sent.status };
    else if (this.statusTypes.has(keyOf(type))) next = { ...sent, status: structuredClone(existing.status) };
    if (existing.metadata.deletionTimestamp) {
      next.metadata = { ...next.metadata, deletionTimestamp: existing.metadata.deletionTimestamp };
      if (!finalizersOf(next).length) {
        this.remove(type, existing.metadata.namespace, existing.metadata.name);
        return { ...next, metadata: { ...next.metadata, resourceVersion: String(this.rv) } };
      }
    }
    return this.put(type, next);
  }

  private route(path: string): { type: ResourceType; namespace?: string; name?: string; subresource?: string } | undefined {
    const parts = path.split('/').filter(Boolean);
    let group = '';
    let rest: string[];
    if (parts[0] === 'api' && parts[1]) {
      rest = parts.slice(1);
    } else if (parts[0] === 'apis' && parts[1] && parts[2]) {
      group = parts[1];
      rest = parts.slice(2);
    } else return undefined;
    const version = rest[0];
    let namespace: string | undefined;
    let remainder = rest.slice(1);
    if (remainder[0] === 'namespaces' && remainder.length >= 3) {
      namespace = remainder[1];
      remainder = remainder.slice(2);
    }
    const type = this.types.find((t) => t.group === group && t.version === version && t.plural === remainder[0]);
    if (!type) return undefined;
    return { type, namespace, name: remainder[1], subresource: remainder[2] };
  }

  private matching(type: ResourceType, namespace: string | undefined, selector: string | undefined, fields?: string): Obj[] {
    return this.list(type).filter(
      (o) => (!namespace || o.metadata.namespace === namespace) && matchesSelector(o, selector) && matchesFields(o, fields),
    );
  }

  private sendList(
    type: ResourceType,
    namespace: string | undefined,
    selector: string | undefined,
    res: ServerResponse,
    fields?: string,
  ): void {
    json(res, 200, {
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      kind: `${type.kind}List`,
      metadata: { resourceVersion: String(this.rv) },
      items: this.matching(type, namespace, selector, fields),
    });
  }

  private watch(type: ResourceType, namespace: string | undefined, params: URLSearchParams, res: ServerResponse): void {
    const from = Number(params.get('resourceVersion') ?? this.rv);
    const selector = params.get('labelSelector') ?? undefined;
    const fields = params.get('fieldSelector') ?? undefined;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (this.stalled) return; // open, never answered, never closed
    const timeoutSeconds = Number(params.get('timeoutSeconds') ?? 0);
    if (timeoutSeconds > 0) {
      const timer = setTimeout(() => res.end(), timeoutSeconds * 1000);
      res.on('close', () => clearTimeout(timer));
    }
    if (from < this.oldestWatchableRv) {
      res.write(
        JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            code: 410,
            reason: 'Expired',
            message: 'too old resource version',
          },
        }) + '\n',
      );
      res.end();
      return;
    }
    for (const e of this.events.get(keyOf(type))!) {
      if (
        e.rv > from &&
        (!namespace || e.object.metadata.namespace === namespace) &&
        matchesSelector(e.object, selector) &&
        matchesFields(e.object, fields)
      ) {
        res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
      }
    }
    const watcher = { res, namespace, selector, fields };
    this.watchers.get(keyOf(type))!.add(watcher);
    res.on('close', () => this.watchers.get(keyOf(type))!.delete(watcher));
  }

  private stamp(type: ResourceType, object: Obj, existing?: Obj): Obj {
    object.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    object.kind = type.kind;
    object.metadata.resourceVersion = String(++this.rv);
    object.metadata.uid = existing?.metadata.uid ?? randomUUID();
    object.metadata.creationTimestamp ??= new Date().toISOString();
    if (this.generations) {
      const specOf = (o: Obj): string =>
        JSON.stringify({ ...o, metadata: undefined, status: undefined, apiVersion: undefined, kind: undefined });
      const previous = Number(existing?.metadata.generation ?? 0);
      object.metadata.generation = !existing ? 1 : specOf(existing) === specOf(object) ? previous : previous + 1;
    }
    return object;
  }

  private emit(type: ResourceType, eventType: WatchEvent['type'], object: Obj): void {
    const rv = Number(object.metadata.resourceVersion);
    this.events.get(keyOf(type))!.push({ rv, type: eventType, object });
    for (const listener of this.listeners) listener(type, eventType, object);
    if (this.stalled) return;
    for (const w of this.watchers.get(keyOf(type))!) {
      if (
        (!w.namespace || object.metadata.namespace === w.namespace) &&
        matchesSelector(object, w.selector) &&
        matchesFields(object, w.fields)
      ) {
        w.res.write(JSON.stringify({ type: eventType, object }) + '\n');
      }
    }
  }
}

function keyOf(t: ResourceType): string {
  return `${t.group}/${t.version}/${t.plural}`;
}

function finalizersOf(o: Obj): string[] {
  return (o.metadata.finalizers as string[] | undefined) ?? [];
}

function idOf(o: Obj): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

/** Equality selectors (`a=b,c==d`, `a!=b`) and existence (`a`, `!a`): what the tests use. */
function matchesSelector(o: Obj, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = (o.metadata.labels ?? {}) as Record<string, string>;
  return selector.split(',').every((term) => {
    const t = term.trim();
    const ne = /^([^!=]+)!=(.*)$/.exec(t);
    if (ne) return labels[ne[1]!] !== ne[2];
    const eq = /^([^=]+)==?(.*)$/.exec(t);
    if (eq) return labels[eq[1]!] === eq[2];
    if (t.startsWith('!')) return !(t.slice(1) in labels);
    return t in labels;
  });
}

/** Field selectors on `metadata.name` and `metadata.namespace` (`=`, `==`, `!=`): what every resource supports. */
function matchesFields(o: Obj, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(!=|==?)\s*(.*?)\s*$/.exec(term);
    if (!m) return false; // the real API answers 400 for unsupported fields; nothing here uses them
    const actual = m[1] === 'metadata.name' ? o.metadata.name : (o.metadata.namespace ?? '');
    return m[2] === '!=' ? actual !== m[3] : actual === m[3];
  });
}

function json(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
}

export const RESOURCES = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  secrets: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  configMaps: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  clusters: { group: 'extensions.gardener.cloud', version: 'v1alpha1', plural: 'clusters', kind: 'Cluster', namespaced: false },
  daemonSets: { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  statefulSets: { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  pods: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  shoots: { group: 'core.gardener.cloud', version: 'v1beta1', plural: 'shoots', kind: 'Shoot', namespaced: true },
  seeds: { group: 'core.gardener.cloud', version: 'v1beta1', plural: 'seeds', kind: 'Seed', namespaced: false },
  extensions: { group: 'extensions.gardener.cloud', version: 'v1alpha1', plural: 'extensions', kind: 'Extension', namespaced: true },
  managedResources: {
    group: 'resources.gardener.cloud',
    version: 'v1alpha1',
    plural: 'managedresources',
    kind: 'ManagedResource',
    namespaced: true,
  },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
  envoyFilters: { group: 'networking.istio.io', version: 'v1alpha3', plural: 'envoyfilters', kind: 'EnvoyFilter', namespaced: true },
  gateways: { group: 'networking.istio.io', version: 'v1beta1', plural: 'gateways', kind: 'Gateway', namespaced: true },
} satisfies Record<string, ResourceType>;
