// The tallied histogram must read, to Prometheus, exactly as prom-client's own Histogram would.
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TalliedHistogram } from '../../src/observability/tallied-histogram.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const NAME = 'test_latency_seconds';
const HELP = 'Time to answer.';

function bothWith(observations: ReadonlyArray<[string, number]>): Promise<[string, string]> {
  const ours = new Registry();
  const theirs = new Registry();
  const tallied = new TalliedHistogram({ name: NAME, help: HELP, labelName: 'webhook', buckets: BUCKETS, registry: ours });
  const reference = new Histogram({ name: NAME, help: HELP, labelNames: ['webhook'], buckets: BUCKETS, registers: [theirs] });
  for (const [webhook, value] of observations) {
    tallied.labels(webhook).observe(value);
    reference.labels(webhook).observe(value);
  }
  return Promise.all([ours.metrics(), theirs.metrics()]);
}

function withoutExemplar<V extends object>(value: V): Omit<V, 'exemplar'> {
  const { exemplar: _, ...rest } = value as V & { exemplar?: unknown };
  return rest;
}

describe('tallied histogram', () => {
  it('exposes what prom-client exposes for the same observations, bounds included', async () => {
    const value = fc.oneof(fc.constantFrom(0, ...BUCKETS, 11), fc.double({ min: 0, max: 20, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b-c'), value), { maxLength: 40 }), async (observations) => {
        const [ours, theirs] = await bothWith(observations);
        expect(ours).toBe(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same JSON, and counts from zero after a reset', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const tallied = new TalliedHistogram({ name: NAME, help: HELP, labelName: 'webhook', buckets: BUCKETS, registry: ours });
    const reference = new Histogram({ name: NAME, help: HELP, labelNames: ['webhook'], buckets: BUCKETS, registers: [theirs] });
    for (const v of [0.0002, 0.003, 0.7, 12]) {
      tallied.labels('x').observe(v);
      reference.labels('x').observe(v);
    }
    // prom-client adds `exemplar: null` to buckets when exemplars are off; nothing reads it.
    const withoutExemplars = (await theirs.getMetricsAsJSON()).map((metric) => ({ ...metric, values: metric.values.map(withoutExemplar) }));
    expect(await ours.getMetricsAsJSON()).toEqual(withoutExemplars);
    ours.resetMetrics();
    tallied.labels('x').observe(0.004);
    expect(await ours.metrics()).toMatch(/^test_latency_seconds_bucket\{le="0\.005",webhook="x"\} 1$/m);
    expect(await ours.metrics()).toMatch(/^test_latency_seconds_count\{webhook="x"\} 1$/m);
  });

  it('ignores a value that is not a finite number rather than poisoning the sum', async () => {
    const registry = new Registry();
    const tallied = new TalliedHistogram({ name: NAME, help: HELP, labelName: 'webhook', buckets: BUCKETS, registry });
    tallied.labels('x').observe(Number.NaN);
    tallied.labels('x').observe(Infinity);
    tallied.labels('x').observe(0.002);
    const text = await registry.metrics();
    expect(text).toMatch(/^test_latency_seconds_sum\{webhook="x"\} 0\.002$/m);
    expect(text).toMatch(/^test_latency_seconds_count\{webhook="x"\} 1$/m);
  });
});
