// The serving certificate is reloaded from the cert dir without a restart (a watch plus a periodic
// check); a broken new pair keeps the old one serving and logs an error.
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { generateCertificates, writeCertificates } from '../../src/certs/generate.js';
import { LOOPBACK_HOSTS, makeCertDir, type CertDir } from '../support/certs.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchingWebhook } from '../support/webhooks.js';

/** The fingerprint of the certificate a new connection is served. */
function servedFingerprint(t: TestServer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: t.server.port, ca: t.certs.caCert, servername: 'localhost' }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

/** A new serving pair from the same CA, as a rotation issues it. */
function rotated(certs: CertDir) {
  return generateCertificates({ hosts: LOOPBACK_HOSTS, ca: { cert: certs.caCert, key: certs.caKey } });
}

function fingerprintOf(pem: string): Promise<string> {
  return import('node:crypto').then(({ X509Certificate }) => new X509Certificate(pem).fingerprint256);
}

describe('files replaced in place', () => {
  it('serves the new pair on new connections, without a restart, by watching the directory', async () => {
    const certs = await makeCertDir();
    // The periodic check is far away: only the watch can find this change in time.
    const t = await startTestServer({ webhooks: [patchingWebhook()], certs, certPollIntervalMs: 60_000 });
    const before = await servedFingerprint(t);
    const next = await rotated(certs);
    writeCertificates(certs.dir, next);
    const expected = await fingerprintOf(next.cert);
    await expect.poll(() => servedFingerprint(t), { timeout: 5_000 }).toBe(expected);
    expect(expected).not.toBe(before);
    expect(t.logs.withMessage('serving certificate reloaded')).toHaveLength(1);
  });

  it('keeps serving the old pair when the new one is broken, logs an error, and recovers', async () => {
    const certs = await makeCertDir();
    const t = await startTestServer({ webhooks: [patchingWebhook()], certs, certPollIntervalMs: 100 });
    const before = await servedFingerprint(t);
    const other = await generateCertificates({ hosts: LOOPBACK_HOSTS });
    // A key that does not belong to the certificate, as a half-finished rotation leaves it.
    writeFileSync(join(certs.dir, 'tls.key'), other.key);
    await expect
      .poll(() => t.logs.withMessage('new serving certificate rejected; the old one keeps serving').length, { timeout: 5_000 })
      .toBeGreaterThan(0);
    expect(t.logs.withMessage('new serving certificate rejected; the old one keeps serving')[0]).toMatchObject({ level: 50 });
    expect(await servedFingerprint(t)).toBe(before);

    writeFileSync(join(certs.dir, 'tls.crt'), 'not a certificate\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await servedFingerprint(t)).toBe(before);

    const next = await rotated(certs);
    writeCertificates(certs.dir, next);
    await expect.poll(() => servedFingerprint(t), { timeout: 5_000 }).toBe(await fingerprintOf(next.cert));
  });
});

it('follows a Secret volume update: the ..data symlink swapped atomically', async () => {
  const certs = await makeCertDir();
  // Lay the directory out as the kubelet does: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>.
  const volume = join(certs.dir, 'volume');
  const writeVersion = (name: string, pair: { cert: string; key: string }): void => {
    mkdirSync(join(volume, name));
    writeFileSync(join(volume, name, 'tls.crt'), pair.cert);
    writeFileSync(join(volume, name, 'tls.key'), pair.key);
  };
  mkdirSync(volume);
  writeVersion('..v1', certs);
  symlinkSync('..v1', join(volume, '..data'));
  symlinkSync('..data/tls.crt', join(volume, 'tls.crt'));
  symlinkSync('..data/tls.key', join(volume, 'tls.key'));

  const t = await startTestServer({ webhooks: [patchingWebhook()], certs: { ...certs, dir: volume }, certPollIntervalMs: 200 });
  expect(await servedFingerprint(t)).toBe(await fingerprintOf(certs.cert));
  const next = await rotated(certs);
  writeVersion('..v2', next);
  symlinkSync('..v2', join(volume, '..data_tmp'));
  renameSync(join(volume, '..data_tmp'), join(volume, '..data'));
  await expect.poll(() => servedFingerprint(t), { timeout: 5_000 }).toBe(await fingerprintOf(next.cert));
});
