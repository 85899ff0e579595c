// Hostile clients: slow senders, garbage instead of TLS, bodies without end, nesting without end. Each
// is bounded in time (the server gives up on it) and answered where HTTP still allows an answer, and
// reviews from well-behaved clients keep being answered while they try.
import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionReview } from '../../src/admission/types.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { webhooks } from '../../webhooks/index.js';
import { reviewAt, send, trustingAgent } from '../support/client.js';
import { closedWithin, dribble, openTcp, openTls } from '../support/raw.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TECHNICAL_ID, loadFixture, LEGACY } from '../webhooks/apiserver-proxy/fixtures.js';
import { landscape } from '../webhooks/gardenlet-config/fixtures.js';

const PROXY_PATH = `/webhooks/apiserver-proxy/${TECHNICAL_ID}`;
let t: TestServer;
/** Its own server with short timeouts (1 s headers, 2 s request): the mechanism behind the 15 s and 30 s defaults. */
let short: TestServer;
beforeAll(async () => {
  t = await startTestServer({ webhooks, settings: DEFAULT_SETTINGS, services: { shoots: landscape() } });
  short = await startTestServer({ webhooks, settings: DEFAULT_SETTINGS });
  short.server.https.headersTimeout = 1_000;
  short.server.https.requestTimeout = 2_000;
});

const legitimate = () => admissionReview({ object: loadFixture(LEGACY) });
async function stillServing(server: TestServer = t): Promise<void> {
  const review = legitimate();
  const answer = await reviewAt(`${server.url}${PROXY_PATH}`, server.agent, review);
  expect(answer.response?.uid).toBe(review.request!.uid);
  expect(answer.response?.patch).toBeDefined();
}

