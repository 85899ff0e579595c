// autocannon as the load generator, in this process, over keep-alive HTTPS connections. Latency is taken
// from every answer at sub-millisecond resolution (autocannon's own histogram keeps whole
// milliseconds, too coarse for a 10 ms budget), and the runner's own CPU use is measured alongside, so
// a saturated load generator shows up instead of passing for a slow server.
import autocannon, { type Request } from 'autocannon';
import type { LoadOptions, LoadResult } from './load-types.js';

export function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const { source } = options;
  const headers = { 'content-type': 'application/json' };
  // Identical bytes every time are built once; otherwise each request is built from the source.
  const requests: Request[] = source.fixed
    ? [{ method: 'POST', path: source.fixed.path, body: source.fixed.body, headers }]
    : [
        {
          method: 'POST',
          headers,
          setupRequest: (request) => {
            const next = source.next();
            return { ...request, path: next.path, body: next.body };
          },
        },
      ];

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let responses = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `https://127.0.0.1:${options.port}`,
        connections: options.connections,
        pipelining: 1,
        duration: options.durationSeconds,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests,
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        const sorted = latencies.subarray(0, count).sort();
        resolve({
          responses,
          seconds,
          requestsPerSecond: responses / seconds,
          p50Ms: percentile(sorted, 0.5),
          p99Ms: percentile(sorted, 0.99),
          maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
          errors: result.errors,
          non2xx: result.non2xx,
          runnerCpuPercent: (100 * (cpu.user + cpu.system)) / 1e6 / seconds,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      responses++;
      if (statusCode < 200 || statusCode > 299) return;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
  });
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
