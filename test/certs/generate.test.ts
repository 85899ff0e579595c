// Certificate generation: SANs by type, validity, and a serving certificate re-issued from an existing CA.
import { X509Certificate } from 'node:crypto';
import { expect, it } from 'vitest';
import { defaultHosts, generateCertificates } from '../../src/certs/generate.js';

it('lists the names kube-apiserver dials for a Service, plus loopback', () => {
  expect(defaultHosts('svc', 'ns')).toEqual(['localhost', '127.0.0.1', 'svc', 'svc.ns', 'svc.ns.svc']);
});

it('puts IPs in IP SANs and names in DNS SANs, signed by the generated CA', async () => {
  const certs = await generateCertificates({ hosts: ['svc.ns.svc', '::1', '10.1.2.3'], days: 2 });
  const cert = new X509Certificate(certs.cert);
  const ca = new X509Certificate(certs.caCert);
  expect(cert.subjectAltName).toBe('DNS:svc.ns.svc, IP Address:0:0:0:0:0:0:0:1, IP Address:10.1.2.3');
  expect(cert.checkHost('svc.ns.svc')).toBe('svc.ns.svc');
  expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
  expect(cert.checkIssued(ca)).toBe(true);
  expect(cert.verify(ca.publicKey)).toBe(true);
  expect(Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000)).toBe(2);
  expect(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(certs.key))).toBe(true);
});

it('re-issues the serving certificate from an existing CA, keeping the CA', async () => {
  const first = await generateCertificates({ hosts: ['localhost'] });
  const second = await generateCertificates({ hosts: ['localhost'], ca: { cert: first.caCert, key: first.caKey } });
  expect(second.caCert).toBe(first.caCert);
  expect(second.cert).not.toBe(first.cert);
  expect(new X509Certificate(second.cert).verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
});

it.each([
  [{ hosts: [] }, 'a serving certificate needs at least one DNS name or IP'],
  [{ hosts: ['a'], days: 0 }, /at least 1/],
])('refuses %j', async (request, message) => {
  await expect(generateCertificates(request)).rejects.toThrow(message);
});
