// Through the real review endpoint: the per-shoot path carries the technical ID, and skips are counted.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { createReviewEndpoint } from '../../../src/server/review-endpoint.js';
import { WebhookRouter } from '../../../src/server/router.js';
import { apiserverProxyWebhook } from '../../../webhooks/apiserver-proxy/registration.js';
import { settings } from './fixtures.js';

const REVIEW = JSON.stringify(
  yaml.load(readFileSync(fileURLToPath(new URL('../../fixtures/webhook/admissionreview.configmap-create.legacy.yaml', import.meta.url)), 'utf8')),
);

function serve() {
  const metrics = new Metrics({ defaultMetrics: false });
  const router = new WebhookRouter([apiserverProxyWebhook]);
  const endpoint = createReviewEndpoint({ settings: settings(), services: {}, logger: createLogger('silent'), metrics, draining: () => false });
  const server = createServer((req, res) => {
    const route = router.match(req.url ?? '/');
    if (!route) return void res.writeHead(404).end();
    endpoint(route, req, res);
  });
  return { server, metrics };
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
    const response = await request(server).post('/webhooks/apiserver-proxy').set('content-type', 'application/json').send(REVIEW).expect(200);
    expect(response.body.response.patch).toBeUndefined();
    expect(response.body.response.warnings).toEqual([expect.stringContaining('no shoot technical ID')]);
    const counted = await metrics.skipped.get();
    expect(counted.values).toEqual([{ labels: { webhook: 'apiserver-proxy', reason: 'unknown-shoot' }, value: 1 }]);
  });
});
