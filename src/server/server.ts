// The webhook server: the TLS listener for admission reviews and the plain listener for probes and
// metrics, with certificate reload and graceful shutdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Webhook } from '../admission/webhook.js';
import type { MigrationSettings } from '../gardener/settings.js';
import type { SeedProgress } from '../gardener/migration-progress-shape.js';
import type { Services } from '../gardener/services.js';
import type { Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { CertificateWatcher } from './certificate-watcher.js';
import { GardenCalls } from './garden-calls.js';
import { createOperatorApp, listenOperator } from './operator-app.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import { registerServerMetrics } from './server-metrics.js';
import { webhookPage } from './status/webhook-page.js';
import { webhookStatus, type ShootIndexState } from './status/webhook-status.js';
import { createReviewEndpoint } from './review-endpoint.js';
import { WebhookRouter } from './router.js';
import { sendNotFound } from './text-answer.js';
import { listenerTlsOptions, secureContextOptions } from './tls-options.js';

export interface ServerOptions {
  webhooks: readonly Webhook[];
  settings: MigrationSettings;
  services: Services;
  logger: Logger;
  metrics?: Metrics;
  certDir: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  metricsHost?: string;
  metricsPort: number;
  clientCaFile?: string;
  certPollIntervalMs?: number;
  /** How long in-flight requests may take to finish after shutdown begins. */
  gracePeriodMs?: number;
  /** Extra conditions for /readyz, such as a synced shoot index. */
  readinessChecks?: readonly ReadinessCheck[];
  maxBodyBytes?: number;
  /** Per seed and gate migration progress, for /status and the page. */
  progress?: () => SeedProgress[];
  /** Where the shoot index stands, for /status. */
  shootIndexState?: () => ShootIndexState;
  /** The register controller's status page, linked from ours. */
  peerStatusUrl?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  metricsUrl: string;
  metrics: Metrics;
  gardenCalls: GardenCalls;
  https: HttpsServer;
  certificates: CertificateWatcher;
  ready(): boolean;
  /** Readiness false at once, no new connections, in-flight requests finish within the grace period. */
  shutdown(): Promise<void>;
}

export const KEEP_ALIVE_TIMEOUT_MS = 95_000;
const LOOPBACK_OR_ANY = new Set(['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost']);

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const metrics = options.metrics ?? new Metrics();
  const clientCa = options.clientCaFile ? readFileSync(options.clientCaFile) : undefined;
  let draining = false;
  let inFlight = 0;

  const router = new WebhookRouter(options.webhooks);
  const gardenCalls = new GardenCalls();
  const startedAt = Date.now();
  const serveReview = createReviewEndpoint({
    settings: options.settings,
    services: options.services,
    logger,
    metrics,
    draining: () => draining,
    maxBodyBytes: options.maxBodyBytes,
  });

  // onChange runs only after start(), when httpsServer below exists.
  const certificates = new CertificateWatcher({
    certDir: options.certDir,
    logger,
    pollIntervalMs: options.certPollIntervalMs,
    onChange: (pair) => httpsServer.setSecureContext(secureContextOptions(pair.cert, pair.key, clientCa)),
  });
  const initial = certificates.pair;
  const tlsOptions = listenerTlsOptions(initial.cert, initial.key, clientCa);
  // Node enforces the headers and request timeouts only when it sweeps its connections (every 30 s by
  // default), so a slow sender could hold a connection for 45 s instead of 15; sweep every second.
  const httpsServer: HttpsServer = createHttpsServer({ ...tlsOptions, connectionsCheckingInterval: 1_000 }, (req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
    const route = req.url ? router.match(req.url) : undefined;
    if (route?.target === 'garden') gardenCalls.record();
    if (route) serveReview(route, req, res);
    else sendNotFound(req, res, 'webhook');
  });
  httpsServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  httpsServer.headersTimeout = 15_000;
  httpsServer.requestTimeout = 30_000;
  httpsServer.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));

  const readinessChecks: ReadinessCheck[] = [
    { name: 'webhook-listener', ready: () => httpsServer.listening && !draining },
    ...(options.readinessChecks ?? []),
  ];
  // ca.crt beside the serving pair (the TLS Secret's CA bundle), when the Secret carries one.
  const caFile = join(options.certDir, 'ca.crt');
  const servingNotAfter = (): Date => certificates.pair.notAfter;
  registerServerMetrics(metrics, { servingNotAfter, caFile, gardenCalls });
  const shoots = options.services.shoots;
  const statusInputs = {
    settings: options.settings,
    shoots,
    seeds: options.services.seeds as (Services['seeds'] & { readonly size?: number }) | undefined,
    progress: options.progress,
    shootIndex: options.shootIndexState ?? ((): ShootIndexState => ({ source: null })),
    metrics,
    servingNotAfter,
    caFile,
    gardenCalls,
    startedAt,
    peerUrl: options.peerStatusUrl,
  };
  const operatorApp = createOperatorApp({
    registry: metrics.registry,
    readiness: () => readinessChecks,
    status: () => webhookStatus(statusInputs),
    page: webhookPage,
  });

  await listen(httpsServer, options.port, options.host);
  const probeServer: HttpServer = await listenOperator(operatorApp, options.metricsPort, options.metricsHost ?? options.host);
  certificates.start();

  const port = (httpsServer.address() as AddressInfo).port;
  const metricsPort = (probeServer.address() as AddressInfo).port;
  const shownHost = !options.host || LOOPBACK_OR_ANY.has(options.host) ? 'localhost' : options.host;

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      draining = true;
      certificates.stop();
      const closed = new Promise<void>((resolve) => httpsServer.close(() => resolve()));
      httpsServer.closeIdleConnections();
      const deadline = Date.now() + (options.gracePeriodMs ?? 25_000);
      while (inFlight > 0 && Date.now() < deadline) await sleep(20);
      if (inFlight > 0) logger.warn({ inFlight }, 'grace period over; closing the remaining connections');
      httpsServer.closeAllConnections();
      await closed;
      probeServer.closeAllConnections();
      await new Promise<void>((resolve) => probeServer.close(() => resolve()));
    })();
    return shuttingDown;
  };

  return {
    url: `https://${shownHost}:${port}`,
    port,
    metricsUrl: `http://${shownHost}:${metricsPort}`,
    metrics,
    gardenCalls,
    https: httpsServer,
    certificates,
    ready: () => readinessChecks.every((c) => c.ready()),
    shutdown,
  };
}

function listen(server: HttpServer | HttpsServer, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
