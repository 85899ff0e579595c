// npm run soak [-- --minutes 10 --rate 200]
// A bounded soak: the webhook server under a steady, moderate rate of distinct apiserver-proxy
// reviews, its resident memory sampled every 10 s, and the trend fitted. Memory that keeps growing
// at a steady rate is a leak long before it is an OOM kill. Stops by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCertificates, writeCertificates } from '../src/certs/generate.js';
import { reexecPinned } from './cores.js';
import { runLoad } from './load.js';
import { describeMachine } from './machine.js';
import { memoryOf } from './process-stats.js';
import { requestsFor } from './reviews.js';
import { findScenario } from './scenarios.js';
import { startServerProcess } from './server-process.js';

const SCENARIO = 'apiserver-proxy-distinct';
/** The first minute is start-up: code is compiled and the heap grows to its working size. */
const SETTLE_SECONDS = 60;

interface Sample {
  seconds: number;
  rssMb: number;
}

async function main(): Promise<void> {
  if (reexecPinned()) return;
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: '200' },
      connections: { type: 'string', default: '16' },
      'sample-seconds': { type: 'string', default: '10' },
      'max-slope': { type: 'string', default: '0.5' },
    },
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const sampleSeconds = Number(values['sample-seconds']);
  const maxSlope = Number(values['max-slope']);
  if (!(minutes > 0) || !(rate > 0) || !(sampleSeconds > 0) || !(maxSlope >= 0)) {
    throw new Error('--minutes, --rate, --sample-seconds must be positive numbers, --max-slope a number >= 0');
  }
  const durationSeconds = Math.round(minutes * 60);

  const machine = describeMachine();
  console.log(`machine: ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}; ${machine.pinned}`);
  console.log(`soak: ${SCENARIO} at ${rate} req/s for ${minutes} min, RSS every ${sampleSeconds} s`);

  const work = mkdtempSync(join(tmpdir(), 'http-proxy-migrator-soak-'));
  // The soak must end even if a request or the server hangs.
  const deadline = setTimeout(
    () => {
      console.error('soak overran its time by two minutes; giving up');
      process.exit(1);
    },
    (durationSeconds + 120) * 1000,
  );
  deadline.unref();
  try {
    const certDir = join(work, 'certs');
    writeCertificates(certDir, await generateCertificates({ hosts: ['localhost', '127.0.0.1'] }));
    const server = await startServerProcess({ mode: 'real', scenario: SCENARIO, certDir, logFile: join(work, 'server.log') });
    const samples: Sample[] = [];
    const started = performance.now();
    const sample = (): void => {
      const memory = memoryOf(server.pid);
      if (!memory) return;
      const seconds = (performance.now() - started) / 1000;
      samples.push({ seconds, rssMb: memory.rssMb });
      console.log(
        `  ${seconds.toFixed(0).padStart(5)} s  RSS ${memory.rssMb.toFixed(1).padStart(6)} MB  (peak ${memory.peakRssMb.toFixed(1)} MB)`,
      );
    };
    try {
      sample();
      const timer = setInterval(sample, sampleSeconds * 1000);
      // autocannon: it holds the soak's fixed rate, which wrk cannot.
      const result = await runLoad('autocannon', {
        port: server.port,
        source: requestsFor(findScenario(SCENARIO)),
        connections: Math.round(Number(values.connections)),
        durationSeconds,
        overallRate: rate,
      });
      clearInterval(timer);
      sample();
      console.log(
        `\nload: ${result.responses} answers, ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
          `p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors, ${result.non2xx} non-2xx, load generator ${result.runnerCpuPercent.toFixed(0)}% of a core`,
      );
    } finally {
      await server.stop();
    }

    const settled = samples.filter((s) => s.seconds >= SETTLE_SECONDS);
    const fitted = settled.length >= 3 ? settled : samples;
    const slope = slopePerMinute(fitted);
    const from = fitted === settled ? `after the first ${SETTLE_SECONDS} s` : 'over the whole run (too short to skip start-up)';
    console.log(`RSS slope ${from}: ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB/min over ${fitted.length} samples`);
    if (slope > maxSlope) {
      console.log(`GROWTH: RSS rose by more than ${maxSlope} MB/min under steady load; look for a leak (heap snapshot before and after).`);
    } else {
      console.log(`no growth beyond ${maxSlope} MB/min`);
    }
  } finally {
    clearTimeout(deadline);
    rmSync(work, { recursive: true, force: true });
  }
}

/** Least-squares slope of RSS over time, in MB per minute. */
function slopePerMinute(samples: Sample[]): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const meanT = samples.reduce((s, x) => s + x.seconds, 0) / n;
  const meanM = samples.reduce((s, x) => s + x.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const { seconds, rssMb } of samples) {
    num += (seconds - meanT) * (rssMb - meanM);
    den += (seconds - meanT) ** 2;
  }
  return den > 0 ? (num / den) * 60 : NaN;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
