// Bad input never crashes the server: each gets its HTTP status and a one-line reason, and the
// server keeps answering afterwards.
import { connect } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { postReview, send } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchingWebhook, sleepingWebhook } from '../support/webhooks.js';

const MAX = 64 * 1024;
let t: TestServer;
let url: string;
beforeAll(async () => {
  // A small limit keeps the oversized bodies small; the default (8 MiB) is checked at the end.
  t = await startTestServer({ webhooks: [patchingWebhook(), sleepingWebhook('slow', 'mutating', 300)], maxBodyBytes: MAX });
  url = `${t.url}/test/patching`;
});

function expectOneLineReason(body: string, pattern: RegExp): void {
  expect(body.endsWith('\n')).toBe(true);
  expect(body.trimEnd().split('\n')).toHaveLength(1);
  expect(body).toMatch(pattern);
}

it.each([
  ['not JSON', '{"apiVersion":', 400, /^body is not JSON/],
  ['empty', '', 400, /^empty body/],
  ['a JSON array', '[]', 400, /not a JSON object/],
  ['a review without request', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), 400, /has no request/],
  [
    'a review with request null',
    JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: null }),
    400,
    /has no request/,
  ],
  [
    'a request without uid',
    JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { operation: 'CREATE' } }),
    400,
    /has no uid/,
  ],
  [
    'a request with a numeric uid',
    JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 7 } }),
    400,
    /has no uid/,
  ],
  ['another kind', JSON.stringify({ ...admissionReview(), kind: 'ConversionReview' }), 400, /is not AdmissionReview/],
  ['an unknown apiVersion', JSON.stringify({ ...admissionReview(), apiVersion: 'admission.k8s.io/v2' }), 400, /is not supported/],
] as const)('answers %s', async (_what, body, status, reason) => {
  const answer = await send(url, { agent: t.agent, headers: { 'content-type': 'application/json' }, body });
  expect(answer.status).toBe(status);
  expectOneLineReason(answer.body, reason);
});

it.each([
  ['text/plain', 'text/plain'],
  ['application/yaml', 'application/yaml'],
  ['no content type', undefined],
])('answers %s with 415', async (_what, contentType) => {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const answer = await send(url, { agent: t.agent, headers, body: JSON.stringify(admissionReview()) });
  expect(answer.status).toBe(415);
  expectOneLineReason(answer.body, /is not application\/json/);
});

it('accepts application/json with a charset', async () => {
  const answer = await send(url, {
    agent: t.agent,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(admissionReview()),
  });
  expect(answer.status).toBe(200);
});

it('answers a body over the limit with 413, by its declared length', async () => {
  const answer = await send(url, { agent: t.agent, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(MAX + 1, 0x20) });
  expect(answer.status).toBe(413);
  expectOneLineReason(answer.body, /exceeds the limit/);
});

it('answers a chunked body over the limit with 413', async () => {
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', agent: t.agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    // No content-length: only counting the bytes finds the excess.
    for (let i = 0; i < 4; i++) req.write(Buffer.alloc(MAX / 2, 0x20));
    req.end();
  });
  expect(answer.status).toBe(413);
  expectOneLineReason(answer.body, /exceeds the limit/);
});

it('answers other methods with 405 and Allow: POST', async () => {
  const answer = await send(url, { agent: t.agent, method: 'GET' });
  expect(answer.status).toBe(405);
  expect(answer.headers.allow).toBe('POST');
  expectOneLineReason(answer.body, /method GET not allowed/);
});

it('survives a client that sends half a body and goes away, and releases its in-flight slot', async () => {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: t.server.port, ca: t.certs.caCert, servername: 'localhost' }, () => {
      socket.write(
        'POST /test/patching HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiVer',
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.on('error', reject);
  });
  await expect
    .poll(async () => (await t.server.metrics.inFlight.get()).values.find((v) => v.labels.webhook === 'patching')?.value ?? 0)
    .toBe(0);
  const answer = await postReview(url, t.agent, admissionReview());
  expect(answer.status).toBe(200);
});

it('releases the in-flight slot of a client that goes away while its review is decided', async () => {
  const inFlight = async (): Promise<number> =>
    (await t.server.metrics.inFlight.get()).values.find((v) => v.labels.webhook === 'slow')?.value ?? 0;
  const req = httpsRequest(`${t.url}/test/slow`, { method: 'POST', agent: t.agent, headers: { 'content-type': 'application/json' } });
  req.on('error', () => undefined);
  req.end(JSON.stringify(admissionReview()));
  await expect.poll(inFlight).toBe(1);
  req.destroy();
  await expect.poll(inFlight, { timeout: 2000 }).toBe(0);
});

it('keeps answering reviews after all of the above', async () => {
  const answer = await postReview(url, t.agent, admissionReview());
  expect(answer.status).toBe(200);
});

describe('with the default limit of 8 MiB', () => {
  let big: TestServer;
  beforeAll(async () => {
    big = await startTestServer({ webhooks: [patchingWebhook()] });
  });

  it('answers 413 to a 9 MiB body, readable by the client', async () => {
    const answer = await send(`${big.url}/test/patching`, {
      agent: big.agent,
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(9 * 1024 * 1024, 0x20),
    });
    expect(answer.status).toBe(413);
    expectOneLineReason(answer.body, /exceeds the limit of 8388608/);
  });

  it('accepts a review of 7 MiB', async () => {
    const review = admissionReview();
    review.request!.object!.data = { blob: 'x'.repeat(7 * 1024 * 1024) };
    const answer = await postReview(`${big.url}/test/patching`, big.agent, review);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).response.uid).toBe(review.request!.uid);
  });
});
