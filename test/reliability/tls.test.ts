// What the TLS listener refuses, each refusal checked against a control: a plain Node TLS server with
// Node's defaults accepts the same client, so the refusal is this server's configuration and not the
// test client's inability. And optional client authentication (--client-ca): only certificates from
// that CA are served, also after the serving certificate rotates, and through the real `serve`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type ConnectionOptions, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificates, writeCertificates, type GeneratedCertificates } from '../../src/certs/generate.js';
import { webhooks } from '../../webhooks/index.js';
import { LOOPBACK_HOSTS, makeCertDir, sharedCertDir, type CertDir } from '../support/certs.js';
import { spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import { openTls } from '../support/raw.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DELETE_PATH = '/webhooks/vpn-shoot';
const body = () => JSON.stringify(admissionReview({ operation: 'DELETE' }));

describe('protocol and cipher floor', () => {
  let t: TestServer;
  let control: TlsServer;
  let controlPort: number;
  beforeAll(async () => {
    t = await startTestServer({ webhooks });
    // Node's defaults, same certificate: what an unconfigured listener would accept.
    control = createTlsServer(
      { cert: t.certs.cert, key: t.certs.key, ciphers: 'DEFAULT@SECLEVEL=0', minVersion: 'TLSv1', ALPNProtocols: ['h2', 'http/1.1'] },
      (s) => s.end(),
    );
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    controlPort = (control.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => control.close(() => resolve())));

  const outcome = (port: number, options: ConnectionOptions): Promise<string> =>
    openTls(port, { ca: t.certs.caCert, ...options }).then(
      (socket) => {
        const got = `${socket.getProtocol()} ${socket.getCipher().standardName} ${socket.alpnProtocol || 'no-alpn'}`;
        socket.destroy();
        return got;
      },
      (err: Error & { code?: string }) => `refused ${err.code ?? err.message}`,
    );

  const tls12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;
  const refusedCases: [string, ConnectionOptions][] = [
    ['TLS 1.1', { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }],
    ['TLS 1.0', { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }],
    ['TLS 1.2 with CBC and SHA-1 (ECDHE-ECDSA-AES128-SHA)', { ...tls12, ciphers: 'ECDHE-ECDSA-AES128-SHA@SECLEVEL=0' }],
    ['TLS 1.2 with CBC (ECDHE-ECDSA-AES256-SHA384)', { ...tls12, ciphers: 'ECDHE-ECDSA-AES256-SHA384' }],
    ['TLS 1.2 with CBC (ECDHE-ECDSA-AES128-SHA256)', { ...tls12, ciphers: 'ECDHE-ECDSA-AES128-SHA256' }],
  ];

  it.each(refusedCases)('refuses %s, which a default Node listener accepts', async (_name, options) => {
    expect(await outcome(controlPort, options)).not.toMatch(/^refused/);
    expect(await outcome(t.server.port, options)).toMatch(/^refused /);
  });

  it('serves TLS 1.2 with forward-secret AEAD suites, and TLS 1.3', async () => {
    for (const cipher of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
      expect(await outcome(t.server.port, { ...tls12, ciphers: cipher })).toMatch(/^TLSv1\.2 TLS_ECDHE_ECDSA_WITH_/);
    }
    expect(await outcome(t.server.port, { minVersion: 'TLSv1.3' })).toMatch(/^TLSv1\.3 /);
  });

  it('never negotiates h2, which the control listener does', async () => {
    expect(await outcome(controlPort, { ALPNProtocols: ['h2', 'http/1.1'] })).toMatch(/ h2$/);
    expect(await outcome(t.server.port, { ALPNProtocols: ['h2', 'http/1.1'] })).toMatch(/ http\/1\.1$/);
    expect(await outcome(t.server.port, { ALPNProtocols: ['h2'] })).not.toMatch(/ h2$/);
  });
});

/** One POST of a DELETE review with these client options; the HTTP status, or the error code. */
function tryReview(url: string, options: { ca: string; cert?: string; key?: string }): Promise<string> {
  const agent = new Agent({ ...options, keepAlive: false });
  return new Promise<string>((resolve) => {
    const req = httpsRequest(`${url}${DELETE_PATH}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(`HTTP ${res.statusCode}`));
    });
    req.on('error', (err: Error & { code?: string }) => resolve(`refused ${err.code ?? err.message}`));
    req.end(body());
  }).finally(() => agent.destroy());
}

interface ClientIdentity {
  caFile: string;
  /** A client certificate and key signed by the CA in caFile. */
  trusted: GeneratedCertificates;
  /** The same, from another CA. */
  stranger: GeneratedCertificates;
}

async function clientIdentities(): Promise<ClientIdentity> {
  const dir = mkdtempSync(join(tmpdir(), 'hpm-client-ca-'));
  const clientCa = await generateCertificates({ hosts: ['kube-apiserver'] });
  const trusted = await generateCertificates({ hosts: ['kube-apiserver'], ca: { cert: clientCa.caCert, key: clientCa.caKey } });
  const stranger = await generateCertificates({ hosts: ['kube-apiserver'] });
  const caFile = join(dir, 'client-ca.crt');
  writeFileSync(caFile, clientCa.caCert);
  return { caFile, trusted, stranger };
}

describe('client authentication with --client-ca', () => {
  let ids: ClientIdentity;
  let certs: CertDir;
  let t: TestServer;
  beforeAll(async () => {
    ids = await clientIdentities();
    certs = await makeCertDir();
    t = await startTestServer({ webhooks, certs, clientCaFile: ids.caFile, certPollIntervalMs: 100 });
  });

  const expectOnlyTrustedServed = async (url: string, ca: string): Promise<void> => {
    expect(await tryReview(url, { ca })).toMatch(/^refused /);
    expect(await tryReview(url, { ca, cert: ids.stranger.cert, key: ids.stranger.key })).toMatch(/^refused /);
    // A serving certificate is no client identity unless the client CA signed it.
    expect(await tryReview(url, { ca, cert: certs.cert, key: certs.key })).toMatch(/^refused /);
    expect(await tryReview(url, { ca, cert: ids.trusted.cert, key: ids.trusted.key })).toBe('HTTP 200');
  };

  it('refuses clients without a certificate or with one from another CA, and serves the CA’s', async () => {
    await expectOnlyTrustedServed(t.url, certs.caCert);
  });

  it('keeps requiring client certificates after the serving certificate rotates', async () => {
    const before = t.server.certificates.pair.fingerprint;
    writeCertificates(certs.dir, await generateCertificates({ hosts: LOOPBACK_HOSTS, ca: { cert: certs.caCert, key: certs.caKey } }));
    await expect.poll(() => t.server.certificates.pair.fingerprint, { timeout: 5_000 }).not.toBe(before);
    await expectOnlyTrustedServed(t.url, certs.caCert);
  });

  it('does the same through `serve --client-ca`', async () => {
    const shared = await sharedCertDir();
    const serve = await spawnServe(['--cert-dir', shared.dir, '--client-ca', ids.caFile, ...LOOPBACK_SERVE_ARGS]);
    const url = serve.url.replace('localhost', '127.0.0.1');
    expect(await tryReview(url, { ca: shared.caCert })).toMatch(/^refused /);
    expect(await tryReview(url, { ca: shared.caCert, cert: ids.stranger.cert, key: ids.stranger.key })).toMatch(/^refused /);
    expect(await tryReview(url, { ca: shared.caCert, cert: ids.trusted.cert, key: ids.trusted.key })).toBe('HTTP 200');
    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
  });
});
