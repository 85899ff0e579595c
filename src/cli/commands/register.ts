// `register`: keeps the shoot webhook configuration in every opted-in shoot through a ManagedResource
// per shoot namespace (leader-elected, run beside `serve` in every replica), or prints what it would
// write for one namespace (`--dry-run`).
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import yaml from 'js-yaml';
import { technicalIdProblem } from '../../gardener/technical-id.js';
import { DEFAULT_NAMESPACE, REGISTER_METRICS_PORT, SERVICE_NAME, SERVICE_PORT } from '../../gardener/extension-identity.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterAccess } from '../../gardener/cluster-access.js';
import { LOG_LEVELS, createLogger, flushLogger } from '../../observability/logger.js';
import { readCaBundle } from '../../certs/ca-bundle.js';
import { DEFAULT_LEASE_NAME, DEFAULT_RESYNC_PERIOD_MS, DEFAULT_STEP_INTERVAL_MS } from '../../register/defaults.js';
import { desiredResources } from '../../register/desired.js';
import { formatDuration, parseDuration } from '../../util/go-duration.js';
import { UsageError } from '../errors.js';
import { parsePort } from '../parse-port.js';
import { parseStatusUrl } from '../parse-status-url.js';
import { addSettingsOptions, settingsFrom } from '../settings-options.js';
import { printPlan } from './register-plan.js';
import { readWaves } from '../waves-file.js';

/** Beside `serve` (8080) in the same pod. */
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The flags as commander parses them, --ca-file checked present (every mode but --plan needs it). */
type RegisterOptions = ReturnType<ReturnType<typeof registerFlags>['opts']> & { caFile: string };

function registerFlags() {
  // The migration settings of `serve`, so that the rollout's "in the target" is the webhook's own, with the same settings.
  return addSettingsOptions(registerCommandFlags());
}

function registerCommandFlags() {
  return new Command('register')
    .description('keep the shoot webhook configuration in every opted-in shoot, via a ManagedResource per shoot namespace in the seed')
    .option(
      '--ca-file <file>',
      'PEM CA bundle the webhook server certificates are signed by; re-read every resync (required except with --plan)',
    )
    .option('--kubeconfig <file>', 'seed kubeconfig (default: in-cluster config)')
    .option(
      '--service-namespace <ns>',
      'namespace of the extension Service (the webhook URL host is <service>.<namespace>)',
      DEFAULT_NAMESPACE,
    )
    .option('--service-name <name>', 'name of the extension Service', SERVICE_NAME)
    .option('--service-port <port>', 'port of the extension Service', parsePort, SERVICE_PORT)
    .addOption(
      new Option('--data-format <format>', 'ManagedResource secret data: brotli (data.yaml.br, Gardener >= 1.98) or plain YAML')
        .choices(['brotli', 'plain'])
        .default('brotli'),
    )
    .option('--all-shoots', 'register every shoot namespace, not only those with an Extension of type http-proxy-migrator', false)
    .addOption(
      new Option('--resync-period <duration>', 'how often every shoot is re-checked and the CA bundle re-read')
        .argParser(parseResync)
        .default(DEFAULT_RESYNC_PERIOD_MS, formatDuration(DEFAULT_RESYNC_PERIOD_MS)),
    )
    .option('--workers <n>', 'shoot namespaces reconciled in parallel', parseWorkers, 5)
    .option('--no-leader-elect', 'write without holding the lease (a single replica only)')
    .option('--leader-election-namespace <ns>', 'namespace of the leader-election Lease (default: --service-namespace)')
    .option('--leader-election-id <name>', 'name of the leader-election Lease', DEFAULT_LEASE_NAME)
    .option('--metrics-port <port>', 'probes, metrics and status (plain HTTP) port', parsePort, REGISTER_METRICS_PORT)
    .option('--peer-status-url <url>', "the webhook server's status page, linked from this one", parseStatusUrl)
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .option('--dry-run', 'print the Secret and ManagedResource for --namespace instead of watching a cluster', false)
    .option('--namespace <shoot-namespace>', 'with --dry-run: the shoot namespace (technical ID), shoot--<project>--<name>')
    .addOption(
      new Option('-o, --output <format>', 'with --dry-run: output format (--plan: json or table, default table)')
        .choices(['yaml', 'json', 'table'])
        .default('yaml'),
    )
    .option('--plan', 'with --dry-run: print the rollout plan (waves, held, unassigned, not counted) for -f and --waves', false)
    .option(
      '--waves <file>',
      'the rollout waves configuration (see examples/rollout-waves.yaml): the leader moves shoots in these waves; with --dry-run --plan, prints the plan',
    )
    .addOption(
      new Option('--rollout-interval <duration>', 'with --waves: how often the rollout steps (it also steps after relevant changes)')
        .argParser(parseResync)
        .default(DEFAULT_STEP_INTERVAL_MS, formatDuration(DEFAULT_STEP_INTERVAL_MS)),
    )
    .option(
      '--garden-kubeconfig <file>',
      "with --waves: the garden cluster; its Shoots' APIServerAvailable and SystemComponentsHealthy are added to the health gate",
    )
    .option('-f, --filename <file>', "with --plan: the seed's Clusters (and optionally Namespaces), YAML or JSON, - for standard input");
}

