// Serving certificate from a directory, reloaded without a restart: a watch for speed plus a poll
// for the changes a watch misses (Secret volumes swap a symlink). A broken new pair never replaces
// a working one.
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from '../observability/logger.js';

export interface KeyPair {
  cert: Buffer;
  key: Buffer;
  /** Certificate expiry, for logs and metrics. */
  notAfter: Date;
  fingerprint: string;
}

const CERT_FILE = 'tls.crt';
const KEY_FILE = 'tls.key';

/** Reads and checks a pair: both parse, and the key belongs to the certificate. */
export function readKeyPair(certDir: string): KeyPair {
  const certPath = join(certDir, CERT_FILE);
  const keyPath = join(certDir, KEY_FILE);
  for (const path of [certPath, keyPath]) {
    if (!existsSync(path)) throw new Error(`${path} does not exist`);
  }
  const cert = readFileSync(certPath);
  const key = readFileSync(keyPath);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`${certPath} is not a PEM certificate: ${(err as Error).message}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`${certPath} and ${keyPath} do not form a usable pair: ${(err as Error).message}`);
  }
  return { cert, key, notAfter: new Date(x509.validTo), fingerprint: x509.fingerprint256 };
}

export interface CertificateWatcherOptions {
  certDir: string;
  logger: Logger;
  pollIntervalMs?: number;
  onChange: (pair: KeyPair) => void;
}

export class CertificateWatcher {
  private current: KeyPair;
  private currentDigest: string;
  private watcher?: FSWatcher;
  private poller?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;

  constructor(private readonly options: CertificateWatcherOptions) {
    this.current = readKeyPair(options.certDir);
    this.currentDigest = digestOf(this.current);
  }

  get pair(): KeyPair {
    return this.current;
  }

  start(): void {
    try {
      this.watcher = watch(this.options.certDir, () => this.scheduleCheck());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // The poll below still finds every change.
    }
    this.poller = setInterval(() => this.check(), this.options.pollIntervalMs ?? 10_000);
    this.poller.unref();
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.poller);
    clearTimeout(this.debounce);
  }

  /** Re-reads the pair; swaps it in when it changed and is valid. Returns whether it swapped. */
  check(): boolean {
    let next: KeyPair;
    try {
      next = readKeyPair(this.options.certDir);
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message }, 'new serving certificate rejected; the old one keeps serving');
      return false;
    }
    const digest = digestOf(next);
    if (digest === this.currentDigest) return false;
    this.current = next;
    this.currentDigest = digest;
    this.options.onChange(next);
    this.options.logger.info({ fingerprint: next.fingerprint, notAfter: next.notAfter.toISOString() }, 'serving certificate reloaded');
    return true;
  }

  private scheduleCheck(): void {
    // Writers replace cert and key one after the other; wait for both.
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.check(), 200);
    this.debounce.unref();
  }
}

function digestOf(pair: KeyPair): string {
  return createHash('sha256').update(pair.cert).update('\0').update(pair.key).digest('hex');
}
