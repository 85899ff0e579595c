// The listener speaks what kube-apiserver speaks: TLS 1.2 or newer, ALPN http/1.1 and never h2,
// with the certificate from --cert-dir; slow clients are bounded by timeouts.
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { beforeAll, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../src/server/server.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchingWebhook } from '../support/webhooks.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ webhooks: [patchingWebhook()] });
});

function handshake(options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: t.server.port, ca: t.certs.caCert, servername: 'localhost', ...options }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

it('negotiates http/1.1 when the client offers h2 first', async () => {
  const socket = await handshake({ ALPNProtocols: ['h2', 'http/1.1'] });
  expect(socket.alpnProtocol).toBe('http/1.1');
  socket.destroy();
});

it('never negotiates h2: a client that offers only h2 is refused with the no_application_protocol alert', async () => {
  const outcome = await handshake({ ALPNProtocols: ['h2'] }).then(
    (socket) => {
      const protocol = socket.alpnProtocol;
      socket.destroy();
      return protocol;
    },
    (err: Error) => err.message,
  );
  expect(outcome).toMatch(/alert no application protocol/);
});

it('serves TLS 1.3 and TLS 1.2', async () => {
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    const socket = await handshake({ minVersion: version, maxVersion: version });
    expect(socket.getProtocol()).toBe(version);
    socket.destroy();
  }
});

it('refuses TLS 1.1 with a protocol_version alert', async () => {
  // SECLEVEL=0 lets this client offer TLS 1.1 at all, so the refusal is the server's.
  const err = await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }).then(
    () => undefined,
    (e: Error & { code?: string }) => e,
  );
  expect(err?.code).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
});

it('presents the serving certificate from the cert dir, valid for the loopback names', async () => {
  const socket = await handshake({});
  const peer = socket.getPeerX509Certificate();
  expect(peer?.fingerprint256).toBe(t.server.certificates.pair.fingerprint);
  expect(peer?.checkHost('localhost')).toBe('localhost');
  expect(peer?.checkIP('127.0.0.1')).toBe('127.0.0.1');
  socket.destroy();
});

it('keeps idle connections longer than the 90 s of clients that pool them, and bounds slow requests', () => {
  expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(90_000);
  expect(t.server.https.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
  expect(t.server.https.headersTimeout).toBeGreaterThan(0);
  expect(t.server.https.headersTimeout).toBeLessThanOrEqual(t.server.https.requestTimeout);
  // A request must be read in less time than the longest webhook timeout the apiserver allows (30 s).
  expect(t.server.https.requestTimeout).toBeGreaterThan(0);
  expect(t.server.https.requestTimeout).toBeLessThanOrEqual(30_000);
});
