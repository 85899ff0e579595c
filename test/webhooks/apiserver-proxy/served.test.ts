// Through the real review endpoint: the per-shoot path carries the technical ID, and skips are counted.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { createReviewEndpoint } from '../../../src/server/review-endpoint.js';
import { WebhookRouter } from '../../../src/server/router.js';
import { apiserverProxyWebhook } from '../../../webhooks/apiserver-proxy/registration.js';
import { UNIFIED_V1_144, loadFixture, settings } from './fixtures.js';

const REVIEW = JSON.stringify(
  yaml.load(
    readFileSync(fileURLToPath(new URL('../../fixtures/webhook/admissionreview.configmap-create.legacy.yaml', import.meta.url)), 'utf8'),
  ),
);

function serve() {
  const metrics = new Metrics({ defaultMetrics: false });
  const router = new WebhookRouter([apiserverProxyWebhook]);
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const endpoint = createReviewEndpoint({
    settings: settings(),
    services: {},
    logger: createLogger('info', sink),
    metrics,
    draining: () => false,
  });
  const server = createServer((req, res) => {
    const route = router.match(req.url ?? '/');
    if (!route) return void res.writeHead(404).end();
    endpoint(route, req, res);
  });
  return { server, metrics, lines };
}

describe('apiserver-proxy webhook served over HTTP', () => {
  it('takes the technical ID from the per-shoot path', async () => {
    const { server } = serve();
    const response = await request(server)
      .post('/webhooks/apiserver-proxy/shoot--foo--bar?timeout=10s')
      .set('content-type', 'application/json')
      .send(REVIEW)
      .expect(200);
    expect(response.body.response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
  });

  it('admits unchanged on the bare path, with a warning, and counts it as an unknown shoot', async () => {
    const { server, metrics } = serve();
    const response = await request(server)
      .post('/webhooks/apiserver-proxy')
      .set('content-type', 'application/json')
      .send(REVIEW)
      .expect(200);
    expect(response.body.response.patch).toBeUndefined();
    expect(response.body.response.warnings).toEqual([expect.stringContaining('no shoot technical ID')]);
    const counted = await metrics.skipped.get();
    expect(counted.values).toEqual([{ labels: { webhook: 'apiserver-proxy', reason: 'unknown-shoot' }, value: 1 }]);
  });

  it('counts every answer by its reason and logs it, so an operator sees how much of a seed still moves', async () => {
    const { server, metrics, lines } = serve();
    const legacyReview = JSON.parse(REVIEW) as { request: { uid: string; object: unknown } };
    const post = async (object: unknown, uid: string) => {
      const body = JSON.stringify({ ...legacyReview, request: { ...legacyReview.request, uid, object } });
      return (
        await request(server)
          .post('/webhooks/apiserver-proxy/shoot--foo--bar')
          .set('content-type', 'application/json')
          .send(body)
          .expect(200)
      ).body.response as { patch?: string; warnings?: string[] };
    };
    expect((await post(legacyReview.request.object, 'moved-1')).patch).toBeDefined();
    const unified = await post(loadFixture(UNIFIED_V1_144), 'ahead-1');
    expect(unified).toEqual({
      uid: 'ahead-1',
      allowed: true,
      warnings: ['apiserver-proxy: already on the unified port, ahead of --phase tls-tunnel; left unchanged'],
    });
    const phase1 = loadFixture('apiserver-proxy/configmap.phase1-reversed-vpn-8132-v1.113.yaml');
    expect((await post(phase1, 'at-1')).warnings).toEqual(['apiserver-proxy: already on the tls-tunnel port; left unchanged']);
    expect((await post({ ...phase1, kind: 'Secret' }, 'not-ours-1')).warnings).toEqual([expect.stringContaining('not a ConfigMap')]);

    const exposition = await metrics.registry.metrics();
    for (const reason of ['moved', 'ahead-of-target', 'at-target', 'not-ours']) {
      expect(exposition).toContain(`http_proxy_migrator_webhook_mutations_total{webhook="apiserver-proxy",reason="${reason}"} 1`);
    }
    const reasons = Object.fromEntries(lines.filter((l) => l.msg === 'admission').map((l) => [l.uid, [l.outcome, l.reason]]));
    expect(reasons).toEqual({
      'moved-1': ['patched', 'moved'],
      'ahead-1': ['allowed', 'ahead-of-target'],
      'at-1': ['allowed', 'at-target'],
      'not-ours-1': ['allowed', 'not-ours'],
    });
  });
});