/** Request head of a review POST with a declared length, as a slow client starts it. */
const head = (length: number): string =>
  `POST ${PROXY_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

// Side by side: each waits out a server timeout, and the file should take the longest, not their sum.
describe.concurrent('slow senders and garbage instead of TLS', () => {
  it('gives up on headers dribbled byte by byte after the headers timeout, answering 408', async () => {
    // Node checks these timeouts only when it sweeps its connections: with its default sweep of 30 s
    // this took up to 30 s for a 1 s timeout (and 45 s for the 15 s default).
    const socket = await openTls(short.server.port, { ca: short.certs.caCert });
    // 120 bytes at one every 100 ms would take 12 s: only the server's timeout ends this sooner.
    void dribble(socket, `POST ${PROXY_PATH} HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(120)}`, 100);
    const closed = await closedWithin(socket, 5_000);
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    await stillServing(short);
  });

  it('gives up on a body dribbled byte by byte after the request timeout, answering 408', async () => {
    const s = short;
    const body = JSON.stringify(legitimate());
    const socket = await openTls(s.server.port, { ca: s.certs.caCert });
    socket.write(head(Buffer.byteLength(body)));
    void dribble(socket, body, 100);
    const closed = await closedWithin(socket, 5_000);
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    await stillServing(s);
  });

  it('answers reviews from other clients while 40 slow senders hold connections', async () => {
    const slow = await Promise.all(Array.from({ length: 40 }, () => openTls(t.server.port, { ca: t.certs.caCert })));
    for (const [i, socket] of slow.entries()) {
      socket.on('error', () => undefined);
      void dribble(socket, i % 2 ? `POST ${PROXY_PATH} HTTP/1.1\r\nX-Slow: ${'b'.repeat(40)}` : head(10_000) + '{"apiVersion":', 100);
    }
    for (let i = 0; i < 50; i++) await stillServing();
    for (const socket of slow) socket.destroy();
  });

  it.each([
    ['a plain HTTP request', Buffer.from(`${head(2)}{}`)],
    ['random bytes', randomBytes(4096)],
    ['half a ClientHello', Buffer.from('16030100c4010000c00303', 'hex')],
    ['nothing at all', Buffer.alloc(0)],
  ])(
    'closes a connection that sends %s within the 10 s handshake timeout, and serves on',
    async (_what, bytes) => {
      const socket = await openTcp(t.server.port);
      if (bytes.length > 0) socket.write(bytes);
      const closed = await closedWithin(socket, 13_000);
      // Nothing readable comes back over plain TCP but, at most, a TLS alert record.
      if (closed.received.length > 0) expect(closed.received.charCodeAt(0)).toBe(0x15);
      await stillServing();
    },
    16_000,
  );
});

describe('after the garbage', () => {
  it('logs failed handshakes at debug level only, one line each, without the bytes', () => {
    const lines = t.logs.withMessage('TLS handshake failed');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.level).toBe(20);
    expect(t.logs.text()).not.toContain('Content-Length: 2');
  });
});

describe('bodies without end', () => {
  it('stops reading an endless chunked body at the 8 MiB limit: 413, connection closed, far from all sent', async () => {
    const MiB = Buffer.alloc(1024 * 1024, 'a');
    const limit = 64;
    let sent = 0;
    const outcome = await new Promise<{ status?: number; error?: string }>((resolve) => {
      const req = httpsRequest(
        `${t.url}${PROXY_PATH}`,
        { method: 'POST', agent: t.agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode }));
        },
      );
      req.on('error', (err) => resolve({ error: err.message }));
      const pump = (): void => {
        while (sent < limit && !req.destroyed) {
          sent++;
          if (!req.write(MiB)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
    // Either the 413 is read, or the server closed on the client mid-upload; never all 64 MiB taken in.
    if (outcome.status !== undefined) expect(outcome.status).toBe(413);
    expect(sent).toBeLessThan(limit);
    await stillServing();
  });
});

describe('nesting without end', () => {
  const DEPTH = 100_000;
  const deep = (leaf: string): string => '['.repeat(DEPTH) + leaf + ']'.repeat(DEPTH);
  /** A review whose `field` is replaced by a value nested DEPTH levels deep, as raw JSON. */
  const nestedAt = (field: string): string => {
    const marker = '"__NESTED__"';
    const review = legitimate() as AdmissionReview & Record<string, unknown>;
    const request = review.request as unknown as Record<string, unknown>;
    const object = request.object as Record<string, Record<string, unknown>>;
    if (field === 'object.metadata.labels') object.metadata!.labels = '__NESTED__' as never;
    else if (field === 'object.data') object.data = '__NESTED__' as never;
    else request[field] = '__NESTED__';
    return JSON.stringify(review).replace(marker, deep('1'));
  };

  it.each(
    webhooks.flatMap((w) =>
      ['object', 'object.metadata.labels', 'object.data', 'oldObject', 'name', 'namespace', 'kind', 'userInfo', 'operation'].map(
        (f) => [w.name, f] as const,
      ),
    ),
  )('%s: a value nested 100 000 deep at %s gets a well-formed answer, and the log line stays small', async (name, field) => {
    const webhook = webhooks.find((w) => w.name === name)!;
    const path = webhook.path + (webhook.pathParameters?.length ? `/${TECHNICAL_ID}` : '');
    const body = nestedAt(field);
    const before = t.logs.text().length;
    const answer = await send(`${t.url}${path}`, { agent: t.agent, headers: { 'content-type': 'application/json' }, body });
    expect([200, 400]).toContain(answer.status);
    if (answer.status === 200) {
      const response = (JSON.parse(answer.body) as AdmissionReview).response!;
      expect(typeof response.allowed).toBe('boolean');
      if (webhook.type === 'mutating') expect(response.allowed).toBe(true);
      // Only an object it cannot read is left alone; nesting elsewhere leaves the object mutable.
      if (field.startsWith('object')) expect(response.patch).toBeUndefined();
    }
    expect(t.logs.text().length - before).toBeLessThan(8 * 1024);
  });

  it('answers an 8 MiB body of nothing but nesting, and serves on', async () => {
    const agent = trustingAgent(t.certs.caCert);
    const half = 4 * 1024 * 1024 - 8;
    const answer = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `${t.url}${PROXY_PATH}`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end('['.repeat(half) + ']'.repeat(half));
    });
    expect(answer).toBe(400);
    agent.destroy();
    await stillServing();
  });
});
