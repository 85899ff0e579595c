// Temporary certificate directories (ca.crt, ca.key, tls.crt, tls.key) for TLS tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { generateCertificates, writeCertificates, type CertificateRequest, type GeneratedCertificates } from '../../src/certs/generate.js';
import type { TlsIdentity } from './fake-kube-api.js';

export interface CertDir extends GeneratedCertificates {
  dir: string;
}

/** Serving SANs for loopback tests: the names an https client on this machine dials. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** A fresh temp dir with a CA and a serving certificate, removed after the file's tests. */
export async function makeCertDir(request: Partial<CertificateRequest> = {}): Promise<CertDir> {
  const dir = mkdtempSync(join(tmpdir(), 'hpm-certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const certs = await generateCertificates({ hosts: LOOPBACK_HOSTS, ...request });
  writeCertificates(dir, certs);
  return { dir, ...certs };
}

let shared: Promise<CertDir> | undefined;

/** One cert dir per test file (each file runs in its own process), for tests that do not change it. */
export function sharedCertDir(): Promise<CertDir> {
  shared ??= makeCertDir();
  return shared;
}

/** A fresh CA and loopback serving certificate, in the form the fake API server serves TLS with. */
export async function loopbackTlsIdentity(): Promise<TlsIdentity> {
  const certs = await generateCertificates({ hosts: LOOPBACK_HOSTS });
  return { cert: certs.cert, key: certs.key, ca: certs.caCert };
}
