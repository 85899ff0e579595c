// Probes and metrics on the plain-HTTP port: /healthz, /readyz with named checks, /metrics.
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
