// `validate`: the webhook's decision on a file; exit 0 admitted, 1 rejected, 2 bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { SEEDS_FILE, SHOOTS_FILE, fixture, gardenlet } from '../webhooks/gardenlet-config/fixtures.js';

const ENABLING = fixture('gardenlet/configmap.gardenlet-config.remove-http-proxy-legacy-port.yaml');
const BASELINE = fixture('gardenlet/configmap.gardenlet-config.baseline.yaml');
const MANAGED_SEED = fixture('gardenlet/managedseed.remove-http-proxy-legacy-port.yaml');
const BLOCKERS = ['garden-baz/hotel', 'garden-foo/bravo', 'garden-foo/charlie', 'garden-qux/juliett', 'garden-qux/mike'];
const dir = mkdtempSync(join(tmpdir(), 'hpm-validate-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('validate', () => {
  it('rejects the gate-on ConfigMap with exit 1, listing every blocker', async () => {
    const result = await runCli(['validate', '-f', ENABLING, '--shoots', SHOOTS_FILE]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^rejected: the `tls-tunnel` port on the istio ingress gateway cannot be removed/);
    expect(result.stdout).toContain(
      '\nrelease: unknown, validation not release-aware (metadata.labels.chart "gardenlet-0.1.0" (a chart from the repository); ',
    );
    expect(result.stdout).toContain(
      [
        'RemoveHTTPProxyLegacyPort needs constraint UsesUnifiedHTTPProxyPort with status True; 5 shoot(s) of seed aws-eu1 block it:',
        '  ignored: 1 - Gardener does not reconcile it: remove the annotation shoot.gardener.cloud/ignore',
        '    garden-qux/mike',
      ].join('\n'),
    );
    expect(result.stdout).toContain('\n  constraint-missing: 2 - reconcile it (annotate gardener.cloud/operation=reconcile); ');
  });

  it('answers in JSON with the full list and the warnings', async () => {
    const result = await runCli(['validate', '-f', MANAGED_SEED, '--shoots', SHOOTS_FILE, '-o', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      allowed: false,
      seed: 'aws-eu1',
      release: {
        version: null,
        source: expect.stringContaining('spec.gardenlet.deployment.image (not set); shoot garden/aws-eu1 (not found or not scheduled)'),
      },
      message: expect.stringContaining('on seed aws-eu1, 5 shoots do not'),
      refusals: [],
      blocking: [
        { gate: 'RemoveHTTPProxyLegacyPort', constraint: 'UsesUnifiedHTTPProxyPort', shoots: BLOCKERS, reasons: expect.any(Array) },
      ],
      warnings: [
        expect.stringMatching(/^validation was not release-aware/),
        'RemoveAPIServerProxyLegacyPort inherited via mergeWithParent, not judged; 3 shoots of aws-eu1 block it',
      ],
    });
  });

  it('admits the baseline with exit 0, needing no shoots', async () => {
    const result = await runCli(['validate', '-f', BASELINE, '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      allowed: true,
      seed: 'aws-eu1',
      release: { version: null, source: expect.any(String) },
      refusals: [],
      blocking: [],
      warnings: [expect.stringMatching(/^validation was not release-aware/)],
    });
  });

  it('reads the object from standard input', async () => {
    const result = await runCli(['validate', '-f', '-', '--shoots', SHOOTS_FILE], {
      input:
        'kind: GardenletConfiguration\nfeatureGates: {RemoveAPIServerProxyLegacyPort: true}\nseedConfig: {metadata: {name: aws-eu2}}\n',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'on seed aws-eu2, 2 shoots do not: constraint-missing 2 (reconcile it): garden-baz/golf, garden-baz/india',
    );
  });

  it.each([
    [
      'an unparseable config.yaml',
      () => write('broken.yaml', 'kind: ConfigMap\ndata:\n  config.yaml: "featureGates: [\\n"\n'),
      /^error: .*broken\.yaml: data\["config\.yaml"\] is not valid YAML at line \d+, column \d+: /,
    ],
    [
      'an object holding no gardenlet configuration',
      () => write('deploy.yaml', 'kind: Deployment\nmetadata: {name: x}\n'),
      /a Deployment holds no gardenlet configuration; expected a gardenlet ConfigMap, ManagedSeed, Gardenlet or GardenletConfiguration/,
    ],
    [
      'a gate turned on with no shoots to check against',
      () => ENABLING,
      /turns a gate on for seed aws-eu1 \(not release-aware: no gardenlet release known\): give --shoots FILE or --garden-kubeconfig FILE/,
    ],
    ['a missing file', () => join(dir, 'absent.yaml'), /cannot read .*absent\.yaml: ENOENT/],
  ])('refuses %s with exit 2', async (_name, file, message) => {
    const result = await runCli(['validate', '-f', file()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('refuses both shoot sources at once', async () => {
    const result = await runCli(['validate', '-f', ENABLING, '--shoots', SHOOTS_FILE, '--garden-kubeconfig', SHOOTS_FILE]);
    expect(result).toMatchObject({ code: 2, stderr: 'error: give either --shoots or --garden-kubeconfig, not both\n' });
  });
});

describe('validate against the garden cluster', () => {
  let api: FakeKubeApi | undefined;
  afterEach(async () => api?.stop());

  it('lists the shoots once and decides', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots).start();
    api.put(RESOURCES.shoots, {
      metadata: { name: 'x', namespace: 'garden-p' },
      spec: { seedName: 'aws-eu1', provider: { workers: [{}] } },
      status: { lastOperation: { type: 'Reconcile', state: 'Succeeded' } },
    });
    const result = await runCli(['validate', '-f', ENABLING, '--garden-kubeconfig', api.writeKubeconfig(), '-o', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).blocking).toEqual([
      {
        gate: 'RemoveHTTPProxyLegacyPort',
        constraint: 'UsesUnifiedHTTPProxyPort',
        shoots: ['garden-p/x'],
        reasons: [{ reason: 'constraint-missing', remedy: expect.any(String), count: 1, shoots: [{ shoot: 'garden-p/x' }] }],
      },
    ]);
  });

  it('says why when the shoots cannot be listed', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots).start();
    api.failNext('GET', /\/shoots$/, 403);
    const result = await runCli(['validate', '-f', ENABLING, '--garden-kubeconfig', api.writeKubeconfig()]);
    expect(result).toMatchObject({ code: 2, stderr: 'error: cannot list shoots in the garden cluster: HTTP 403: injected fault\n' });
  });
});

describe('validate, release-aware', () => {
  const gardenletFile = (version: string, gates: Record<string, boolean>, seed?: string): string =>
    write(
      `gardenlet-${version}-${Object.keys(gates).join('-') || 'none'}-${seed ?? 'aws-eu1'}.json`,
      JSON.stringify(gardenlet(version, gates, seed)),
    );
  const bare = (gates: Record<string, boolean>, seed = 'garden-test-x'): string =>
    write(
      `config-${seed}-${Object.keys(gates).join('-')}.yaml`,
      `kind: GardenletConfiguration\nfeatureGates: ${JSON.stringify(gates)}\nseedConfig: {metadata: {name: ${seed}}}\n`,
    );

  it.each([
    [
      'an unknown gate',
      ['-f', gardenletFile('v1.145.0', { UseUnifiedHTTPProxyPort: true })],
      1,
      'unrecognized feature gate: UseUnifiedHTTPProxyPort (gardenlet v1.145.0 does not know it: removed in v1.145)',
    ],
    [
      'a locked gate against its lock',
      ['-f', gardenletFile('v1.122.1', { RemoveAPIServerProxyLegacyPort: false })],
      1,
      'cannot set feature gate RemoveAPIServerProxyLegacyPort to false, feature is locked to true (gardenlet v1.122.1, GA)',
    ],
    [
      'a Beta gate left to its default, whose shoots block it',
      ['-f', gardenletFile('v1.119.0', {})],
      1,
      'the `APIServerProxyUsesHTTPProxy` constraint with status `true`; on seed aws-eu1, 3 shoots do not',
    ],
    [
      'a Beta gate turned off',
      ['-f', gardenletFile('v1.119.0', { RemoveAPIServerProxyLegacyPort: false })],
      0,
      'admitted: Gardenlet for seed aws-eu1',
    ],
    ['an Alpha gate left alone', ['-f', gardenletFile('v1.148.0', {})], 0, 'admitted: Gardenlet for seed aws-eu1'],
    [
      'an Alpha gate set true',
      ['-f', gardenletFile('v1.148.0', { RemoveHTTPProxyLegacyPort: true })],
      1,
      'the `UsesUnifiedHTTPProxyPort` constraint with status `true`; on seed aws-eu1, 5 shoots do not',
    ],
    [
      'IstioTLSTermination unknown to v1.113',
      ['-f', gardenletFile('v1.113.0', { IstioTLSTermination: true })],
      1,
      'unrecognized feature gate: IstioTLSTermination',
    ],
    [
      'a bare configuration judged by --gardener-version',
      ['-f', bare({ UseUnifiedHTTPProxyPort: false }), '--gardener-version', 'v1.144.0'],
      1,
      'cannot set feature gate UseUnifiedHTTPProxyPort to false, feature is locked to true (gardenlet v1.144.0, GA)',
    ],
    [
      "a ConfigMap judged by its seed's gardenlet from --seeds",
      ['-f', ENABLING, '--seeds', SEEDS_FILE],
      1,
      '[judged for gardenlet v1.149.0, from Seed aws-eu1 status.gardener.version]',
    ],
  ])('%s', async (_name, args, code, text) => {
    const result = await runCli(['validate', ...args, '--shoots', SHOOTS_FILE]);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stdout).toContain(text);
  });

  it('says in the output which release was assumed and from where', async () => {
    const result = await runCli(['validate', '-f', gardenletFile('v1.148.0', {}), '--shoots', SHOOTS_FILE, '-o', 'json']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      allowed: true,
      release: { version: 'v1.148.0', source: 'spec.deployment.helm.ociRepository.ref tag' },
    });
    const text = await runCli(['validate', '-f', gardenletFile('v1.148.0', {}), '--shoots', SHOOTS_FILE]);
    expect(text.stdout).toContain('\nrelease: gardenlet v1.148.0, from spec.deployment.helm.ociRepository.ref tag\n');
  });

  it.each([
    [
      'a --gardener-version that is not a release',
      ['-f', BASELINE, '--gardener-version', 'latest'],
      /^error: option '--gardener-version <version>' argument 'latest' is invalid\. "latest" is not a version/,
    ],
    [
      'a chart tag that is not a release',
      ['-f', gardenletFile('stable', {})],
      /^error: .*: spec\.deployment\.helm\.ociRepository\.ref tag: "stable" is not a version \(expected v1\.<minor>\.<patch>\)$/,
    ],
    [
      'a seed whose gardenlet version is not a release',
      [
        '-f',
        BASELINE,
        '--seeds',
        write('bad-seeds.yaml', 'kind: Seed\nmetadata: {name: aws-eu1}\nstatus: {gardener: {version: v0.9.1}}\n'),
      ],
      /^error: .*: Seed aws-eu1 status\.gardener\.version: "v0\.9\.1" is not a Gardener v1 release$/,
    ],
    [
      '--seeds with --garden-kubeconfig',
      ['-f', BASELINE, '--seeds', SEEDS_FILE, '--garden-kubeconfig', SEEDS_FILE],
      /^error: give either --seeds or --garden-kubeconfig, not both/,
    ],
  ])('exits 2 on %s', async (_name, args, message) => {
    const result = await runCli(['validate', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });
});
