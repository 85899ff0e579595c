// The registration controller against a fake seed kube-apiserver over TLS on loopback: the real
// `register` command (a child process pinned to the server core) registers N shoot namespaces that
// each hold an Extension asking for a reconcile, as gardenlet creates them. Measured: time until all
// are registered, API requests and TLS connections per shoot, the controller's peak RSS, what a resync
// of unchanged shoots asks of the API server, and what a restart over the registered state writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { generateCertificates, writeCertificates } from '../src/certs/generate.js';
import { REGISTER_NODE_OPTIONS } from '../src/manifests/deployment.js';
import { pinnedToServerCore } from './cores.js';
import { repoRoot } from './paths.js';
import { cpuSecondsOf, memoryOf } from './process-stats.js';

export const CONTROLLER_SCENARIO = 'register-controller';
export const CONTROLLER_SHOOTS = 2000;

/** Reported against, never asserted: a busy machine should still produce a report. */
export const CONTROLLER_TARGETS = {
  maxSecondsToRegisterAll: 8,
  maxRequestsPerNewShoot: 6,
  maxConnectionsPerRequest: 1 / 50,
  maxPeakRssMb: 120,
  maxResyncRequestsPerShoot: 1 / 20,
  maxRestartWrites: 0,
};

export interface ControllerResult {
  shoots: number;
  secondsToRegisterAll: number;
  requests: number;
  requestsPerShoot: number;
  writesPerShoot: number;
  byVerb: Record<string, number>;
  connections: number;
  connectionsPerRequest: number;
  peakRssMb: number;
  controllerCpuSeconds: number;
  resync: { resyncs: number; requests: number; requestsPerShoot: number };
  restart: { secondsToRegisterAll: number; requests: number; writes: number };
}

interface FakeStats {
  requests: Record<string, number>;
  byVerb: Record<string, number>;
  writes: number;
  connections: number;
}

const RESYNC_PERIOD = '3s';
const TIMEOUT_MS = 180_000;

/** `profileDir`: the first controller (fresh seed, then resyncs) writes a V8 CPU profile there. */
export async function runControllerScenario(work: string, shoots = CONTROLLER_SHOOTS, profileDir?: string): Promise<ControllerResult> {
  const certDir = join(work, 'seed-certs');
  writeCertificates(certDir, await generateCertificates({ hosts: ['127.0.0.1', 'localhost'] }));
  const fake = await startFakeSeed(certDir, shoots);
  const kubeconfig = join(work, 'seed-kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'seed', cluster: { server: fake.url, 'certificate-authority': join(certDir, 'ca.crt') } }],
      users: [{ name: 'seed', user: { token: 'bench' } }],
      contexts: [{ name: 'seed', context: { cluster: 'seed', user: 'seed' } }],
      'current-context': 'seed',
    }),
  );
  const debug = (path: string) => getJson<FakeStats & Record<string, unknown>>(fake.url, path, certDir);
  try {
    await debug('/debug/stats?reset=1');
    // 1. A fresh seed: every shoot new.
    let controller = await startController(kubeconfig, join(certDir, 'ca.crt'), profileDir);
    const registered = await untilRegistered(controller, shoots);
    const first = await debug('/debug/stats?reset=1');
    const peakRssMb = memoryOf(controller.child.pid!)?.peakRssMb ?? NaN;
    const controllerCpuSeconds = cpuSecondsOf(controller.child.pid!) ?? NaN;
    const requests = total(first.requests);

    // 2. Resyncs of the registered, unchanged shoots.
    const before = await metric(controller.metricsPort, 'shoot_webhooks_resyncs_total');
    await debug('/debug/stats?reset=1');
    await until(async () => (await metric(controller.metricsPort, 'shoot_webhooks_resyncs_total')) >= before + 3, 'three resyncs');
    const resyncStats = await debug('/debug/stats?reset=1');
    const resyncs = (await metric(controller.metricsPort, 'shoot_webhooks_resyncs_total')) - before;
    const resyncRequests = total(resyncStats.requests);
    await controller.stop();

    // 3. A restart over the registered state.
    await debug('/debug/stats?reset=1');
    controller = await startController(kubeconfig, join(certDir, 'ca.crt'));
    const again = await untilRegistered(controller, shoots);
    const restartStats = await debug('/debug/stats?reset=1');
    await controller.stop();

    return {
      shoots,
      secondsToRegisterAll: registered,
      requests,
      requestsPerShoot: requests / shoots,
      writesPerShoot: first.writes / shoots,
      byVerb: first.requests,
      connections: first.connections,
      connectionsPerRequest: first.connections / requests,
      peakRssMb,
      controllerCpuSeconds,
      resync: { resyncs, requests: resyncRequests, requestsPerShoot: resyncRequests / (resyncs * shoots) },
      restart: { secondsToRegisterAll: again, requests: total(restartStats.requests), writes: restartStats.writes },
    };
  } finally {
    fake.stop();
  }
}

