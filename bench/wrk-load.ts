// wrk as the load generator: one thread on this process's core (the runner's), the review bodies
// handed over in a file and rotated by bench/wrk-reviews.lua, which stamps a fresh uid into each.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadOptions, LoadResult } from './load-types.js';
import { cpuSecondsOf } from './process-stats.js';
import { repoRoot } from './paths.js';
import type { RequestSource } from './reviews.js';

const CPU_SAMPLE_MS = 200;
/** wrk's own default is 2 s; an admission answer may take up to the webhook's timeout. */
const REQUEST_TIMEOUT = '10s';

let installed: boolean | undefined;

export function wrkInstalled(): boolean {
  installed ??= spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  return installed;
}

export async function runWrk(options: LoadOptions): Promise<LoadResult> {
  if (options.overallRate) throw new Error('wrk cannot hold a fixed rate');
  const dir = mkdtempSync(join(tmpdir(), 'http-proxy-migrator-wrk-'));
  try {
    const reviews = join(dir, 'reviews.tsv');
    writeFileSync(reviews, reviewLines(options.source));
    return await run(options, reviews);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per request template: path, uid offset (-1: sent as is), body; JSON bodies are one line. */
function reviewLines(source: RequestSource): Buffer {
  const lines: Buffer[] = [];
  for (const { path, body, uidOffset } of source.templates) {
    if (body.includes(0x0a) || path.includes('\t')) throw new Error(`review for ${path} does not fit on one line`);
    lines.push(Buffer.from(`${path}\t${uidOffset ?? -1}\t`), body, Buffer.from('\n'));
  }
  return Buffer.concat(lines);
}

function run(options: LoadOptions, reviews: string): Promise<LoadResult> {
  const args = [
    '--threads',
    '1',
    '--connections',
    String(options.connections),
    '--duration',
    `${options.durationSeconds}s`,
    '--timeout',
    REQUEST_TIMEOUT,
    '--script',
    join(repoRoot(), 'bench', 'wrk-reviews.lua'),
    `https://127.0.0.1:${options.port}/`,
  ];
  const child = spawn('wrk', args, { env: { ...process.env, BENCH_REVIEWS: reviews }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4096)));
  // The child's CPU time is only readable while it lives: sampled until it exits.
  const cpuStart = cpuSecondsOf(child.pid!) ?? 0;
  let cpuLast = cpuStart;
  const sampler = setInterval(() => (cpuLast = cpuSecondsOf(child.pid!) ?? cpuLast), CPU_SAMPLE_MS);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearInterval(sampler);
      reject(err);
    });
    child.once('exit', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const line = /^BENCH_RESULT (.*)$/m.exec(stdout)?.[1];
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with ${code}: ${(stderr || stdout).trim().slice(-500)}`));
        return;
      }
      const r = JSON.parse(line) as WrkResult;
      const measuredSeconds = r.durationUs / 1e6;
      resolve({
        responses: r.requests,
        seconds: measuredSeconds,
        requestsPerSecond: r.requests / measuredSeconds,
        p50Ms: r.p50Us / 1000,
        p99Ms: r.p99Us / 1000,
        maxMs: r.maxUs / 1000,
        errors: r.connect + r.read + r.write + r.timeout,
        non2xx: r.status,
        runnerCpuPercent: (100 * (cpuLast - cpuStart)) / seconds,
      });
    });
  });
}

interface WrkResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}
