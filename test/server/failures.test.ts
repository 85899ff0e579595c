// A failing handler is contained: mutating fails open (admitted, no patch, a warning), validating
// fails closed (errored 500); both are counted and logged, and the server keeps serving.
import { beforeAll, expect, it } from 'vitest';
import type { Verdict } from '../../src/admission/response.js';
import { reviewAt } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { testWebhook, throwingWebhook } from '../support/webhooks.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    webhooks: [
      throwingWebhook('mutating-throws', 'mutating'),
      throwingWebhook('validating-throws', 'validating'),
      testWebhook('mutating-rejects', 'mutating', () => Promise.reject(new Error('async failure'))),
      testWebhook('validating-garbage', 'validating', () => ({}) as Verdict),
      testWebhook('mutating-undefined', 'mutating', () => undefined as unknown as Verdict),
      testWebhook('validating-patches', 'validating', () => ({
        outcome: 'patched',
        allowed: true,
        patch: [{ op: 'add', path: '/metadata/labels', value: {} }],
        warnings: [],
      })),
    ],
  });
});

async function failures(webhook: string): Promise<number> {
  return (await t.server.metrics.handlerFailures.get()).values.find((v) => v.labels.webhook === webhook)?.value ?? 0;
}

it.each(['mutating-throws', 'mutating-rejects', 'mutating-undefined'])('%s fails open with a warning, counted and logged', async (name) => {
  const review = admissionReview();
  const answer = await reviewAt(`${t.url}/test/${name}`, t.agent, review);
  expect(answer.response).toEqual({
    uid: review.request!.uid,
    allowed: true,
    warnings: [`${name}: internal error; admitted unchanged`],
  });
  expect(await failures(name)).toBe(1);
  const logged = t.logs.withMessage('webhook handler failed').filter((l) => l.webhook === name);
  expect(logged).toEqual([expect.objectContaining({ level: 50, uid: review.request!.uid, err: expect.any(String) })]);
});

it.each(['validating-throws', 'validating-garbage', 'validating-patches'])(
  '%s fails closed with errored 500, counted and logged',
  async (name) => {
    const review = admissionReview();
    const answer = await reviewAt(`${t.url}/test/${name}`, t.agent, review);
    expect(answer.response).toEqual({
      uid: review.request!.uid,
      allowed: false,
      status: { code: 500, reason: 'InternalError', message: `${name}: internal error; refused until it can be checked` },
    });
    expect(answer.response?.patch).toBeUndefined();
    expect(await failures(name)).toBe(1);
    expect(t.logs.withMessage('webhook handler failed').filter((l) => l.webhook === name)).toHaveLength(1);
  },
);

it('logs the thrown message, so the failure can be found', () => {
  const line = t.logs.withMessage('webhook handler failed').find((l) => l.webhook === 'mutating-throws');
  expect(line?.err).toBe('handler exploded');
});
