// The operator listener's routes through supertest: probes, metrics, /status and the page, with the
// answers for unknown paths (404), wrong methods (405) and what the client accepts (406, JSON or HTML).
import { Gauge, Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { createOperatorApp } from '../../src/server/operator-app.js';
import { CONTENT_SECURITY_POLICY } from '../../src/server/status/page-layout.js';

interface Doc {
  apiVersion: string;
  name: string;
}

function app(options: { registry?: Registry; checks?: { name: string; ready: () => boolean }[]; status?: () => Doc | Promise<Doc> } = {}) {
  return createOperatorApp<Doc>({
    registry: options.registry ?? new Metrics({ defaultMetrics: false }).registry,
    readiness: () => options.checks ?? [],
    status: options.status ?? (() => ({ apiVersion: 'v1', name: '<script>alert(1)</script>' })),
    page: (doc) => `<!doctype html><p>${doc.name.replace(/</g, '&lt;')}</p>`,
  });
}

describe('probes and metrics', () => {
  it('answers /healthz while the process runs', async () => {
    await request(app()).get('/healthz').expect(200, 'ok\n');
  });

  it('answers /readyz 503 naming every failing check, 200 when all pass', async () => {
    let synced = false;
    const checks = [
      { name: 'webhook-listener', ready: () => true },
      { name: 'shoot-index', ready: () => synced },
    ];
    const a = app({ checks });
    await request(a).get('/readyz').expect(503, 'not ready: shoot-index\n');
    synced = true;
    await request(a).get('/readyz').expect(200, 'ok\n');
  });

  it('serves Prometheus text with the default process metrics', async () => {
    const res = await request(app({ registry: new Metrics().registry }))
      .get('/metrics')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('answers HEAD as GET without a body, and ignores the query', async () => {
    const head = await request(app()).head('/healthz').expect(200);
    expect(head.text ?? '').toBe('');
    await request(app()).get('/readyz?verbose=1').expect(200, 'ok\n');
  });

  it('answers 500 with the reason when a metric cannot be collected, and keeps serving', async () => {
    const registry = new Registry();
    let broken = true;
    new Gauge({
      name: 'test_flaky',
      help: 'A gauge whose collection fails while broken.',
      registers: [registry],
      collect() {
        if (broken) throw new Error('source unavailable');
      },
    });
    const a = app({ registry });
    const res = await request(a).get('/metrics').expect(500);
    expect(res.text).toBe('could not answer: source unavailable\n');
    broken = false;
    await request(a).get('/metrics').expect(200);
  });
});

describe('status and page', () => {
  it('serves /status as JSON', async () => {
    const res = await request(app())
      .get('/status')
      .expect(200)
      .expect('content-type', /^application\/json/);
    expect(res.body).toEqual({ apiVersion: 'v1', name: '<script>alert(1)</script>' });
  });

  it('serves / as HTML with a strict Content-Security-Policy and no caching', async () => {
    const res = await request(app())
      .get('/')
      .set('accept', 'text/html')
      .expect(200)
      .expect('content-type', /^text\/html/);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|script-src/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.text).toContain('&lt;script>');
  });

  it('serves / as JSON to a client that prefers it', async () => {
    const res = await request(app())
      .get('/')
      .set('accept', 'application/json')
      .expect(200)
      .expect('content-type', /^application\/json/);
    expect(res.body.apiVersion).toBe('v1');
    const weighted = await request(app()).get('/').set('accept', 'text/html;q=0.5, application/json;q=0.9').expect(200);
    expect(weighted.headers['content-type']).toMatch(/^application\/json/);
  });

  it('serves / as HTML to a browser and to a client that accepts anything', async () => {
    await request(app())
      .get('/')
      .set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')
      .expect('content-type', /^text\/html/);
    await request(app())
      .get('/')
      .set('accept', '*/*')
      .expect('content-type', /^text\/html/);
  });

  it('answers 406 when the client accepts nothing it can have', async () => {
    const page = await request(app()).get('/').set('accept', 'image/png').expect(406);
    expect(page.text).toBe('/ is served as text/html or application/json, not as image/png\n');
    await request(app()).get('/status').set('accept', 'text/html').expect(406);
  });

  it('answers 500 with the reason when the status cannot be built', async () => {
    const broken = app({
      status: () => {
        throw new Error('index gone');
      },
    });
    await request(broken).get('/status').expect(500, 'could not answer: index gone\n');
    await request(broken).get('/').expect(500, 'could not answer: index gone\n');
  });
});

describe('bad requests', () => {
  it('answers unknown paths with 404 naming method and path', async () => {
    await request(app()).get('/nope').expect(404, 'no endpoint at GET /nope\n');
    await request(app()).get('/status/extra').expect(404);
    await request(app()).post('/webhooks/apiserver-proxy').send('{}').expect(404, 'no endpoint at POST /webhooks/apiserver-proxy\n');
  });

  it.each(['/healthz', '/readyz', '/metrics', '/status', '/'])('answers other methods than GET on %s with 405 and Allow', async (path) => {
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const res = await request(app())[method](path).send('x').expect(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.text).toBe(`${method.toUpperCase()} is not allowed at ${path}; use GET\n`);
    }
  });
});
