// Cluster access from a kubeconfig file or the pod's service account without loading client-node
// (whose generated API alone costs a long-running process about 70 MB). Covers what extensions and
// operators use: CA, client certificate and key, token or token file, skipping verification, a TLS
// server name. Files are followed: a rotated CA, certificate or token is used from the next request.
// Anything else (exec plugins, auth providers, basic auth, impersonation, proxies) is left to
// client-node: NeedsFullClient tells the caller to fall back to PooledKubeConfig.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import yaml from 'js-yaml';
import type { ClusterAccess, RequestAccess } from './cluster-access.js';
import { ConnectionPool, DEFAULT_POOL_LIMITS, type PoolLimits } from './connection-pool.js';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A configuration only client-node handles; the message names what. */
export class NeedsFullClient extends Error {}

/** A value kept in a file, read again whenever the file changes (one stat per request). */
class FollowedFile {
  private value?: Buffer;
  private stamp = '';

  constructor(readonly path: string) {}

  read(): Buffer {
    const stat = statSync(this.path);
    const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    if (stamp !== this.stamp || !this.value) {
      this.value = readFileSync(this.path);
      this.stamp = stamp;
    }
    return this.value;
  }
}

/** A value read at each request: a followed file, or a token held elsewhere (a Secret). */
interface Readable {
  read(): Buffer;
}
type Source = Buffer | Readable | undefined;
const valueOf = (source: Source): Buffer | undefined => (source === undefined || Buffer.isBuffer(source) ? source : source.read());

interface Parts {
  server: string;
  ca?: Source;
  cert?: Source;
  key?: Source;
  token?: Source;
  insecure?: boolean;
  servername?: string;
}

class FileClusterAccess implements ClusterAccess {
  readonly pool: ConnectionPool;

  constructor(
    private readonly parts: Parts,
    limits: PoolLimits,
  ) {
    this.pool = new ConnectionPool(limits);
  }

  server(): string {
    return this.parts.server;
  }

  async requestAccess(): Promise<RequestAccess> {
    const { parts } = this;
    const agent = this.pool.agentWith(parts.server, {
      ca: valueOf(parts.ca),
      cert: valueOf(parts.cert),
      key: valueOf(parts.key),
      rejectUnauthorized: parts.insecure ? false : undefined,
      servername: parts.servername,
    });
    const token = valueOf(parts.token)?.toString('utf8').trim();
    return { agent, headers: token ? { Authorization: `Bearer ${token}` } : {} };
  }
}

type Named = Record<string, unknown> & { name?: unknown };

/** The current context's cluster and user entries; throws NeedsFullClient for what only client-node handles. */
function currentEntries(raw: Record<string, unknown> | undefined): {
  cluster: Record<string, unknown> & { server: string };
  user: Record<string, unknown>;
} {
  const find = (list: unknown, name: unknown, field: string): Record<string, unknown> | undefined =>
    ((Array.isArray(list) ? list : []) as Named[]).find((e) => e?.name === name)?.[field] as Record<string, unknown> | undefined;
  const context = find(raw?.contexts, raw?.['current-context'], 'context');
  const cluster = find(raw?.clusters, context?.cluster, 'cluster');
  if (!cluster || typeof cluster.server !== 'string') throw new NeedsFullClient('no current cluster');
  const user = find(raw?.users, context?.user, 'user') ?? {};
  for (const field of ['exec', 'auth-provider', 'username', 'password', 'as', 'as-groups', 'client-key-passphrase']) {
    if (user[field] !== undefined) throw new NeedsFullClient(`user ${field}`);
  }
  if (cluster['proxy-url'] !== undefined) throw new NeedsFullClient('proxy-url');
  return { cluster: cluster as Record<string, unknown> & { server: string }, user };
}

/**
 * A kubeconfig held in memory (a Secret's data) as ClusterAccess, authenticated with the bearer token `token()`
 * returns at each request. Only inline data is used: a kubeconfig read from a cluster never makes this process read
 * its own files, and its user's token or token file is what `token` stands for. `server` may rewrite the address.
 */
export function kubeconfigDataAccess(
  text: string,
  token: () => string,
  options: { server?: (server: string) => string; limits?: PoolLimits } = {},
): ClusterAccess {
  const { cluster } = currentEntries(yaml.load(text) as Record<string, unknown> | undefined);
  if (typeof cluster['certificate-authority'] === 'string') throw new NeedsFullClient('certificate-authority file');
  const ca = cluster['certificate-authority-data'];
  const server = cluster.server.replace(/\/$/, '');
  return new FileClusterAccess(
    {
      server: options.server ? options.server(server) : server,
      ca: typeof ca === 'string' && ca ? Buffer.from(ca, 'base64') : undefined,
      token: { read: () => Buffer.from(token()) },
      insecure: cluster['insecure-skip-tls-verify'] === true,
      servername: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    },
    options.limits ?? DEFAULT_POOL_LIMITS,
  );
}

/** The kubeconfig's current context as ClusterAccess; throws NeedsFullClient for what only client-node handles. */
export function kubeconfigAccess(file: string, limits: PoolLimits = DEFAULT_POOL_LIMITS): ClusterAccess {
  const { cluster, user } = currentEntries(yaml.load(readFileSync(file, 'utf8')) as Record<string, unknown> | undefined);
  const dir = dirname(file);
  const from = (data: unknown, path: unknown): Source => {
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
    if (typeof path === 'string' && path) return new FollowedFile(isAbsolute(path) ? path : join(dir, path));
    return undefined;
  };
  const tokenFile = user.tokenFile ?? user['token-file'];
  return new FileClusterAccess(
    {
      server: cluster.server.replace(/\/$/, ''),
      ca: from(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: from(user['client-certificate-data'], user['client-certificate']),
      key: from(user['client-key-data'], user['client-key']),
      token: typeof user.token === 'string' && user.token ? Buffer.from(user.token) : from(undefined, tokenFile),
      insecure: cluster['insecure-skip-tls-verify'] === true,
      servername: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    },
    limits,
  );
}

/** The pod's service account: the kubelet rotates its token file, a CA rotation rewrites ca.crt. */
export function inClusterAccess(prefix = '', limits: PoolLimits = DEFAULT_POOL_LIMITS): ClusterAccess {
  const host = process.env.KUBERNETES_SERVICE_HOST ?? '';
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const dir = `${prefix}${SERVICE_ACCOUNT_DIR}`;
  return new FileClusterAccess({ server, ca: new FollowedFile(join(dir, 'ca.crt')), token: new FollowedFile(join(dir, 'token')) }, limits);
}
