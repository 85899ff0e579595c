// Development and test certificates: a CA and a serving certificate signed by it, made with
// @peculiar/x509 on WebCrypto (no openssl, no shelling out).
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
export { defaultHosts } from './hosts.js';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as webcrypto.Crypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface GeneratedCertificates {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export interface CertificateRequest {
  /** DNS names and IP addresses for the serving certificate's SANs. */
  hosts: string[];
  days?: number;
  commonName?: string;
  /** Sign with this CA instead of making a new one (rotation of the serving certificate only). */
  ca?: { cert: string; key: string };
}

export async function generateCertificates(request: CertificateRequest): Promise<GeneratedCertificates> {
  if (request.hosts.length === 0) throw new Error('a serving certificate needs at least one DNS name or IP');
  const days = request.days ?? 365;
  if (!Number.isInteger(days) || days < 1) throw new Error(`--days must be a whole number of at least 1, not ${days}`);
  const notBefore = new Date(Date.now() - 60_000);
  const subtle = webcrypto.subtle;

  let caKeys: webcrypto.CryptoKeyPair;
  let caCertPem: string;
  let caName: string;
  if (request.ca) {
    const caCert = new x509.X509Certificate(request.ca.cert);
    caName = caCert.subject;
    const privateKey = await subtle.importKey('pkcs8', pemBody(request.ca.key), ALGORITHM, true, ['sign']);
    const publicKey = await caCert.publicKey.export(ALGORITHM, ['verify']);
    caKeys = { privateKey, publicKey } as webcrypto.CryptoKeyPair;
    caCertPem = request.ca.cert;
  } else {
    caKeys = (await subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    caName = 'CN=http-proxy-migrator-ca';
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      name: caName,
      keys: caKeys,
      notBefore,
      notAfter: new Date(notBefore.getTime() + days * DAY_MS),
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    caCertPem = ca.toString('pem');
  }

  const serverKeys = (await subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = request.hosts.map((host) => (isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host }));
  const server = await x509.X509CertificateGenerator.create({
    subject: `CN=${request.commonName ?? request.hosts[0]}`,
    issuer: caName,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + days * DAY_MS),
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  return {
    caCert: caCertPem,
    caKey: request.ca ? request.ca.key : await exportKey(caKeys.privateKey),
    cert: server.toString('pem'),
    key: await exportKey(serverKeys.privateKey),
  };
}

/** Writes ca.crt, ca.key, tls.crt and tls.key; keys are readable by the owner only. */
export function writeCertificates(dir: string, certs: GeneratedCertificates): void {
  mkdirSync(dir, { recursive: true });
  // The key first, so a watcher never sees a new certificate beside an old key for long.
  writeFileSync(join(dir, 'ca.key'), certs.caKey, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), certs.caCert);
  writeFileSync(join(dir, 'tls.key'), certs.key, { mode: 0o600 });
  writeFileSync(join(dir, 'tls.crt'), certs.cert);
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function pemBody(pem: string): ArrayBuffer {
  const buffers = x509.PemConverter.decode(pem);
  if (buffers.length === 0) throw new Error('no PEM block found in the CA key');
  return buffers[0]!;
}