export function registerCommand() {
  return registerFlags()
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ http-proxy-migrator register --dry-run --namespace shoot--foo--bar --ca-file certs/ca.crt -o yaml\n' +
        '  $ http-proxy-migrator register --dry-run --plan --waves examples/rollout-waves.yaml -f examples/clusters.yaml -o table\n' +
        '  $ http-proxy-migrator register --ca-file /etc/webhook/ca/bundle.crt --service-namespace extension-http-proxy-migrator-7xk2p\n',
    )
    .action(async (opts, command) => {
      if (opts.dryRun && opts.plan) return printPlan(opts, command.getOptionValueSource('output') === 'cli');
      for (const flag of ['plan', 'filename'] as const) {
        if (command.getOptionValueSource(flag) === 'cli')
          throw new UsageError(`--${flag} only applies with --dry-run${flag === 'plan' ? '' : ' --plan'}`);
      }
      for (const flag of ['rolloutInterval', 'gardenKubeconfig'] as const) {
        if (command.getOptionValueSource(flag) === 'cli' && !opts.waves)
          throw new UsageError(`--${flag === 'rolloutInterval' ? 'rollout-interval' : 'garden-kubeconfig'} only applies with --waves`);
      }
      if (opts.dryRun && opts.waves) throw new UsageError('--waves with --dry-run needs --plan');
      const caFile = opts.caFile;
      if (!caFile) throw new UsageError("required option '--ca-file <file>' not specified");
      if (opts.output === 'table') throw new UsageError('-o table only applies with --plan');
      if (opts.dryRun) return dryRun({ ...opts, caFile });
      for (const flag of ['namespace', 'output'] as const) {
        if (command.getOptionValueSource(flag) === 'cli') throw new UsageError(`--${flag} only applies with --dry-run`);
      }
      await run({ ...opts, caFile });
    });
}

