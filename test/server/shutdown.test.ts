// Graceful shutdown: readiness false at once, no new connections, in-flight reviews finish within
// the grace period, then everything is closed.
import { expect, it } from 'vitest';
import { postReview } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer } from '../support/server.js';
import { sleepingWebhook } from '../support/webhooks.js';
import { refusesConnections } from '../support/raw.js';

it('stops being ready at once, refuses new connections, and lets the in-flight review finish', async () => {
  const t = await startTestServer({ webhooks: [sleepingWebhook('slow', 'validating', 500)], gracePeriodMs: 10_000 });
  const review = admissionReview();
  const inFlight = postReview(`${t.url}/test/slow`, t.agent, review);
  await expect.poll(async () => (await t.server.metrics.inFlight.get()).values[0]?.value ?? 0).toBe(1);

  const stopped = t.server.shutdown();
  expect(t.server.ready()).toBe(false);
  const readyz = await fetch(`${t.metricsUrl}/readyz`);
  expect(readyz.status).toBe(503);
  expect(await readyz.text()).toMatch(/not ready: webhook-listener/);
  expect(await refusesConnections(t.server.port)).toBe(true);

  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(answer.headers.connection).toBe('close');
  expect(JSON.parse(answer.body).response).toMatchObject({ uid: review.request!.uid, allowed: true });
  await stopped;
  expect(t.server.https.listening).toBe(false);
});

it('closes what is still running once the grace period is over', async () => {
  const t = await startTestServer({ webhooks: [sleepingWebhook('stuck', 'mutating', 5_000)], gracePeriodMs: 200 });
  const inFlight = postReview(`${t.url}/test/stuck`, t.agent, admissionReview()).then(
    () => 'answered',
    (err: Error) => err.message,
  );
  await expect.poll(async () => (await t.server.metrics.inFlight.get()).values[0]?.value ?? 0).toBe(1);
  await t.server.shutdown();
  expect(await inFlight).toMatch(/socket hang up|ECONNRESET/);
  expect(t.logs.withMessage('grace period over; closing the remaining connections')).toHaveLength(1);
});
