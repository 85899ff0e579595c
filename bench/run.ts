// npm run bench [-- --duration 10 --warmup 2 --rounds 3 --connections 16 --rate 0 --load wrk|autocannon --scenarios a,b --profile]
// The register-controller scenario (the registration against a fake seed API over TLS) runs after the
// webhook scenarios; the load options do not apply to it.
// Each scenario against the bare baseline and then the webhook server, alternating for a few rounds
// (this machine's speed drifts by a tenth between minutes), each server in its own process
// pinned to core 0, with the load generator (wrk where installed, else autocannon) pinned to core 1.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCertificates, writeCertificates } from '../src/certs/generate.js';
import { reexecPinned } from './cores.js';
import { LOAD_GENERATORS, chooseLoadGenerator, runLoad, type LoadGenerator } from './load.js';
import { describeMachine } from './machine.js';
import { cpuSecondsOf, machineBusySeconds, memoryOf } from './process-stats.js';
import { formatSelfTime, selfTimeByFunction } from './profile-summary.js';
import { checksOf, cpuRatioOf, formatReport, medianRun, ratioOf, writeResults, type ScenarioResult, type ServerRun } from './report.js';
import { requestsFor, type RequestSource } from './reviews.js';
import { CONTROLLER_SCENARIO, formatControllerReport, runControllerScenario, type ControllerResult } from './controller.js';
import { SCENARIOS, findScenario, type Scenario } from './scenarios.js';
import { startServerProcess } from './server-process.js';
import { sampleVerdict, scrapeVerdictCounters } from './verdicts.js';
import { writeShootSnapshot } from './shoots.js';
import { resultsDir } from './paths.js';

/** Time for the heap to settle after start before "idle" memory is read. */
const IDLE_SETTLE_MS = 500;

interface RunOptions {
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  /** Requests per second over all connections; 0 for as fast as the server answers (closed loop). */
  rate: number;
  scenarios: Scenario[];
  controller: boolean;
  profile: boolean;
  load: LoadGenerator;
}

function options(): RunOptions {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16' },
      rate: { type: 'string', default: '0' },
      scenarios: { type: 'string', default: [...SCENARIOS.map((s) => s.name), CONTROLLER_SCENARIO].join(',') },
      profile: { type: 'boolean', default: false },
      load: { type: 'string' },
    },
  });
  const number = (name: string, value: string, min: number): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number of at least ${min}, not ${value}`);
    return n;
  };
  if (values.load !== undefined && !(LOAD_GENERATORS as readonly string[]).includes(values.load)) {
    throw new Error(`--load must be one of ${LOAD_GENERATORS.join(', ')}, not ${values.load}`);
  }
  const rate = number('rate', values.rate, 0);
  const names = values.scenarios.split(',').filter(Boolean);
  return {
    durationSeconds: number('duration', values.duration, 1),
    warmupSeconds: number('warmup', values.warmup, 0),
    rounds: Math.round(number('rounds', values.rounds, 1)),
    connections: Math.round(number('connections', values.connections, 1)),
    rate,
    scenarios: names.filter((n) => n !== CONTROLLER_SCENARIO).map(findScenario),
    controller: names.includes(CONTROLLER_SCENARIO),
    profile: values.profile,
    load: chooseLoadGenerator(values.load as LoadGenerator | undefined, rate),
  };
}

async function main(): Promise<void> {
  if (reexecPinned()) return;
  const opts = options();
  const startedAt = new Date();
  const work = mkdtempSync(join(tmpdir(), 'http-proxy-migrator-bench-'));
  const profileRoot = opts.profile ? join(resultsDir(), `profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`) : undefined;
  try {
    const certDir = join(work, 'certs');
    writeCertificates(certDir, await generateCertificates({ hosts: ['localhost', '127.0.0.1'] }));
    const ca = readFileSync(join(certDir, 'ca.crt'));

    const snapshots = new Map<number, string>();
    for (const count of new Set(opts.scenarios.map((s) => s.shoots).filter((n) => n > 0))) {
      const file = join(work, `shoots-${count}.json`);
      const summary = writeShootSnapshot(file, count);
      console.log(
        `shoot snapshot: ${summary.shoots} shoots on ${summary.seeds} seeds, ${(summary.bytes / 1e6).toFixed(1)} MB, ` +
          `${summary.blockingOnGatedSeed} blocking the gate on the reviewed seed`,
      );
      snapshots.set(count, file);
    }

    const results: ScenarioResult[] = [];
    for (const scenario of opts.scenarios) {
      const source = requestsFor(scenario);
      const rounds: Record<'baseline' | 'real', ServerRun[]> = { baseline: [], real: [] };
      for (let round = 1; round <= opts.rounds; round++) {
        for (const mode of ['baseline', 'real'] as const) {
          process.stdout.write(
            `${scenario.name}: ${mode === 'real' ? 'webhook' : 'baseline'}${opts.rounds > 1 ? ` (round ${round})` : ''} ... `,
          );
          const run = await measure(mode, scenario, source, {
            certDir,
            ca,
            shootsFile: mode === 'real' ? snapshots.get(scenario.shoots) : undefined,
            logFile: join(work, `${scenario.name}-${round}.log`),
            profileDir: mode === 'real' && profileRoot ? join(profileRoot, scenario.name, String(round)) : undefined,
            opts,
          });
          console.log(`${run.load.requestsPerSecond.toFixed(0)} req/s, p99 ${run.load.p99Ms.toFixed(2)} ms`);
          rounds[mode].push(run);
        }
      }
      results.push({ scenario, baseline: medianRun(rounds.baseline), real: medianRun(rounds.real), rounds });
    }

    let controller: ControllerResult | undefined;
    if (opts.controller) {
      process.stdout.write(`${CONTROLLER_SCENARIO}: ... `);
      controller = await runControllerScenario(work, undefined, profileRoot && join(profileRoot, CONTROLLER_SCENARIO));
      console.log(`${controller.secondsToRegisterAll.toFixed(1)} s to register ${controller.shoots}`);
      if (profileRoot) console.log(`  CPU profile of the controller: ${join(profileRoot, CONTROLLER_SCENARIO)}`);
    }

    const machine = describeMachine();
    const settings =
      `${opts.load}, HTTPS keep-alive, ${opts.connections} connections${opts.rate > 0 ? ` at ${opts.rate} req/s` : ', as fast as answered'}, ` +
      `${opts.warmupSeconds} s warm-up + ${opts.durationSeconds} s per server and round, ${opts.rounds} round${opts.rounds > 1 ? 's' : ''}; ` +
      'webhook server logging at info to a file, phase unified';
    if (results.length > 0) console.log(`\n${formatReport(results, machine, settings)}`);
    if (controller) console.log(`\n${formatControllerReport(controller)}`);
    for (const result of results) {
      if (!result.real?.profile) continue;
      console.log(`\nself time by function, ${result.scenario.name} (webhook server, measured load only):`);
      console.log(formatSelfTime(selfTimeByFunction(result.real.profile, 20, result.real.loadWindowUs)));
    }
    const file = writeResults(resultsDir(), startedAt, {
      startedAt: startedAt.toISOString(),
      machine,
      options: { ...opts, scenarios: [...opts.scenarios.map((s) => s.name), ...(opts.controller ? [CONTROLLER_SCENARIO] : [])] },
      scenarios: results.map((r) => ({ ...r, scenario: r.scenario.name, ratio: ratioOf(r), cpuRatio: cpuRatioOf(r), checks: checksOf(r) })),
      controller,
    });
    console.log(`\nresults: ${file}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface MeasureContext {
  certDir: string;
  ca: Buffer;
  shootsFile?: string;
  logFile: string;
  profileDir?: string;
  opts: RunOptions;
}

