// The one reader of PEM CA bundles: the bundle written into webhook configurations (manifests, and
// every shoot by the register controller, re-read each resync so a rotation reaches all shoots), and
// the expiry the status pages and gauges report.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../util/input-error.js';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** An unusable CA bundle file: bad input, reported by the command line as such (exit 2). */
export class CaBundleError extends InputError {}

/** The certificate blocks of a PEM text, each with `\n` line ends and ending in one; text around them is left out. */
function certificateBlocks(text: string): string[] {
  return (text.match(CERTIFICATE) ?? []).map((block) => `${block.replace(/\r\n/g, '\n')}\n`);
}

/** Every certificate of the bundle that parses, for expiry; an unusable bundle is the strict readers' to report. */
export function bundleCertificates(text: string): X509Certificate[] {
  const parsed: X509Certificate[] = [];
  for (const block of certificateBlocks(text)) {
    try {
      parsed.push(new X509Certificate(block));
    } catch {
      // Left out: status shows what is usable.
    }
  }
  return parsed;
}

/**
 * The certificates of a bundle that may be written into webhook configurations; throws a one-line
 * CaBundleError if it holds a private key, no certificate, or one that does not parse.
 */
export function caBundleCertificates(text: string, source: string): { pem: string; certificates: X509Certificate[] } {
  if (PRIVATE_KEY.test(text)) throw new CaBundleError(`CA bundle ${source} holds a private key; give the CA certificate(s) only`);
  const blocks = certificateBlocks(text);
  if (blocks.length === 0) throw new CaBundleError(`CA bundle ${source} holds no PEM certificate`);
  const certificates = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new CaBundleError(`certificate ${i + 1} in CA bundle ${source} is not a valid X.509 certificate`);
    }
  });
  return { pem: blocks.join(''), certificates };
}

/** Only the certificates, normalised to `\n` line ends: stray text or a private key must not reach hundreds of shoots. */
export function parseCaBundle(text: string, source: string): string {
  return caBundleCertificates(text, source).pem;
}

/** The PEM certificates of the file (see parseCaBundle); throws a one-line CaBundleError. */
export function readCaBundle(file: string): string {
  return readCaBundleCertificates(file).pem;
}

/** The file's certificates, parsed and as PEM (see caBundleCertificates), and its text as it is. */
export function readCaBundleCertificates(file: string): { text: string; pem: string; certificates: X509Certificate[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CaBundleError(`cannot read CA bundle ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { text, ...caBundleCertificates(text, file) };
}
