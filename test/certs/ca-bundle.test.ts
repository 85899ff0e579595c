// The one CA bundle reader. Every way a bundle file can be unusable gets one clear line; a good one is
// reduced to its certificates; the status reads the same blocks and leaves out what does not parse.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaBundleError, bundleCertificates, caBundleCertificates, parseCaBundle, readCaBundle } from '../../src/certs/ca-bundle.js';
import { newCa } from '../register/harness.js';

let ca: string;
let other: string;
beforeAll(async () => {
  [ca, other] = await Promise.all([newCa(), newCa()]);
});

describe('readCaBundle', () => {
  it('keeps every certificate of a rotation bundle and drops surrounding text', () => {
    expect(parseCaBundle(`# old and new\n${ca}\n${other}`, 'f')).toBe(ca + other);
  });

  it('normalises CRLF line ends', () => {
    expect(parseCaBundle(ca.replace(/\n/g, '\r\n'), 'f')).toBe(ca);
  });

  it.each([
    ['a missing file', undefined, /^cannot read CA bundle .*: ENOENT$/],
    ['an empty file', '', /^CA bundle .* holds no PEM certificate$/],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /holds a private key/],
    [
      'a damaged certificate',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      /^certificate 1 in CA bundle .* is not a valid X\.509 certificate$/,
    ],
  ])('refuses %s', (_what, content, message) => {
    const file = join(mkdtempSync(join(tmpdir(), 'hpm-ca-')), 'ca.crt');
    if (content !== undefined) writeFileSync(file, content);
    expect(() => readCaBundle(file)).toThrow(CaBundleError);
    expect(() => readCaBundle(file)).toThrow(message);
  });
});

describe('one reading for writers and for status', () => {
  const damaged = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

  it('gives the writers the same certificates, parsed, as the PEM it writes', () => {
    const { pem, certificates } = caBundleCertificates(`${ca}junk\r\n${other}`, 'f');
    expect(pem).toBe(ca + other);
    expect(certificates.map((c) => c.toString())).toEqual([ca, other].map((p) => bundleCertificates(p)[0]!.toString()));
  });

  it('lets status see every certificate that parses, leaving a damaged one out where a writer refuses it', () => {
    const text = `${ca}${damaged}${other.replace(/\n/g, '\r\n')}`;
    expect(bundleCertificates(text).map((c) => c.subject)).toEqual([ca, other].map((p) => bundleCertificates(p)[0]!.subject));
    expect(bundleCertificates(text)).toHaveLength(2);
    expect(() => parseCaBundle(text, 'f')).toThrow(/^certificate 2 in CA bundle f is not a valid X\.509 certificate$/);
  });
});
