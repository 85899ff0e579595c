// `serve`: the webhook server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { DEFAULT_NAMESPACE, METRICS_PORT, SERVICE_NAME, WEBHOOK_PORT } from '../../gardener/extension-identity.js';
import { landscapeProgress } from '../../gardener/migration-progress.js';
import { parseRelease, type Release } from '../../gardener/releases.js';
import { openShootSource } from '../../gardener/shoot-source.js';
import { LOG_LEVELS, createLogger, flushLogger, type Logger } from '../../observability/logger.js';
import { PreflightInputError } from '../../preflight/errors.js';
import { IN_CLUSTER } from '../../preflight/in-cluster.js';
import { openSeedIngress, type SeedSource } from '../../preflight/seed-source.js';
import type { MigrationSettings } from '../../gardener/settings.js';
import { webhooks } from '../../../webhooks/index.js';
import { readKeyPair } from '../../server/certificate-watcher.js';
import { banner } from '../banner.js';
import { applyConfigFile } from '../config-file.js';
import { UsageError } from '../errors.js';
import { gardenerVersionOption, seedsFileOption } from '../gardener-version-option.js';
import { loadSeedFile } from '../seed-file.js';
import { readText } from '../../util/input.js';
import { addSettingsOptions, settingsFrom } from '../settings-options.js';
import { parsePort } from '../parse-port.js';
import { parseStatusUrl } from '../parse-status-url.js';

export function serveCommand() {
  const command = new Command('serve')
    .description('serve the admission webhooks over TLS, with probes, metrics and the status page over plain HTTP')
    .option('--config <file>', 'YAML file with any of these settings, keyed by their camelCase names')
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'webhook (TLS) port', parsePort, WEBHOOK_PORT)
    .option('--metrics-port <port>', 'probes, metrics and status (plain HTTP) port', parsePort, METRICS_PORT)
    .option('--peer-status-url <url>', "the register controller's status page, linked from this one", parseStatusUrl)
    .option('--cert-dir <dir>', 'directory with tls.crt and tls.key, reloaded when they change', 'certs')
    .option('--generate-certs', 'create a development CA and serving certificate in --cert-dir when it has none', false)
    .option('--client-ca <file>', 'serve only clients presenting a certificate signed by this CA')
    .option('--shoots <file>', 'shoot snapshot (YAML documents, a List, or JSON) for the gardenlet-config webhook')
    .addOption(seedsFileOption())
    .addOption(gardenerVersionOption())
    .option('--garden-kubeconfig <file>', 'kubeconfig of the garden cluster, to watch shoots')
    .option(
      '--seed-kubeconfig <file>',
      `kubeconfig of the seed (or ${IN_CLUSTER}): mutate the apiserver-proxy only while its Istio ingress routes the phase`,
    )
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .option('--grace-period <seconds>', 'how long in-flight requests may finish on SIGTERM', parseSeconds, 25);
  return addSettingsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  $ http-proxy-migrator serve --config examples/dev-config.yaml\n' +
        '  $ http-proxy-migrator serve --cert-dir /etc/webhook/certs --phase unified --garden-kubeconfig /etc/garden/kubeconfig\n',
    )
    .hook('preAction', (cmd) => applyConfigFile(cmd))
    .action(async (opts) => {
      const logger = createLogger(opts.logLevel);
      const certDir = opts.certDir;
      if (opts.generateCerts && !existsSync(join(certDir, 'tls.crt'))) {
        // Loaded only when needed: the X.509 library is the heaviest module at start-up.
        const { defaultHosts, generateCertificates, writeCertificates } = await import('../../certs/generate.js');
        writeCertificates(certDir, await generateCertificates({ hosts: defaultHosts(SERVICE_NAME, DEFAULT_NAMESPACE) }));
        logger.info({ certDir }, 'generated a development CA and serving certificate');
      }
      checkReadable(certDir, opts.clientCa);
      // The server's modules (the HTTP server, prom-client) load only for this command, not for every CLI start.
      const [{ startServer }, { Metrics }] = await Promise.all([
        import('../../server/server.js'),
        import('../../observability/metrics.js'),
      ]);
      const metrics = new Metrics();
      const shoots = await openShootSource({
        shootsFile: opts.shoots,
        seeds: opts.seeds === undefined ? undefined : loadSeedFile(opts.seeds),
        seedsFile: opts.seeds,
        gardenKubeconfig: opts.gardenKubeconfig,
        inCluster: true,
        metrics,
        logger,
      });
      const index = shoots.services.shoots;
      const releaseInputs = { seeds: shoots.services.seeds, fallback: releaseOf(settingsFrom(opts).gardenerVersion) };
      if (index) (await import('../../gardener/release-metrics.js')).registerSeedReleaseMetrics(metrics, index, releaseInputs);
      const seed = await openSeedIngressOrUsageError(opts.seedKubeconfig, settingsFrom(opts), logger);
      const server = await startServer({
        webhooks,
        settings: settingsFrom(opts),
        services: { ...shoots.services, ...seed.services },
        logger,
        metrics,
        certDir,
        host: opts.host,
        port: opts.port,
        metricsPort: opts.metricsPort,
        clientCaFile: opts.clientCa,
        gracePeriodMs: opts.gracePeriod * 1000,
        readinessChecks: shoots.readiness,
        shootIndexState: shoots.state,
        progress: index ? () => landscapeProgress(index, releaseInputs) : undefined,
        peerStatusUrl: opts.peerStatusUrl,
      });
      const stop = async (signal: string): Promise<void> => {
        logger.info({ signal }, 'shutting down');
        await server.shutdown();
        shoots.stop();
        seed.stop();
        flushLogger(logger);
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      // Announced only once a signal drains: whoever reads the announcement may stop the server at once.
      announce(server.url, server.metricsUrl, certDir, settingsFrom(opts), logger);
    });
}

async function openSeedIngressOrUsageError(
  seedKubeconfig: string | undefined,
  settings: MigrationSettings,
  logger: Logger,
): Promise<SeedSource> {
  try {
    return await openSeedIngress({ seedKubeconfig, settings, logger });
  } catch (err) {
    if (err instanceof PreflightInputError) throw new UsageError(`--seed-kubeconfig: ${err.message}`);
    throw err;
  }
}

function announce(url: string, metricsUrl: string, certDir: string, settings: MigrationSettings, logger: Logger): void {
  logger.info({ url, metricsUrl }, 'serving');
  process.stderr.write(banner({ url, metricsUrl, certDir, settings, webhooks }));
}

/** Unreadable certificate files are bad input (exit 2 with the reason), not a crash of the server. */
function checkReadable(certDir: string, clientCa: string | undefined): void {
  try {
    readKeyPair(certDir);
  } catch (err) {
    throw new UsageError(`--cert-dir: ${(err as Error).message}`);
  }
  if (clientCa) readText(clientCa);
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('must be a number of seconds');
  return seconds;
}

/** --gardener-version was checked when it was read; undefined when not given. */
function releaseOf(version: string | undefined): Release | undefined {
  const parsed = version === undefined ? undefined : parseRelease(version);
  return parsed?.ok ? parsed.release : undefined;
}
