// `?timeout=Ns` is the apiserver's remaining patience: a slow handler is answered for before it,
// with the failure policy's answer, and the late verdict is dropped.
import { beforeAll, expect, it } from 'vitest';
import { reviewAt } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sleepingWebhook } from '../support/webhooks.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    webhooks: [
      sleepingWebhook('slow-mutating', 'mutating', 5_000),
      sleepingWebhook('slow-validating', 'validating', 5_000),
      // Its own timeoutSeconds bounds it when the apiserver sends no ?timeout.
      sleepingWebhook('slow-short', 'mutating', 5_000, { timeoutSeconds: 1 }),
      sleepingWebhook('quick', 'validating', 50),
    ],
  });
});

it('answers a slow mutating webhook before ?timeout=1s: admitted unchanged, with a warning', async () => {
  const review = admissionReview();
  const answer = await reviewAt(`${t.url}/test/slow-mutating?timeout=1s`, t.agent, review);
  expect(answer.response).toEqual({
    uid: review.request!.uid,
    allowed: true,
    warnings: ['slow-mutating: no answer before the deadline; admitted unchanged'],
  });
  const line = t.logs.withMessage('admission').find((l) => l.uid === review.request!.uid);
  expect(line).toMatchObject({ timedOut: true, status: 200 });
}, 4_000);

it('answers a slow validating webhook before ?timeout=1s: errored 500', async () => {
  const review = admissionReview();
  const answer = await reviewAt(`${t.url}/test/slow-validating?timeout=1s`, t.agent, review);
  expect(answer.response).toMatchObject({ uid: review.request!.uid, allowed: false, status: { code: 500 } });
  expect(answer.response?.status?.message).toMatch(/no answer before the deadline/);
}, 4_000);

it("bounds a call without ?timeout by the webhook's own timeoutSeconds", async () => {
  const answer = await reviewAt(`${t.url}/test/slow-short`, t.agent, admissionReview());
  expect(answer.response?.warnings).toEqual(['slow-short: no answer before the deadline; admitted unchanged']);
}, 4_000);

it('lets a handler that finishes in time answer itself', async () => {
  const answer = await reviewAt(`${t.url}/test/quick?timeout=1s`, t.agent, admissionReview());
  expect(answer.response).toMatchObject({ allowed: true });
  expect(answer.response?.warnings).toBeUndefined();
});

it('counts a missed deadline as a handler failure', async () => {
  const values = (await t.server.metrics.handlerFailures.get()).values;
  expect(values.find((v) => v.labels.webhook === 'slow-mutating')?.value).toBe(1);
});
