// A KubeConfig whose every request, from client-node's API clients, its Watch, or our own requests,
// goes through one connection pool, and whose token files are re-read when they change. client-node
// offers no way to give it an agent: the two public entry points that build one per call are
// overridden here, once, and swap in the pooled agent.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { ClusterAccess, RequestAccess } from './cluster-access.js';
import { ConnectionPool, DEFAULT_POOL_LIMITS, type PoolLimits } from './connection-pool.js';

/** In-cluster, the kubelet rotates the projected service account token in this file. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export class PooledKubeConfig extends k8s.KubeConfig implements ClusterAccess {
  readonly pool: ConnectionPool;
  /** user name -> token file, for users whose token is kept in a file (kubeconfig `tokenFile`, in-cluster). */
  private readonly tokenFiles = new Map<string, TokenFile>();

  constructor(limits: PoolLimits = DEFAULT_POOL_LIMITS) {
    super();
    this.pool = new ConnectionPool(limits);
    this.addAuthenticator({
      isAuthProvider: (user: k8s.User) => this.tokenFiles.has(user.name),
      applyAuthentication: async (user: k8s.User, opts: { headers?: Record<string, string> }) => {
        const token = this.tokenFiles.get(user.name)!.read();
        opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
      },
    });
  }

  override loadFromFile(file: string, opts?: Partial<k8s.ConfigOptions>): void {
    super.loadFromFile(file, opts);
    // client-node reads `token-file` once at load and ignores kubeconfig's own `tokenFile`.
    const raw = yaml.load(readFileSync(file, 'utf8')) as { users?: { name?: string; user?: Record<string, unknown> }[] } | undefined;
    for (const entry of raw?.users ?? []) {
      const path = entry.user?.tokenFile ?? entry.user?.['token-file'];
      if (typeof entry.name === 'string' && typeof path === 'string')
        this.followTokenFile(entry.name, isAbsolute(path) ? path : join(dirname(file), path));
    }
  }

  override loadFromCluster(pathPrefix?: string): void {
    super.loadFromCluster(pathPrefix);
    const user = this.getCurrentUser();
    if (user) this.followTokenFile(user.name, `${pathPrefix ?? ''}${SERVICE_ACCOUNT_TOKEN}`);
  }

  /** Used by client-node's Watch (through applyToFetchOptions) and by KubeClient. */
  override async applyToHTTPSOptions(opts: Parameters<k8s.KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    (opts as { agent?: unknown }).agent = this.pool.agentFor(this.getCurrentCluster()?.server ?? '', (opts as { agent?: unknown }).agent);
  }

  /** Used by every generated API client (CoreV1Api, CustomObjectsApi, ...). */
  override async applySecurityAuthentication(context: k8s.RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const agent = this.pool.agentFor(this.getCurrentCluster()?.server ?? '', context.getAgent());
    if (agent) context.setAgent(agent);
  }

  server(): string {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in the kubeconfig');
    return cluster.server;
  }

  /** For KubeClient: everything client-node knows to authenticate with, and the pooled agent. */
  async requestAccess(): Promise<RequestAccess> {
    const opts: import('node:https').RequestOptions = {};
    await this.applyToHTTPSOptions(opts);
    const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k, String(v)]));
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return { agent: opts.agent as RequestAccess['agent'], headers };
  }

  private followTokenFile(userName: string, path: string): void {
    this.tokenFiles.set(userName, new TokenFile(path));
    // A static token would override the authenticator's header (client-node applies it last).
    this.users = this.users.map((u) => (u.name === userName ? { ...u, token: undefined, authProvider: undefined } : u));
  }
}

/** A token kept in a file, re-read whenever the file changes (a stat per request, no timer). */
class TokenFile {
  private token = '';
  private stamp = '';

  constructor(private readonly path: string) {}

  read(): string {
    const stat = statSync(this.path);
    const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    if (stamp !== this.stamp) {
      this.token = readFileSync(this.path, 'utf8').trim();
      this.stamp = stamp;
    }
    return this.token;
  }
}

const pooledCopies = new WeakMap<k8s.KubeConfig, PooledKubeConfig>();

/** The pooled form of a KubeConfig: itself if it is one, else one shared copy per KubeConfig. */
export function pooledKubeConfig(kubeConfig: k8s.KubeConfig): PooledKubeConfig {
  if (kubeConfig instanceof PooledKubeConfig) return kubeConfig;
  let copy = pooledCopies.get(kubeConfig);
  if (!copy) {
    copy = new PooledKubeConfig();
    copy.mergeConfig(kubeConfig);
    pooledCopies.set(kubeConfig, copy);
  }
  return copy;
}
