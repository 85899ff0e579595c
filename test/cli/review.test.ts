// `review`: the server's answer to a review file, offline. Only registry-independent behaviour is
// checked here: the envelope, and DELETE on a mutating webhook (never a patch, handler not called).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, expect, it } from 'vitest';
import { ADMISSION_V1BETA1 } from '../../src/admission/types.js';
import { webhooks } from '../../webhooks/index.js';
import { runCli } from '../support/cli.js';
import { admissionReview } from '../support/reviews.js';

const dir = mkdtempSync(join(tmpdir(), 'hpm-cli-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mutating = webhooks.find((w) => w.type === 'mutating')!;

it('prints the response review in the apiVersion of the file, uid echoed', async () => {
  const review = admissionReview({ apiVersion: ADMISSION_V1BETA1, operation: 'DELETE' });
  const file = join(dir, 'delete.json');
  writeFileSync(file, JSON.stringify(review));
  const result = await runCli(['review', '--webhook', mutating.name, '-f', file]);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    apiVersion: ADMISSION_V1BETA1,
    kind: 'AdmissionReview',
    response: { uid: review.request!.uid, allowed: true },
  });
});

it('reads YAML from standard input with -f -', async () => {
  const review = admissionReview({ operation: 'DELETE' });
  const result = await runCli(['review', '--webhook', mutating.name, '-f', '-'], { input: yaml.dump(review) });
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).response.uid).toBe(review.request!.uid);
});

it.each([
  ['an unknown webhook', () => ['--webhook', 'nope', '-f', join(dir, 'delete.json')], /^error: no webhook named "nope"; known: /],
  ['a missing file', () => ['--webhook', mutating.name, '-f', join(dir, 'missing.json')], /^error: cannot read .*missing\.json: ENOENT$/],
  [
    'a review without uid',
    () => {
      const file = join(dir, 'no-uid.json');
      writeFileSync(file, JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} }));
      return ['--webhook', mutating.name, '-f', file];
    },
    /^error: .*no-uid\.json: AdmissionReview request has no uid$/,
  ],
  [
    'a file that is not YAML',
    () => {
      const file = join(dir, 'broken.yaml');
      writeFileSync(file, 'request: [\n');
      return ['--webhook', mutating.name, '-f', file];
    },
    /^error: .*broken\.yaml is not valid YAML or JSON at line \d+, column \d+/,
  ],
])('exits 2 with a one-line reason on %s', async (_what, args, reason) => {
  const result = await runCli(['review', ...args()]);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(reason);
});

it('judges gardenlet configuration by --gardener-version where the object names no release, saying so', async () => {
  const object = {
    apiVersion: 'seedmanagement.gardener.cloud/v1alpha1',
    kind: 'Gardenlet',
    metadata: { name: 'garden-test-x', namespace: 'garden' },
    spec: { config: { featureGates: { UseUnifiedHTTPProxyPort: true } } },
  };
  const file = join(dir, 'gardenlet.yaml');
  writeFileSync(file, yaml.dump(admissionReview({ object, dryRun: true })));
  const result = await runCli(['review', '--webhook', 'gardenlet-config', '-f', file, '--gardener-version', 'v1.145.1']);
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stdout).response).toMatchObject({
    allowed: false,
    status: {
      code: 403,
      message:
        'gardenlet v1.145.1 would not start: unrecognized feature gate: UseUnifiedHTTPProxyPort (gardenlet v1.145.1 does not know it: removed in v1.145) [judged for gardenlet v1.145.1, from --gardener-version]',
    },
  });
});

it('exits 2 on a --gardener-version that is not a release', async () => {
  const file = join(dir, 'any.json');
  writeFileSync(file, JSON.stringify(admissionReview()));
  const result = await runCli(['review', '--webhook', 'gardenlet-config', '-f', file, '--gardener-version', 'v1']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^error: option '--gardener-version <version>' argument 'v1' is invalid\. "v1" is not a version/);
});

it('answers as the per-shoot path with --technical-id and --target would', async () => {
  const file = join(import.meta.dirname, '../../examples/review.vpn-shoot.json');
  const moved = await runCli(['review', '--webhook', 'vpn-shoot', '-f', file, '--technical-id', 'shoot--foo--bar', '--target', 'unified']);
  expect(moved.code).toBe(0);
  expect(JSON.parse(moved.stdout).response.patchType).toBe('JSONPatch');
  const other = await runCli(['review', '--webhook', 'vpn-shoot', '-f', file, '--technical-id', 'shoot--foo--baz', '--target', 'unified']);
  expect(JSON.parse(other.stdout).response).toMatchObject({
    allowed: true,
    warnings: [expect.stringContaining('REVERSED_VPN_HEADER names shoot--foo--bar')],
  });
  expect(JSON.parse(other.stdout).response.patch).toBeUndefined();
});

it('notes the per-shoot path only where the answer lacked the shoot', async () => {
  const proxy = await runCli([
    'review',
    '--webhook',
    'apiserver-proxy',
    '-f',
    join(import.meta.dirname, '../../examples/review.apiserver-proxy.json'),
  ]);
  expect(proxy.stderr).toContain('note: the server takes the shoot from the path (/webhooks/apiserver-proxy/<technical-id>)');
  const vpn = await runCli([
    'review',
    '--webhook',
    'vpn-shoot',
    '--phase',
    'unified',
    '-f',
    join(import.meta.dirname, '../../examples/review.vpn-shoot.json'),
  ]);
  expect(vpn.stderr).toBe('');
});
