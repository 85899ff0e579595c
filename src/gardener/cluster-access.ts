// What a client needs to reach one cluster: its server, and for each request the pooled agent (TLS
// settings as of now) and the headers (credentials as of now). Implemented without client-node for the
// common kubeconfigs (kubeconfig-access.ts) and by PooledKubeConfig for everything else.
import type http from 'node:http';
import type { ConnectionPool } from './connection-pool.js';

export interface RequestAccess {
  agent: http.Agent | undefined;
  headers: Record<string, string>;
}

export interface ClusterAccess {
  readonly pool: ConnectionPool;
  /** The API server URL, e.g. https://api.seed.example:443. */
  server(): string;
  requestAccess(): Promise<RequestAccess>;
}
