// The CA bundle injected into every shoot's webhook configuration. Read from a file (a mounted Secret
// that the certificate rotation updates), and re-read every resync so a rotation reaches all shoots.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../util/input-error.js';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/** An unusable CA bundle file: bad input, reported by the command line as such (exit 2). */
export class CaBundleError extends InputError {}

/** The PEM certificates of the file, normalised to `\n` line ends; throws a one-line CaBundleError. */
export function readCaBundle(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CaBundleError(`cannot read CA bundle ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseCaBundle(text, file);
}

/** Only the certificates: stray text or a private key in the file must not reach hundreds of shoots. */
export function parseCaBundle(text: string, source: string): string {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new CaBundleError(`CA bundle ${source} holds a private key; give the CA certificate(s) only`);
  }
  const certificates = text.match(CERTIFICATE);
  if (!certificates) throw new CaBundleError(`CA bundle ${source} holds no PEM certificate`);
  return certificates
    .map((c, i) => {
      const pem = `${c.replace(/\r\n/g, '\n')}\n`;
      try {
        new X509Certificate(pem);
      } catch {
        throw new CaBundleError(`certificate ${i + 1} in CA bundle ${source} is not a valid X.509 certificate`);
      }
      return pem;
    })
    .join('');
}
