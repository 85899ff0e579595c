// One log line per review with identifiers only, never object contents; the webhook metrics
// under the names operators scrape.
import { beforeAll, expect, it } from 'vitest';
import { postReview, reviewAt, send } from '../support/client.js';
import { admissionReview, configMap } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchingWebhook, throwingWebhook } from '../support/webhooks.js';

const SECRET = 'token-that-must-never-be-logged';
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ webhooks: [patchingWebhook(), throwingWebhook('throws', 'validating')] });
});

it('logs one line per review with uid, kind, namespace, name, operation, user, webhook, outcome and duration', async () => {
  const review = admissionReview({ operation: 'UPDATE', object: configMap('kubeconfig', 'kube-system', { kubeconfig: SECRET }) });
  await reviewAt(`${t.url}/test/patching`, t.agent, review);
  const lines = t.logs.lines().filter((l) => l.uid === review.request!.uid);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    level: 30,
    msg: 'admission',
    component: 'http-proxy-migrator',
    webhook: 'patching',
    uid: review.request!.uid,
    kind: 'ConfigMap',
    namespace: 'kube-system',
    name: 'kubeconfig',
    operation: 'UPDATE',
    user: 'system:serviceaccount:kube-system:tester',
    outcome: 'patched',
    status: 200,
    durationMs: expect.any(Number),
  });
  expect(typeof lines[0]!.time).toBe('string');
});

it('never logs object contents, not even for bad requests', async () => {
  await send(`${t.url}/test/patching`, { agent: t.agent, headers: { 'content-type': 'application/json' }, body: `{"x":"${SECRET}"` });
  await postReview(`${t.url}/test/throws`, t.agent, admissionReview({ object: configMap('a', 'b', { k: SECRET }) }));
  expect(t.logs.text()).not.toContain(SECRET);
  // Both requests were logged, by what identifies them: the refusal's reason, the failed handler's webhook.
  expect(t.logs.lines()).toContainEqual(
    expect.objectContaining({
      msg: 'admission',
      webhook: 'patching',
      outcome: 'bad-request',
      status: 400,
      reason: expect.stringMatching(/^body is not JSON/),
    }),
  );
  expect(t.logs.lines()).toContainEqual(expect.objectContaining({ msg: 'webhook handler failed', webhook: 'throws' }));
});

it('exposes the webhook metrics on the metrics port', async () => {
  await reviewAt(`${t.url}/test/patching`, t.agent, admissionReview());
  const text = await (await fetch(`${t.metricsUrl}/metrics`)).text();
  expect(text).toMatch(/^http_proxy_migrator_webhook_requests_total\{webhook="patching",code="200"\} [1-9]\d*$/m);
  expect(text).toMatch(/^http_proxy_migrator_webhook_requests_total\{webhook="patching",code="400"\} 1$/m);
  expect(text).toMatch(/^http_proxy_migrator_webhook_latency_seconds_bucket\{le="10",webhook="patching"\} [1-9]/m);
  expect(text).toMatch(/^http_proxy_migrator_webhook_latency_seconds_bucket\{le="\+Inf",webhook="patching"\} [1-9]/m);
  expect(text).toMatch(/^# TYPE http_proxy_migrator_webhook_latency_seconds histogram$/m);
  expect(text).toMatch(/^http_proxy_migrator_webhook_requests_in_flight\{webhook="patching"\} 0$/m);
  expect(text).toMatch(/^http_proxy_migrator_webhook_handler_failures_total\{webhook="throws"\} 1$/m);
});

it('answers /healthz and /readyz on the metrics port while serving', async () => {
  expect((await fetch(`${t.metricsUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${t.metricsUrl}/readyz`)).status).toBe(200);
});
