// `register` from the command line: the dry run for review, every bad input as one line with exit 2,
// and a real run against the loopback seed that stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { desiredResources } from '../../src/register/desired.js';
import { runCli } from '../support/cli.js';
import { newCa, startSeed, until } from './harness.js';

let dir: string;
let caFile: string;
let ca: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hpm-register-cli-'));
  caFile = join(dir, 'ca.crt');
  ca = await newCa();
  writeFileSync(caFile, ca);
});

describe('register --dry-run', () => {
  it('prints exactly the Secret and ManagedResource it would write, as YAML', async () => {
    const result = await runCli(['register', '--dry-run', '--namespace', 'shoot--foo--bar', '--ca-file', caFile, '-o', 'yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const docs = yaml.loadAll(result.stdout);
    const desired = desiredResources({ namespace: 'shoot--foo--bar', caBundle: ca, serviceNamespace: 'extension-http-proxy-migrator' });
    expect(docs).toEqual([desired.secret, desired.managedResource]);
  });

  it('prints a List as JSON, with the service flags and plain data applied', async () => {
    const result = await runCli([
      'register',
      '--dry-run',
      '--namespace',
      'shoot--foo--bar',
      '--ca-file',
      caFile,
      '-o',
      'json',
      '--service-namespace',
      'extension-x',
      '--service-name',
      'svc',
      '--service-port',
      '8443',
      '--data-format',
      'plain',
    ]);
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout);
    const desired = desiredResources({
      namespace: 'shoot--foo--bar',
      caBundle: ca,
      serviceNamespace: 'extension-x',
      serviceName: 'svc',
      servicePort: 8443,
      format: 'plain',
    });
    expect(list).toEqual({ apiVersion: 'v1', kind: 'List', items: [desired.secret, desired.managedResource] });
  });
});

describe('register bad input', () => {
  const missingFile = () => join(dir, 'missing');
  it.each<[string, () => string[], RegExp]>([
    ['no --ca-file', () => ['--dry-run', '--namespace', 'shoot--foo--bar'], /required option '--ca-file <file>' not specified/],
    [
      'an unreadable CA file',
      () => ['--dry-run', '--namespace', 'shoot--foo--bar', '--ca-file', missingFile()],
      /^error: cannot read CA bundle .*missing: ENOENT$/,
    ],
    [
      'a CA file without certificates',
      () => ['--dry-run', '--namespace', 'shoot--foo--bar', '--ca-file', join(dir, 'empty.crt')],
      /^error: CA bundle .* holds no PEM certificate$/,
    ],
    ['a dry run without --namespace', () => ['--dry-run', '--ca-file', caFile], /^error: --dry-run needs --namespace <shoot-namespace>$/],
    [
      'a namespace that is no technical ID',
      () => ['--dry-run', '--namespace', 'garden', '--ca-file', caFile],
      /^error: --namespace garden: the shoot technical ID is not shoot--<project>--<name>/,
    ],
    [
      '--namespace without --dry-run',
      () => ['--namespace', 'shoot--foo--bar', '--ca-file', caFile],
      /^error: --namespace only applies with --dry-run$/,
    ],
    ['-o without --dry-run', () => ['-o', 'json', '--ca-file', caFile], /^error: --output only applies with --dry-run$/],
    [
      'an unknown output format',
      () => ['--dry-run', '--namespace', 'shoot--foo--bar', '--ca-file', caFile, '-o', 'xml'],
      /argument 'xml' is invalid/,
    ],
    ['a bad resync period', () => ['--ca-file', caFile, '--resync-period', '5'], /must be a duration of at least 100ms/],
    ['a bad port', () => ['--ca-file', caFile, '--service-port', '70000'], /must be a port number/],
    ['a bad worker count', () => ['--ca-file', caFile, '--workers', '0'], /must be a whole number from 1 to 100/],
    [
      'no seed cluster',
      () => ['--ca-file', caFile],
      /^error: no seed cluster: give --kubeconfig <file> or run in a pod with a service account$/,
    ],
    ['an unreadable kubeconfig', () => ['--ca-file', caFile, '--kubeconfig', missingFile()], /^error: cannot load kubeconfig .*missing: /],
    [
      'an invalid waves file, before touching a cluster',
      () => ['--ca-file', caFile, '--waves', join(dir, 'bad-waves.yaml')],
      /^error: .*bad-waves\.yaml: waves\[1\]\.selector\.percent: must be a number above 0 and at most 100/,
    ],
    ['a missing waves file', () => ['--ca-file', caFile, '--waves', missingFile()], /^error: .*missing/],
    [
      '--rollout-interval without --waves',
      () => ['--ca-file', caFile, '--rollout-interval', '5s'],
      /^error: --rollout-interval only applies with --waves$/,
    ],
    [
      '--garden-kubeconfig without --waves',
      () => ['--ca-file', caFile, '--garden-kubeconfig', missingFile()],
      /^error: --garden-kubeconfig only applies with --waves$/,
    ],
    [
      'an unreadable garden kubeconfig',
      () => [
        '--ca-file',
        caFile,
        '--waves',
        'examples/rollout-waves.yaml',
        '--kubeconfig',
        join(dir, 'seed.kubeconfig'),
        '--garden-kubeconfig',
        missingFile(),
      ],
      /^error: cannot load garden kubeconfig .*missing: /,
    ],
    [
      'an unknown --phase (the settings of serve)',
      () => ['--ca-file', caFile, '--phase', 'legacy'],
      /argument 'legacy' is invalid\. Allowed choices are tls-tunnel, unified/,
    ],
    [
      'a bad --destination-header (the settings of serve)',
      () => ['--ca-file', caFile, '--destination-header', 'bad header'],
      /--destination-header/,
    ],
    [
      '--waves with --dry-run but no --plan',
      () => ['--dry-run', '--namespace', 'shoot--foo--bar', '--ca-file', caFile, '--waves', 'examples/rollout-waves.yaml'],
      /^error: --waves with --dry-run needs --plan$/,
    ],
  ])('refuses %s with one line and exit 2', async (_what, args, message) => {
    writeFileSync(join(dir, 'empty.crt'), '');
    writeFileSync(
      join(dir, 'seed.kubeconfig'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 's', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'c', context: { cluster: 's', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    writeFileSync(
      join(dir, 'bad-waves.yaml'),
      'waves:\n- {name: a, target: unified, selector: {}}\n- {name: b, target: unified, selector: {percent: 0}}\n',
    );
    const result = await runCli(['register', ...args()]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('register against a seed', () => {
  it('registers opted-in shoots and exits 0 on SIGTERM', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    const child = spawn(
      process.execPath,
      [
        inject('cliPath'),
        'register',
        '--kubeconfig',
        seed.api.writeKubeconfig(dir),
        '--ca-file',
        seed.caFile,
        '--resync-period',
        '200ms',
        '--metrics-port',
        '0',
        '--service-namespace',
        'extension-x',
        '--log-level',
        'silent',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBERNETES_SERVICE_HOST: '' } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered by the CLI', 10_000);
      expect(
        seed.api.get(
          { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
          'extension-x',
          'http-proxy-migrator-shoot-webhooks',
        ),
      ).toBeDefined();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/^http-proxy-migrator: register controller probes, metrics and status on http:\/\/localhost:\d+\n$/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
