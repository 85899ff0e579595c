// The report: one table with each scenario beside its bare baseline, the targets met or missed, what
// the server answered, and a JSON file with everything for later comparison.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load-types.js';
import type { Scenario, Targets } from './scenarios.js';
import type { VerdictSample } from './verdicts.js';

export interface ServerRun {
  mode: 'baseline' | 'real';
  load: LoadResult;
  readyMs: number;
  idleRssMb: number;
  peakRssMb: number;
  serverCpuPercent: number;
  /** CPU used by every other process on the machine during the measurement, as a share of one core. */
  otherCpuPercent: number;
  sample: VerdictSample;
  counters?: Record<string, number>;
  logBytesPerRequest?: number;
  profile?: string;
  /** When the measured load ran, in monotonic microseconds, to cut start-up and warm-up out of the profile. */
  loadWindowUs?: { fromUs: number; toUs: number };
}

export interface ScenarioResult {
  scenario: Scenario;
  /** The median round of each server, by req/s. */
  baseline?: ServerRun;
  real?: ServerRun;
  /** Every round, in the order they ran (baseline and webhook alternating). */
  rounds?: { baseline: ServerRun[]; real: ServerRun[] };
}

/** The median run by req/s (the lower middle one of an even count). */
export function medianRun(runs: readonly ServerRun[]): ServerRun | undefined {
  const sorted = [...runs].sort((a, b) => a.load.requestsPerSecond - b.load.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export interface Check {
  target: string;
  actual: string;
  met: boolean;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  pinned: string;
}

/** Above this share of its core the load generator, not the server, may be what limits req/s. */
const RUNNER_SATURATED_PERCENT = 90;
/** Above this, other processes competed for the cores and the numbers are not comparable with a quiet run. */
const BUSY_MACHINE_PERCENT = 15;

export function ratioOf(result: ScenarioResult): number {
  return result.real && result.baseline ? result.real.load.requestsPerSecond / result.baseline.load.requestsPerSecond : NaN;
}

/** Requests answered per second of the server's own CPU time: steadier than req/s when other processes compete. */
function perCpuSecond(run: ServerRun): number {
  return run.serverCpuPercent > 0 ? run.load.requestsPerSecond / (run.serverCpuPercent / 100) : NaN;
}

export function cpuRatioOf(result: ScenarioResult): number {
  return result.real && result.baseline ? perCpuSecond(result.real) / perCpuSecond(result.baseline) : NaN;
}

export function checksOf(result: ScenarioResult): Check[] {
  const t: Targets = result.scenario.targets;
  const real = result.real;
  if (!real) return [];
  const checks: Check[] = [];
  const ratio = ratioOf(result);
  if (t.minRatio !== undefined) {
    const perCpu = `${fixed(cpuRatioOf(result), 2)} x per server CPU-second`;
    checks.push({ target: `req/s >= ${t.minRatio} x baseline`, actual: `${fixed(ratio, 2)} x; ${perCpu}`, met: ratio >= t.minRatio });
  }
  if (t.noFailedRequests) {
    const failed = real.load.errors + real.load.non2xx;
    checks.push({ target: 'no failed requests', actual: `${failed} failed`, met: failed === 0 });
  }
  if (t.maxP99Ms !== undefined)
    checks.push({ target: `p99 < ${t.maxP99Ms} ms`, actual: `${fixed(real.load.p99Ms, 2)} ms`, met: real.load.p99Ms < t.maxP99Ms });
  if (t.maxPeakRssMb !== undefined)
    checks.push({
      target: `peak RSS < ${t.maxPeakRssMb} MB`,
      actual: `${fixed(real.peakRssMb, 1)} MB`,
      met: real.peakRssMb < t.maxPeakRssMb,
    });
  if (t.maxReadyMs !== undefined)
    checks.push({
      target: `ready < ${t.maxReadyMs} ms after start`,
      actual: `${fixed(real.readyMs, 0)} ms`,
      met: real.readyMs < t.maxReadyMs,
    });
  if (t.maxIdleRssMb !== undefined)
    checks.push({
      target: `idle RSS < ${t.maxIdleRssMb} MB`,
      actual: `${fixed(real.idleRssMb, 1)} MB`,
      met: real.idleRssMb < t.maxIdleRssMb,
    });
  return checks;
}

export function formatReport(results: ScenarioResult[], machine: Machine, settings: string): string {
  const header = [
    'scenario',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ratio',
    'req/CPU-s',
    'CPU ratio',
    'err/non-2xx',
    'ready ms',
    'idle RSS MB',
    'peak RSS MB',
    'server CPU',
    'runner CPU',
    'other CPU',
  ];
  const rows: string[][] = [];
  for (const result of results) {
    for (const run of [result.baseline, result.real]) {
      if (!run) continue;
      const l = run.load;
      rows.push([
        run.mode === 'baseline' ? result.scenario.name : '',
        run.mode === 'baseline' ? 'baseline' : 'webhook',
        fixed(l.requestsPerSecond, 0),
        fixed(l.p50Ms, 2),
        fixed(l.p99Ms, 2),
        run.mode === 'real' ? fixed(ratioOf(result), 2) : '',
        fixed(perCpuSecond(run), 0),
        run.mode === 'real' ? fixed(cpuRatioOf(result), 2) : '',
        `${l.errors}/${l.non2xx}`,
        fixed(run.readyMs, 0),
        fixed(run.idleRssMb, 1),
        fixed(run.peakRssMb, 1),
        `${fixed(run.serverCpuPercent, 0)}%`,
        `${fixed(l.runnerCpuPercent, 0)}%${l.runnerCpuPercent >= RUNNER_SATURATED_PERCENT ? ' !' : ''}`,
        `${fixed(run.otherCpuPercent, 0)}%${run.otherCpuPercent >= BUSY_MACHINE_PERCENT ? ' !' : ''}`,
      ]);
    }
  }
  const lines = [
    `machine: ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}; ${machine.pinned}`,
    settings,
    '',
    ...table(header, rows),
    '  ready: spawn to /readyz 200 (baseline: to listening). idle RSS: VmRSS just after ready, before load.',
    '  peak RSS: VmHWM after the load. CPU columns: share of one core during the measured load; "other" is',
    '  every other process on the machine. ratio: webhook req/s / baseline req/s. req/CPU-s: req/s per',
    "  second of the server's own CPU; CPU ratio: webhook's over baseline's, the steadier one on a busy machine.",
    '',
    'targets (reported, not asserted):',
  ];
  for (const result of results) {
    for (const check of checksOf(result)) {
      lines.push(`  ${check.met ? 'met   ' : 'MISSED'}  ${result.scenario.name}: ${check.target} (${check.actual})`);
    }
  }
  const repeated = results.filter((r) => (r.rounds?.real.length ?? 0) > 1);
  if (repeated.length) {
    lines.push('', 'rounds (baseline and webhook alternating; the table shows the median round of each):');
    for (const { scenario, rounds } of repeated) {
      const perRound = (runs: ServerRun[], pick: (run: ServerRun) => string): string => runs.map(pick).join(' / ');
      const ratios = rounds!.real.map((run, i) => {
        const baseline = rounds!.baseline[i];
        return baseline ? fixed(run.load.requestsPerSecond / baseline.load.requestsPerSecond, 2) : '-';
      });
      lines.push(
        `  ${scenario.name}: baseline ${perRound(rounds!.baseline, (r) => fixed(r.load.requestsPerSecond, 0))} req/s; ` +
          `webhook ${perRound(rounds!.real, (r) => fixed(r.load.requestsPerSecond, 0))} req/s, ` +
          `p99 ${perRound(rounds!.real, (r) => fixed(r.load.p99Ms, 1))} ms; ratio per round ${ratios.join(' / ')}`,
      );
    }
  }
  lines.push('', 'what the webhook answered (one review before the load; counters over warm-up and load):');
  for (const result of results) {
    const real = result.real;
    if (!real) continue;
    const uid = real.sample.uidEchoed ? 'uid echoed' : 'uid NOT echoed';
    lines.push(`  ${result.scenario.name}: HTTP ${real.sample.status}, ${real.sample.summary}; ${uid}`);
    const counters = Object.entries(real.counters ?? {}).map(([k, v]) => `${k}=${v}`);
    if (counters.length) lines.push(`    ${counters.join(', ')}`);
    if (real.logBytesPerRequest !== undefined) lines.push(`    log: ${fixed(real.logBytesPerRequest, 0)} bytes per request at level info`);
    if (real.profile) lines.push(`    CPU profile: ${real.profile}`);
  }
  const saturated = results.flatMap((r) =>
    [r.baseline, r.real]
      .filter((run) => run && run.load.runnerCpuPercent >= RUNNER_SATURATED_PERCENT)
      .map((run) => `${r.scenario.name} (${run!.mode})`),
  );
  lines.push('');
  if (saturated.length) {
    lines.push(`LOAD GENERATOR SATURATED its core (>= ${RUNNER_SATURATED_PERCENT}%, marked "!") in: ${saturated.join(', ')}.`);
    lines.push('  Those req/s are a lower bound for the server, and their ratios compare two capped numbers.');
  } else {
    lines.push(`load generator below ${RUNNER_SATURATED_PERCENT}% of its core in every run: it was not what limited req/s.`);
  }
  const busy = results.flatMap((r) =>
    [r.baseline, r.real]
      .filter((run) => run && run.otherCpuPercent >= BUSY_MACHINE_PERCENT)
      .map((run) => `${r.scenario.name} (${run!.mode})`),
  );
  if (busy.length) {
    lines.push(
      `MACHINE BUSY: other processes used >= ${BUSY_MACHINE_PERCENT}% of a core (column "other CPU", marked "!") during: ${busy.join(', ')}.`,
    );
    lines.push('  Those numbers are not comparable with a run on a quiet machine; run again when it is idle.');
  }
  return lines.join('\n');
}

export function writeResults(dir: string, startedAt: Date, document: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}
