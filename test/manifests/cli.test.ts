// `manifests` as an operator runs it: files written on success, one line and exit 2 on bad input.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { sharedCertDir } from '../support/certs.js';

const scratch = mkdtempSync(join(tmpdir(), 'hpm-manifests-'));

describe('manifests', () => {
  it('writes the four files, with the CA and the per-shoot path', async () => {
    const certs = await sharedCertDir();
    const out = join(scratch, 'out');
    const result = await runCli(['manifests', '--out', out, '--ca-file', join(certs.dir, 'ca.crt'), '--shoot', 'shoot-foo-bar', '--image', 'registry.example.com/hpm:1.0@sha256:' + 'a'.repeat(64)]);
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['garden-webhooks.yaml', 'monitoring.yaml', 'seed-webhooks.yaml', 'server.yaml', 'shoot-webhooks.yaml']);
    const shoot = readFileSync(join(out, 'shoot-webhooks.yaml'), 'utf8');
    expect(shoot).toContain('/webhooks/apiserver-proxy/shoot-foo-bar');
    expect(shoot).toContain(`caBundle: ${Buffer.from(readFileSync(join(certs.dir, 'ca.crt'))).toString('base64')}`);
  });

  it('regenerates manifests/ byte for byte', async () => {
    const out = join(scratch, 'again');
    expect((await runCli(['manifests', '--out', out])).code).toBe(0);
    for (const name of readdirSync(out)) {
      expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'manifests', name), 'utf8'));
    }
  });

  const notCa = async (): Promise<string> => join((await sharedCertDir()).dir, 'tls.crt');
  const cases: [string, () => string[] | Promise<string[]>, RegExp][] = [
    ['no --out', () => ['manifests'], /required option '--out <dir>'/],
    ['--out is a file', () => ['manifests', '--out', writeScratch('file', 'x')], /--out: .* is a file, not a directory/],
    ['bad namespace', () => ['manifests', '--out', scratch, '--namespace', 'Extension_NS'], /--namespace: "Extension_NS" is not a valid namespace name/],
    ['bad image', () => ['manifests', '--out', scratch, '--image', 'docker run x'], /--image: "docker run x" is not an image reference/],
    ['missing CA file', () => ['manifests', '--out', scratch, '--ca-file', join(scratch, 'absent.crt')], /cannot read .*absent\.crt: ENOENT/],
    ['CA file without a certificate', () => ['manifests', '--out', scratch, '--ca-file', writeScratch('key.pem', 'not a pem\n')], /holds no PEM certificate/],
    ['CA file with a broken certificate', () => ['manifests', '--out', scratch, '--ca-file', writeScratch('bad.crt', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')], /^error: certificate 1 in CA bundle .*bad\.crt is not a valid X\.509 certificate$/m],
    ['CA file holding the serving certificate', async () => ['manifests', '--out', scratch, '--ca-file', await notCa()], /holds a certificate that is not a CA/],
    ['bad shoot', () => ['manifests', '--out', scratch, '--shoot', 'garden-foo'], /--shoot "garden-foo": the shoot technical ID is not shoot--<project>--<name>/],
    // The webhook path refuses it too (one check): a configuration for it would only ever be answered unknown-shoot.
    ['a shoot the webhook would refuse', () => ['manifests', '--out', scratch, '--shoot', 'shoot-x'], /--shoot "shoot-x": the shoot technical ID is not/],
    ['bad Secret name', () => ['manifests', '--out', scratch, '--garden-kubeconfig-secret', 'Garden Kubeconfig'], /--garden-kubeconfig-secret: .* is not a valid Secret name/],
    ['bad phase', () => ['manifests', '--out', scratch, '--phase', 'legacy'], /argument 'legacy' is invalid/],
  ];

  it.each(cases)('bad input: %s', async (_, args, message) => {
    const result = await runCli(await args());
    expect(result.code).toBe(2);
    const firstLine = result.stderr.split('\n')[0]!;
    expect(firstLine).toMatch(/^error: /);
    expect(firstLine).toMatch(message);
  });
});

describe('serve --seed-kubeconfig', () => {
  it('an unreadable kubeconfig is bad input', async () => {
    const certs = await sharedCertDir();
    const result = await runCli(['serve', '--cert-dir', certs.dir, '--port', '0', '--metrics-port', '0', '--seed-kubeconfig', join(scratch, 'absent-kubeconfig')]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^error: --seed-kubeconfig: cannot load .*absent-kubeconfig/);
  });
});

function writeScratch(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}
