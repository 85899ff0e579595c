// A real webhook server on ephemeral loopback ports with in-memory logs, and an Agent trusting its CA.
import type { Agent } from 'node:https';
import type { LevelWithSilent } from 'pino';
import { afterAll } from 'vitest';
import type { Webhook } from '../../src/admission/webhook.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { Metrics } from '../../src/observability/metrics.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.js';
import { sharedCertDir, type CertDir } from './certs.js';
import { trustingAgent } from './client.js';
import { captureLogs, type CapturedLogs } from './logs.js';

export interface TestServer {
  server: RunningServer;
  /** https://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<metrics port> */
  metricsUrl: string;
  agent: Agent;
  certs: CertDir;
  logs: CapturedLogs;
}

export type TestServerOptions = Partial<ServerOptions> & {
  webhooks: readonly Webhook[];
  certs?: CertDir;
  /** Level of the captured logs (debug unless given). */
  logLevel?: LevelWithSilent;
};

/** Starts a server on 127.0.0.1 port 0 (the shared cert dir unless `certs` is given); shut down after the file. */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const certs = options.certs ?? (await sharedCertDir());
  const { logLevel = 'debug', ...serverOptions } = options;
  const logs = captureLogs(logLevel);
  const server = await startServer({
    settings: DEFAULT_SETTINGS,
    services: {},
    logger: logs.logger,
    metrics: new Metrics({ defaultMetrics: false }),
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    ...serverOptions,
    certDir: certs.dir,
  });
  const agent = trustingAgent(certs.caCert);
  afterAll(async () => {
    agent.destroy();
    await server.shutdown();
  });
  return {
    server,
    url: `https://127.0.0.1:${server.port}`,
    metricsUrl: server.metricsUrl.replace('localhost', '127.0.0.1'),
    agent,
    certs,
    logs,
  };
}
