// The answer kube-apiserver accepts: HTTP 200, the review's own apiVersion, the uid echoed, patchType
// exactly when there is a patch, and never a patch where the apiserver refuses one.
import fastJsonPatch from 'fast-json-patch';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMISSION_V1, ADMISSION_V1BETA1 } from '../../src/admission/types.js';
import { postReview, reviewAt } from '../support/client.js';
import { admissionReview, configMap, patchOf } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchingWebhook, testWebhook, validatingWebhook } from '../support/webhooks.js';
import { allowed } from '../../src/admission/response.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    webhooks: [
      patchingWebhook('patching'),
      validatingWebhook('validating'),
      testWebhook('noop', 'mutating', () => allowed()),
      testWebhook('echo-parameter', 'mutating', (_r, ctx) => allowed(`parameter ${ctx.pathParameters?.id}`), {
        pathParameters: [{ name: 'id' }],
      }),
    ],
  });
});

describe.each([ADMISSION_V1, ADMISSION_V1BETA1] as const)('review in %s', (apiVersion) => {
  it('answers HTTP 200 in the same apiVersion with the uid echoed', async () => {
    const review = admissionReview({ apiVersion });
    const answer = await postReview(`${t.url}/test/noop`, t.agent, review);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(answer.body);
    expect(body).toEqual({ apiVersion, kind: 'AdmissionReview', response: { uid: review.request!.uid, allowed: true } });
  });

  it('carries a JSONPatch that applies to the object it was computed from', async () => {
    const review = admissionReview({ apiVersion, object: configMap('cm', 'kube-system', { a: 'b' }) });
    const answer = await reviewAt(`${t.url}/test/patching`, t.agent, review);
    expect(answer.apiVersion).toBe(apiVersion);
    expect(answer.response?.uid).toBe(review.request!.uid);
    expect(answer.response?.patchType).toBe('JSONPatch');
    const patched = fastJsonPatch.applyPatch(structuredClone(review.request!.object!), patchOf(answer.response!)!, true).newDocument;
    expect(patched.metadata?.annotations).toEqual({ 'test/patched': 'true' });
  });
});

it('omits patch and patchType when the mutating webhook changes nothing', async () => {
  const review = admissionReview();
  review.request!.object!.metadata!.annotations = { 'test/patched': 'true' };
  const answer = await reviewAt(`${t.url}/test/patching`, t.agent, review);
  expect(answer.response).toEqual({ uid: review.request!.uid, allowed: true });
});

it.each(['DELETE', 'CONNECT'] as const)('never returns a patch on %s', async (operation) => {
  const review = admissionReview({ operation });
  const answer = await reviewAt(`${t.url}/test/patching`, t.agent, review);
  expect(answer.response).toEqual({ uid: review.request!.uid, allowed: true });
});

it('answers a validating denial as allowed:false with a 403 status and HTTP 200', async () => {
  const object = configMap('cm', 'default');
  object.metadata!.labels = { deny: 'true' };
  const review = admissionReview({ object });
  const answer = await reviewAt(`${t.url}/test/validating`, t.agent, review);
  expect(answer.response).toEqual({
    uid: review.request!.uid,
    allowed: false,
    status: { code: 403, message: 'labelled deny', reason: 'Forbidden' },
  });
});

it('validates DELETE from oldObject', async () => {
  const object = configMap('cm', 'default');
  object.metadata!.labels = { deny: 'true' };
  const answer = await reviewAt(`${t.url}/test/validating`, t.agent, admissionReview({ operation: 'DELETE', object }));
  expect(answer.response?.allowed).toBe(false);
});

it('treats a review without apiVersion as admission.k8s.io/v1', async () => {
  const review: Record<string, unknown> = { ...admissionReview() };
  delete review.apiVersion;
  const answer = await reviewAt(`${t.url}/test/noop`, t.agent, review);
  expect(answer.apiVersion).toBe(ADMISSION_V1);
});

it('hands the path segment after a parameterised webhook to the handler, query ignored', async () => {
  const answer = await reviewAt(`${t.url}/test/echo-parameter/shoot--foo--bar?timeout=10s`, t.agent, admissionReview());
  expect(answer.response?.warnings).toEqual(['parameter shoot--foo--bar']);
});

it('answers 404 with a one-line reason for a path without a webhook', async () => {
  const answer = await postReview(`${t.url}/test/nothing-here`, t.agent, admissionReview());
  expect(answer.status).toBe(404);
  expect(answer.body.trim()).toMatch(/^no webhook at POST \/test\/nothing-here$/);
});