function dryRun(opts: RegisterOptions): void {
  if (!opts.namespace) throw new UsageError('--dry-run needs --namespace <shoot-namespace>');
  const problem = technicalIdProblem(opts.namespace);
  if (problem) throw new UsageError(`--namespace ${opts.namespace}: ${problem}`);
  const { secret, managedResource } = desiredResources({
    namespace: opts.namespace,
    caBundle: readCaBundle(opts.caFile),
    serviceNamespace: opts.serviceNamespace,
    serviceName: opts.serviceName,
    servicePort: opts.servicePort,
    format: opts.dataFormat,
  });
  const out =
    opts.output === 'json'
      ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [secret, managedResource] }, null, 2)}\n`
      : [secret, managedResource].map((o) => yaml.dump(o, { noArrayIndent: true, lineWidth: -1 })).join('---\n');
  process.stdout.write(out);
}

async function run(opts: RegisterOptions): Promise<void> {
  readCaBundle(opts.caFile);
  // Refused at start, with the field named, before anything runs.
  const waves = opts.waves ? readWaves(opts.waves) : undefined;
  // Loaded here, not at start-up: the Kubernetes client and the HTTP stack would slow every other command.
  const [{ startRegistration }, { ShootMover }, { Metrics }, { createOperatorApp, listenOperator }, { registerPage }, status] =
    await Promise.all([
      import('../../register/registration.js'),
      import('../../register/shoot-mover.js'),
      import('../../observability/metrics.js'),
      import('../../server/operator-app.js'),
      import('../../server/status/register-page.js'),
      import('../../register/status.js'),
    ]);
  const startedAt = Date.now();
  // One connection pool for the controller and the leader election; token and CA files are followed.
  const cluster = await seedCluster(opts.kubeconfig);
  const garden = opts.gardenKubeconfig ? await gardenCluster(opts.gardenKubeconfig) : undefined;
  const logger = createLogger(opts.logLevel);
  const metrics = new Metrics();
  const migration = settingsFrom(opts);
  const registration = await startRegistration({
    cluster,
    caFile: opts.caFile,
    settings: {
      serviceNamespace: opts.serviceNamespace,
      serviceName: opts.serviceName,
      servicePort: opts.servicePort,
      format: opts.dataFormat,
      // The moving shoots get the Role their move uses, in the same ManagedResource as their webhook configuration.
      ...(waves ? { shootAccessRbac: true } : {}),
    },
    allShoots: opts.allShoots,
    resyncPeriodMs: opts.resyncPeriod,
    workers: opts.workers,
    registry: metrics.registry,
    leaderElection: opts.leaderElect
      ? { namespace: opts.leaderElectionNamespace ?? opts.serviceNamespace, name: opts.leaderElectionId }
      : undefined,
    logger,
    // The shoot mover is built on the leader's seed client each time this replica leads; it judges "in the target" with
    // the webhook's settings, the shoot's target in place of the phase.
    ...(waves
      ? {
          rollout: {
            config: waves,
            stepIntervalMs: opts.rolloutInterval,
            mover: ({ seed, logger: log }) => new ShootMover({ seed, logger: log, settings: migration }),
            ...(garden ? { garden } : {}),
          },
        }
      : {}),
  });
  const statusInputs = { registration, caFile: opts.caFile, startedAt, peerUrl: opts.peerStatusUrl, rollout: waves !== undefined };
  status.registerRegistrationStatusMetrics(metrics.registry, statusInputs);
  const app = createOperatorApp({
    registry: metrics.registry,
    readiness: () => [{ name: 'shoot-webhook-registration', ready: () => registration.ready() }],
    status: () => status.registrationStatus(statusInputs),
    page: registerPage,
  });
  const probes = await listenOperator(app, opts.metricsPort);
  const statusUrl = `http://localhost:${(probes.address() as AddressInfo).port}`;
  logger.info({ statusUrl, leaderElection: opts.leaderElect }, 'shoot webhook registration running');
  process.stderr.write(`http-proxy-migrator: register controller probes, metrics and status on ${statusUrl}\n`);
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await registration.stop();
    probes.close();
    flushLogger(logger);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * The seed without client-node where the kubeconfig allows (token, token file, certificates: what a
 * pod and most operators use), which keeps the process about 70 MB smaller; client-node's KubeConfig,
 * on the same kind of pool, for exec plugins, auth providers and the like.
 */
async function seedCluster(file: string | undefined): Promise<ClusterAccess> {
  const { NeedsFullClient, inClusterAccess, kubeconfigAccess } = await import('../../gardener/kubeconfig-access.js');
  try {
    if (file) return kubeconfigAccess(file);
    if (process.env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) return inClusterAccess();
  } catch (err) {
    if (!(err instanceof NeedsFullClient))
      throw new UsageError(
        `cannot load kubeconfig ${file}: ${((err as NodeJS.ErrnoException).code ?? (err as Error).message ?? String(err)).split('\n')[0]}`,
      );
  }
  const { PooledKubeConfig } = await import('../../gardener/pooled-kube-config.js');
  return seedKubeConfig(new PooledKubeConfig(), file);
}

/** The garden, as the seed is reached: without client-node where the kubeconfig allows. */
async function gardenCluster(file: string): Promise<ClusterAccess> {
  const { NeedsFullClient, kubeconfigAccess } = await import('../../gardener/kubeconfig-access.js');
  try {
    return kubeconfigAccess(file);
  } catch (err) {
    if (!(err instanceof NeedsFullClient))
      throw new UsageError(
        `cannot load garden kubeconfig ${file}: ${((err as NodeJS.ErrnoException).code ?? (err as Error).message ?? String(err)).split('\n')[0]}`,
      );
  }
  const { PooledKubeConfig } = await import('../../gardener/pooled-kube-config.js');
  return seedKubeConfig(new PooledKubeConfig(), file);
}

function seedKubeConfig<T extends KubeConfig>(kc: T, file: string | undefined): T {
  try {
    if (file) kc.loadFromFile(file);
    else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) kc.loadFromCluster();
    else throw new UsageError('no seed cluster: give --kubeconfig <file> or run in a pod with a service account');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot load kubeconfig ${file}: ${((err as Error).message ?? String(err)).split('\n')[0]}`);
  }
  if (!kc.getCurrentCluster()) throw new UsageError(`kubeconfig ${file} has no current cluster`);
  return kc;
}

function parseResync(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 100) throw new InvalidArgumentError('must be a duration of at least 100ms, like 5m, 30s or 200ms');
  return ms;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return n;
}
