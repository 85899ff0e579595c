// One keep-alive connection pool per cluster. client-node builds a fresh agent for every call, so
// nothing is kept alive and each request pays a TLS handshake on both ends. The pool takes the TLS
// settings from the agent client-node built for a call (it re-reads CA and client certificate files
// each time) and hands out one long-lived agent per distinct setting: a rotated CA or client
// certificate yields a new agent, and the superseded one closes its connections once they are idle.
import http from 'node:http';
import https from 'node:https';

export interface PoolLimits {
  /** Connections to the API server at most, watches included (each holds one while open). */
  maxSockets: number;
  /** Idle connections kept for reuse. */
  maxFreeSockets: number;
  /** An idle connection is closed after this long (Go's http.Transport: 90 s). */
  idleTimeoutMs: number;
}

export const DEFAULT_POOL_LIMITS: PoolLimits = { maxSockets: 32, maxFreeSockets: 16, idleTimeoutMs: 90_000 };

/** The options client-node puts on the agent it builds; what decides whether two agents are interchangeable. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;
export type TlsSettings = Partial<Record<(typeof TLS_FIELDS)[number], unknown>>;

interface Pooled {
  settings: TlsSettings;
  agent: http.Agent;
}

export class ConnectionPool {
  private readonly current = new Map<string, Pooled>();
  /** Connections opened over the pool's life (tests and the benchmark count reuse by it). */
  connectionsOpened = 0;

  constructor(private readonly limits: PoolLimits = DEFAULT_POOL_LIMITS) {}

  /**
   * The pooled agent for a call to `server` with the TLS settings of `built` (the agent client-node
   * made for this one call, which is dropped). Proxy agents are pooled as they come.
   */
  agentFor(server: string, built: unknown): http.Agent | undefined {
    if (!(built instanceof http.Agent)) return built as http.Agent | undefined;
    const plain = built.constructor === http.Agent || built.constructor === https.Agent;
    return this.pooled(`${server} ${plain ? built.constructor.name : 'proxy'}`, settingsOf(built), (settings) =>
      plain ? this.newAgent(built.constructor === https.Agent, settings) : built,
    );
  }

  /** The pooled agent for `server` (http: or https:) with these TLS settings. */
  agentWith(server: string, settings: TlsSettings): http.Agent {
    const tls = !server.startsWith('http:');
    return this.pooled(`${server} ${tls ? 'https' : 'http'}`, settings, (s) => this.newAgent(tls, s));
  }

  private pooled(key: string, settings: TlsSettings, make: (settings: TlsSettings) => http.Agent): http.Agent {
    const pooled = this.current.get(key);
    if (pooled && sameSettings(pooled.settings, settings)) return pooled.agent;
    if (pooled) retire(pooled.agent);
    const agent = make(settings);
    this.current.set(key, { settings, agent });
    return agent;
  }

  /** Closes every connection; for shutdown and tests. */
  destroy(): void {
    for (const { agent } of this.current.values()) agent.destroy();
    this.current.clear();
  }

  private newAgent(tls: boolean, settings: TlsSettings): http.Agent {
    const options = {
      ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
      keepAlive: true,
      // Reuse the most recently used connection: under light load the others go idle and close.
      scheduling: 'lifo' as const,
      maxSockets: this.limits.maxSockets,
      maxTotalSockets: this.limits.maxSockets,
      maxFreeSockets: this.limits.maxFreeSockets,
      // The agent closes a free connection after this much idle time (in-use ones are left alone).
      timeout: this.limits.idleTimeoutMs,
    };
    const agent = tls ? new https.Agent(options) : new http.Agent(options);
    const create = agent.createConnection.bind(agent);
    const count = (): void => void this.connectionsOpened++;
    // createConnection is the one place every new connection passes through.
    agent.createConnection = ((...args: Parameters<typeof create>) => {
      count();
      return create(...args);
    }) as typeof agent.createConnection;
    return agent;
  }
}

function settingsOf(agent: http.Agent): TlsSettings {
  const options = (agent as unknown as { options?: Record<string, unknown> }).options ?? {};
  return Object.fromEntries(TLS_FIELDS.map((f) => [f, options[f]]));
}

function sameSettings(a: TlsSettings, b: TlsSettings): boolean {
  return TLS_FIELDS.every((f) => {
    const x = a[f];
    const y = b[f];
    if (Buffer.isBuffer(x) && Buffer.isBuffer(y)) return x.equals(y);
    return x === y;
  });
}

/** In-flight requests and open watches finish on the old agent; its idle connections close now, the rest when freed. */
function retire(agent: http.Agent): void {
  agent.maxFreeSockets = 0;
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}
