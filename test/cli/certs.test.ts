// `certs`: a CA and a serving certificate kube-apiserver accepts for the extension's Service.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE, SERVICE_NAME } from '../../src/gardener/extension-identity.js';
import { runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'hpm-cli-certs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sansOf(dir: string): string[] {
  const cert = new X509Certificate(readFileSync(join(dir, 'tls.crt')));
  return cert.subjectAltName!.split(', ');
}

it('writes ca.crt, ca.key, tls.crt, tls.key with the Service names and loopback as SANs', async () => {
  const out = join(root, 'default');
  const result = await runCli(['certs', '--out', out]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^wrote ca\\.crt, ca\\.key, tls\\.crt, tls\\.key to ${out} `));
  expect(sansOf(out)).toEqual([
    'DNS:localhost',
    'IP Address:127.0.0.1',
    `DNS:${SERVICE_NAME}`,
    `DNS:${SERVICE_NAME}.${DEFAULT_NAMESPACE}`,
    `DNS:${SERVICE_NAME}.${DEFAULT_NAMESPACE}.svc`,
  ]);
  const ca = new X509Certificate(readFileSync(join(out, 'ca.crt')));
  const cert = new X509Certificate(readFileSync(join(out, 'tls.crt')));
  expect(ca.ca).toBe(true);
  expect(cert.ca).toBe(false);
  expect(cert.verify(ca.publicKey)).toBe(true);
  expect(cert.checkIssued(ca)).toBe(true);
  for (const key of ['ca.key', 'tls.key']) expect(statSync(join(out, key)).mode & 0o777).toBe(0o600);
});

it('adds --dns names to the defaults, and honours --service, --namespace and --days', async () => {
  const out = join(root, 'extra');
  const args = ['--out', out, '--dns', 'webhook.example.com', '10.0.0.7', '--service', 'hook', '--namespace', 'garden', '--days', '30'];
  expect((await runCli(['certs', ...args])).code).toBe(0);
  expect(sansOf(out)).toEqual([
    'DNS:localhost',
    'IP Address:127.0.0.1',
    'DNS:hook',
    'DNS:hook.garden',
    'DNS:hook.garden.svc',
    'DNS:webhook.example.com',
    'IP Address:10.0.0.7',
  ]);
  const cert = new X509Certificate(readFileSync(join(out, 'tls.crt')));
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
  expect(Math.round(days)).toBe(30);
});

it.each([
  ['without --out', [], /^error: required option '--out <dir>' not specified$/],
  [
    'with --days 0',
    ['--out', join(root, 'x'), '--days', '0'],
    /^error: option '--days <n>' argument '0' is invalid\. must be a whole number of at least 1$/,
  ],
])('exits 2 %s', async (_what, args, reason) => {
  const result = await runCli(['certs', ...args]);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(reason);
});
