// Probes and metrics on the plain-HTTP port: /healthz, /readyz with named checks, /metrics.
import { Gauge } from 'prom-client';
import request from 'supertest';
import { expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { createProbeApp } from '../../src/server/probes.js';

it('answers /healthz while the process runs', async () => {
  const app = createProbeApp(new Metrics({ defaultMetrics: false }), () => []);
  await request(app).get('/healthz').expect(200, 'ok\n');
});

it('answers /readyz 503 naming every failing check, 200 when all pass', async () => {
  let synced = false;
  const checks = [
    { name: 'webhook-listener', ready: () => true },
    { name: 'shoot-index', ready: () => synced },
  ];
  const app = createProbeApp(new Metrics({ defaultMetrics: false }), () => checks);
  await request(app).get('/readyz').expect(503, 'not ready: shoot-index\n');
  synced = true;
  await request(app).get('/readyz').expect(200, 'ok\n');
});

it('serves Prometheus text with the default process metrics', async () => {
  const app = createProbeApp(new Metrics(), () => []);
  const res = await request(app).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(res.text).toMatch(/^process_cpu_user_seconds_total /m);
  expect(res.text).toMatch(/^nodejs_heap_size_used_bytes /m);
});

it('answers unknown paths with 404 and a one-line reason', async () => {
  const app = createProbeApp(new Metrics({ defaultMetrics: false }), () => []);
  await request(app).get('/nope').expect(404, 'no endpoint at GET /nope\n');
});

it('answers HEAD as GET without a body, and ignores the query', async () => {
  const app = createProbeApp(new Metrics({ defaultMetrics: false }), () => []);
  const head = await request(app).head('/healthz').expect(200);
  expect(head.text ?? '').toBe('');
  expect(head.headers['content-length']).toBe('3');
  await request(app).get('/readyz?verbose=1').expect(200, 'ok\n');
});

it('serves probes only to reads: another method gets 404 naming it', async () => {
  const app = createProbeApp(new Metrics({ defaultMetrics: false }), () => []);
  await request(app).post('/healthz').send('x').expect(404, 'no endpoint at POST /healthz\n');
});

it('answers 500 with the reason when a metric cannot be collected, and keeps serving', async () => {
  const metrics = new Metrics({ defaultMetrics: false });
  let broken = true;
  new Gauge({
    name: 'test_flaky',
    help: 'A gauge whose collection fails while broken.',
    registers: [metrics.registry],
    collect() {
      if (broken) throw new Error('source unavailable');
    },
  });
  const app = createProbeApp(metrics, () => []);
  await request(app).get('/metrics').expect(500, 'metrics could not be collected: source unavailable\n');
  broken = false;
  await request(app).get('/metrics').expect(200);
  await request(app).get('/healthz').expect(200, 'ok\n');
});