async function measure(mode: 'baseline' | 'real', scenario: Scenario, source: RequestSource, ctx: MeasureContext): Promise<ServerRun> {
  const server = await startServerProcess({
    mode,
    scenario: scenario.name,
    certDir: ctx.certDir,
    shootsFile: ctx.shootsFile,
    logFile: mode === 'real' ? ctx.logFile : undefined,
    profileDir: ctx.profileDir,
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const idle = memoryOf(server.pid);
    const sample = await sampleVerdict(server.port, ctx.ca, source.next());
    // Without a rate, latency at saturation is mostly queueing. With one, autocannon spends each
    // connection's per-second budget as fast as it can, so arrivals come in bursts: not open-loop.
    const load = {
      port: server.port,
      source,
      connections: ctx.opts.connections,
      ...(ctx.opts.rate > 0 ? { overallRate: ctx.opts.rate } : {}),
    };
    if (ctx.opts.warmupSeconds > 0) await runLoad(ctx.opts.load, { ...load, durationSeconds: ctx.opts.warmupSeconds });
    const cpuBefore = cpuSecondsOf(server.pid) ?? NaN;
    const busyBefore = machineBusySeconds() ?? NaN;
    const fromUs = monotonicUs();
    const result = await runLoad(ctx.opts.load, { ...load, durationSeconds: ctx.opts.durationSeconds });
    const toUs = monotonicUs();
    const busyAfter = machineBusySeconds() ?? NaN;
    const cpuAfter = cpuSecondsOf(server.pid) ?? NaN;
    const serverCpuPercent = (100 * (cpuAfter - cpuBefore)) / result.seconds;
    // Whatever else ran meanwhile: a busy machine makes every number here unreliable.
    const otherCpuPercent = (100 * (busyAfter - busyBefore)) / result.seconds - serverCpuPercent - result.runnerCpuPercent;
    const peak = memoryOf(server.pid);
    const counters = server.metricsPort !== undefined ? await scrapeVerdictCounters(server.metricsPort) : undefined;
    await server.stop();
    const run: ServerRun = {
      mode,
      load: result,
      readyMs: server.readyMs,
      idleRssMb: idle?.rssMb ?? NaN,
      peakRssMb: peak?.peakRssMb ?? NaN,
      serverCpuPercent,
      otherCpuPercent: Math.max(0, otherCpuPercent),
      sample,
      counters,
    };
    if (mode === 'real') {
      const answered = Object.entries(counters ?? {})
        .filter(([k]) => k.startsWith('outcomes'))
        .reduce((sum, [, v]) => sum + v, 0);
      run.logBytesPerRequest = answered > 0 ? statSync(ctx.logFile).size / answered : undefined;
    }
    if (ctx.profileDir) {
      run.profile = newestProfile(ctx.profileDir);
      run.loadWindowUs = { fromUs, toUs };
    }
    return run;
  } finally {
    await server.stop();
  }
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0];
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