export function formatControllerReport(r: ControllerResult): string {
  const t = CONTROLLER_TARGETS;
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  const rows: [string, string, string, boolean][] = [
    [
      `time until all ${r.shoots} registered (from spawn)`,
      `${r.secondsToRegisterAll.toFixed(1)} s`,
      `<= ${t.maxSecondsToRegisterAll} s`,
      r.secondsToRegisterAll <= t.maxSecondsToRegisterAll,
    ],
    [
      'API requests per new shoot (lists and watches included)',
      r.requestsPerShoot.toFixed(2),
      `<= ${t.maxRequestsPerNewShoot}`,
      r.requestsPerShoot <= t.maxRequestsPerNewShoot,
    ],
    ['of them writes', r.writesPerShoot.toFixed(2), '', true],
    [
      'TLS connections per request',
      `${r.connections} / ${r.requests} = 1 per ${(r.requests / Math.max(r.connections, 1)).toFixed(0)}`,
      '<= 1 per 50',
      r.connectionsPerRequest <= t.maxConnectionsPerRequest,
    ],
    ['controller peak RSS', `${r.peakRssMb.toFixed(0)} MiB`, `< ${t.maxPeakRssMb} MiB`, r.peakRssMb < t.maxPeakRssMb],
    ['controller CPU until all registered', `${r.controllerCpuSeconds.toFixed(1)} s`, '', true],
    [
      `requests per shoot and resync (${r.resync.resyncs} resyncs)`,
      `${r.resync.requests} in all = ${r.resync.requestsPerShoot.toFixed(4)}`,
      '<= 1 per 20 shoots',
      r.resync.requestsPerShoot <= t.maxResyncRequestsPerShoot,
    ],
    ['restart: writes', String(r.restart.writes), '0', r.restart.writes <= t.maxRestartWrites],
    ['restart: requests, time until all synced', `${r.restart.requests}, ${r.restart.secondsToRegisterAll.toFixed(1)} s`, '', true],
  ];
  const width = Math.max(...rows.map((x) => x[0].length));
  const lines = rows.map(([name, value, target, ok]) =>
    `  ${name.padEnd(width)}  ${value.padEnd(26)} ${target ? `${target.padEnd(18)} ${mark(ok)}` : ''}`.trimEnd(),
  );
  const verbs = Object.entries(r.byVerb)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [`${CONTROLLER_SCENARIO}: ${r.shoots} shoots, fake seed API over TLS on loopback`, ...lines, `  requests by verb: ${verbs}`].join(
    '\n',
  );
}

// ---- processes ----

interface Fake {
  url: string;
  stop(): void;
}

async function startFakeSeed(certDir: string, shoots: number): Promise<Fake> {
  const script = join(repoRoot(), 'bench', 'fake-seed-apiserver.cjs');
  const child = spawn(
    process.execPath,
    [
      script,
      '--namespaces',
      String(shoots),
      '--tls-cert',
      join(certDir, 'tls.crt'),
      '--tls-key',
      join(certDir, 'tls.key'),
      '--max-seconds',
      '900',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await firstLine(child);
  const { listening } = JSON.parse(line) as { listening: string };
  return { url: listening, stop: () => void child.kill('SIGTERM') };
}

interface Controller {
  child: ChildProcess;
  metricsPort: number;
  spawnedAt: number;
  stop(): Promise<void>;
}

async function startController(kubeconfig: string, caFile: string, profileDir?: string): Promise<Controller> {
  const metricsPort = await freePort();
  const main = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // As the register container runs it (its NODE_OPTIONS).
  const args = [
    ...REGISTER_NODE_OPTIONS.split(' '),
    ...profile,
    main,
    'register',
    '--kubeconfig',
    kubeconfig,
    '--ca-file',
    caFile,
    '--no-leader-elect',
    '--metrics-port',
    String(metricsPort),
    '--resync-period',
    RESYNC_PERIOD,
    '--log-level',
    'warn',
  ];
  const { command, args: pinned } = pinnedToServerCore(process.execPath, args);
  const spawnedAt = performance.now();
  const child = spawn(command, pinned, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    metricsPort,
    spawnedAt,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Seconds from spawn until the controller reports every shoot registered. */
async function untilRegistered(controller: Controller, shoots: number): Promise<number> {
  // Every scrape serializes a series per namespace (a few ms of controller CPU at 2,000 shoots): polled
  // every 100 ms, the bench's own scrapes were about a tenth of the CPU it reports.
  await until(
    async () => (await metric(controller.metricsPort, 'shoot_webhooks_registered').catch(() => 0)) >= shoots,
    `${shoots} shoots registered`,
    250,
  );
  return (performance.now() - controller.spawnedAt) / 1000;
}

// ---- helpers ----

async function until(condition: () => Promise<boolean>, what: string, everyMs = 250): Promise<void> {
  const end = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`not reached in ${TIMEOUT_MS / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** One unlabelled sample of the controller's metrics (prefix http_proxy_migrator_). */
function metric(port: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        const match = new RegExp(`^http_proxy_migrator_${name} (\\S+)$`, 'm').exec(text);
        if (match) resolve(Number(match[1]));
        else reject(new Error(`no ${name}`));
      });
    }).on('error', reject);
  });
}

function getJson<T>(base: string, path: string, certDir: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(new URL(path, base), { ca: readFileSync(join(certDir, 'ca.crt')) }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve(JSON.parse(text) as T));
    }).on('error', reject);
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      text += c;
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`fake seed API server exited (${code}) before listening`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
