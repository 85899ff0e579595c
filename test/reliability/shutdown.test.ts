// Graceful shutdown under load, through the real `serve`: clients post reviews without pause while
// three requests are still sending their bodies; SIGTERM turns /readyz to 503 at once (and it stays
// so), the three in-flight reviews are answered, no answer is cut off or wrong, and the process exits 0.
import { Agent } from 'node:https';
import { expect, it } from 'vitest';
import { sharedCertDir } from '../support/certs.js';
import { spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import { reviewAt } from '../support/client.js';
import { openTls } from '../support/raw.js';
import { admissionReview } from '../support/reviews.js';
import { LEGACY, TECHNICAL_ID, loadFixture } from '../webhooks/apiserver-proxy/fixtures.js';

const WORKERS = 6;
const MAX_REQUESTS_PER_WORKER = 20_000;
/** Errors a client may see once the listener is closed: refused, or a kept-alive connection closed as it was reused. */
const CONNECTION_ERRORS = /ECONNREFUSED|ECONNRESET|socket hang up|EPIPE/;

it('on SIGTERM under load: readiness fails at once, in-flight reviews finish, nothing is cut off, exit 0', async () => {
  const certs = await sharedCertDir();
  const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS, '--grace-period', '20']);
  const url = serve.url.replace('localhost', '127.0.0.1');
  const metricsUrl = serve.metricsUrl.replace('localhost', '127.0.0.1');
  const path = `/webhooks/apiserver-proxy/${TECHNICAL_ID}`;
  const object = loadFixture(LEGACY);
  const port = Number(new URL(url).port);

  // Load: until the first connection-level error after SIGTERM, or the bounds.
  let signalled = false;
  let served = 0;
  const wrong: string[] = [];
  const ended: string[] = [];
  const deadline = Date.now() + 30_000;
  const workers = Array.from({ length: WORKERS }, async (_, i) => {
    const agent = new Agent({ ca: certs.caCert, keepAlive: i % 2 === 0, maxSockets: 1 });
    try {
      for (let n = 0; n < MAX_REQUESTS_PER_WORKER && Date.now() < deadline; n++) {
        const review = admissionReview({ object });
        try {
          const answer = await reviewAt(`${url}${path}`, agent, review);
          if (answer.response?.uid === review.request!.uid && answer.response.patch) served++;
          else wrong.push(`worker ${i}: ${JSON.stringify(answer).slice(0, 200)}`);
        } catch (err) {
          const message = (err as Error & { code?: string }).code ?? (err as Error).message;
          if (!signalled || !CONNECTION_ERRORS.test(message)) wrong.push(`worker ${i}: ${message}`);
          ended.push(message);
          return;
        }
      }
    } finally {
      agent.destroy();
    }
  });

  // In flight: three reviews whose bodies are half sent when the signal comes.
  const inFlight = await Promise.all(
    [0, 1, 2].map(async () => {
      const review = admissionReview({ object });
      const body = JSON.stringify(review);
      const socket = await openTls(port, { ca: certs.caCert });
      let received = '';
      socket.on('data', (c: Buffer) => (received += c.toString('utf8')));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      socket.write(body.slice(0, body.length / 2));
      return { review, body, socket, closed, received: () => received };
    }),
  );

  await expect.poll(() => served, { timeout: 10_000 }).toBeGreaterThan(100);
  expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(200);

  serve.child.kill('SIGTERM');
  signalled = true;
  // At once: readiness is gone while the three reviews are still in flight (they wait for the poll),
  // and it never comes back.
  await expect.poll(async () => (await fetch(`${metricsUrl}/readyz`)).status, { timeout: 5_000, interval: 10 }).toBe(503);
  for (let i = 0; i < 5; i++) expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(503);

  // The in-flight reviews finish their bodies after the signal and are answered in full.
  for (const r of inFlight) r.socket.end(r.body.slice(r.body.length / 2));
  await Promise.all(inFlight.map((r) => r.closed));
  for (const r of inFlight) {
    const [head, payload] = r.received().split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head!.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(payload!).response.uid).toBe(r.review.request!.uid);
  }

  expect(await serve.exited).toEqual({ code: 0, signal: null });
  await Promise.all(workers);
  expect(wrong).toEqual([]);
  // Every worker ran into the closed listener, so the load really overlapped the shutdown.
  expect(ended).toHaveLength(WORKERS);
  const lines = serve
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.filter((l) => l.clientGone || l.msg === 'grace period over; closing the remaining connections')).toEqual([]);
  expect(lines.filter((l) => l.msg === 'admission' && l.status === 200).length).toBeGreaterThanOrEqual(served + inFlight.length);
}, 45_000);
