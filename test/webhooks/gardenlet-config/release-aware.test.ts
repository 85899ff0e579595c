// Validation as the gardenlet release that will read the configuration judges it at start, release band
// by release band, for each GEP-30 gate and IstioTLSTermination: unknown (not yet added, or removed),
// locked, Beta on by default, Alpha only when true. Judged on a Gardenlet whose chart names the release,
// against the fixture landscape (aws-eu1: 3 shoots block RemoveAPIServerProxyLegacyPort, 5 block
// RemoveHTTPProxyLegacyPort).
import { describe, expect, it } from 'vitest';
import { runWebhook } from '../../../src/admission/run.js';
import type { AdmissionRequest, KubeObject, Operation } from '../../../src/admission/types.js';
import { DEFAULT_SETTINGS } from '../../../src/gardener/settings.js';
import type { Services } from '../../../src/gardener/services.js';
import { gardenletConfigWebhook } from '../../../webhooks/gardenlet-config/registration.js';
import { CHART, gardenlet, landscape, seedReleases } from './fixtures.js';

const services: Services = { shoots: landscape(), seeds: seedReleases() };

async function review(
  object: KubeObject,
  options: { operation?: Operation; oldObject?: KubeObject; settings?: Partial<typeof DEFAULT_SETTINGS>; services?: Services } = {},
) {
  const request: AdmissionRequest = {
    uid: 'a1b2c3d4-0000-4000-8000-000000000015',
    kind: { group: 'seedmanagement.gardener.cloud', version: 'v1alpha1', kind: object.kind ?? '' },
    operation: options.operation ?? 'CREATE',
    name: object.metadata?.name,
    namespace: object.metadata?.namespace,
    object,
    oldObject: options.oldObject ?? null,
    dryRun: false,
  };
  const { verdict, failure } = await runWebhook(gardenletConfigWebhook, request, {
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    services: options.services ?? services,
  });
  expect(failure).toBeUndefined();
  return verdict;
}

const assumed = (version: string): string => `gardenlet ${version} assumed (from spec.deployment.helm.ociRepository.ref tag)`;
const unrecognized = (gate: string, version: string, why: string): string =>
  `unrecognized feature gate: ${gate} (gardenlet ${version} does not know it: ${why})`;

describe.each([
  // [gate, release, featureGates, expected]
  [
    'RemoveAPIServerProxyLegacyPort',
    'v1.112.3',
    { RemoveAPIServerProxyLegacyPort: false },
    { refusal: unrecognized('RemoveAPIServerProxyLegacyPort', 'v1.112.3', 'added in v1.113') },
  ],
  ['RemoveAPIServerProxyLegacyPort', 'v1.116.4', {}, { allowed: true }],
  ['RemoveAPIServerProxyLegacyPort', 'v1.116.4', { RemoveAPIServerProxyLegacyPort: true }, { blockers: 'APIServerProxyUsesHTTPProxy' }],
  ['RemoveAPIServerProxyLegacyPort', 'v1.119.0', {}, { blockers: 'APIServerProxyUsesHTTPProxy' }],
  ['RemoveAPIServerProxyLegacyPort', 'v1.121.3', { RemoveAPIServerProxyLegacyPort: false }, { allowed: true }],
  ['RemoveAPIServerProxyLegacyPort', 'v1.121.3', { AllBeta: false }, { allowed: true }],
  ['RemoveAPIServerProxyLegacyPort', 'v1.122.0', {}, { blockers: 'APIServerProxyUsesHTTPProxy' }],
  [
    'RemoveAPIServerProxyLegacyPort',
    'v1.122.0',
    { RemoveAPIServerProxyLegacyPort: false },
    { refusal: 'cannot set feature gate RemoveAPIServerProxyLegacyPort to false, feature is locked to true (gardenlet v1.122.0, GA)' },
  ],
  ['RemoveAPIServerProxyLegacyPort', 'v1.123.0', {}, { allowed: true }],
  [
    'RemoveAPIServerProxyLegacyPort',
    'v1.123.0',
    { RemoveAPIServerProxyLegacyPort: false },
    { refusal: unrecognized('RemoveAPIServerProxyLegacyPort', 'v1.123.0', 'removed in v1.123') },
  ],
  [
    'RemoveAPIServerProxyLegacyPort',
    'v1.149.3',
    { RemoveAPIServerProxyLegacyPort: true },
    { refusal: unrecognized('RemoveAPIServerProxyLegacyPort', 'v1.149.3', 'removed in v1.123') },
  ],
  [
    'UseUnifiedHTTPProxyPort',
    'v1.129.2',
    { UseUnifiedHTTPProxyPort: true },
    { refusal: unrecognized('UseUnifiedHTTPProxyPort', 'v1.129.2', 'added in v1.130') },
  ],
  ['UseUnifiedHTTPProxyPort', 'v1.135.0', { UseUnifiedHTTPProxyPort: true }, { allowed: true }],
  ['UseUnifiedHTTPProxyPort', 'v1.141.0', { UseUnifiedHTTPProxyPort: false }, { allowed: true }],
  [
    'UseUnifiedHTTPProxyPort',
    'v1.144.1',
    { UseUnifiedHTTPProxyPort: false },
    { refusal: 'cannot set feature gate UseUnifiedHTTPProxyPort to false, feature is locked to true (gardenlet v1.144.1, GA)' },
  ],
  ['UseUnifiedHTTPProxyPort', 'v1.144.1', { UseUnifiedHTTPProxyPort: true }, { allowed: true }],
  [
    'UseUnifiedHTTPProxyPort',
    'v1.145.0',
    { UseUnifiedHTTPProxyPort: true },
    { refusal: unrecognized('UseUnifiedHTTPProxyPort', 'v1.145.0', 'removed in v1.145') },
  ],
  [
    'RemoveHTTPProxyLegacyPort',
    'v1.147.2',
    { RemoveHTTPProxyLegacyPort: false },
    { refusal: unrecognized('RemoveHTTPProxyLegacyPort', 'v1.147.2', 'added in v1.148') },
  ],
  ['RemoveHTTPProxyLegacyPort', 'v1.148.0', {}, { allowed: true }],
  ['RemoveHTTPProxyLegacyPort', 'v1.148.0', { RemoveHTTPProxyLegacyPort: true }, { blockers: 'UsesUnifiedHTTPProxyPort' }],
  ['RemoveHTTPProxyLegacyPort', 'v1.149.3', { AllAlpha: true }, { blockers: 'UsesUnifiedHTTPProxyPort' }],
  ['RemoveHTTPProxyLegacyPort', 'v1.149.3', { AllAlpha: true, RemoveHTTPProxyLegacyPort: false }, { allowed: true }],
  [
    'IstioTLSTermination',
    'v1.113.0',
    { IstioTLSTermination: true },
    { refusal: unrecognized('IstioTLSTermination', 'v1.113.0', 'added in v1.114') },
  ],
  // RemoveAPIServerProxyLegacyPort is Beta in v1.120: on unless turned off.
  ['IstioTLSTermination', 'v1.120.0', { IstioTLSTermination: true }, { blockers: 'APIServerProxyUsesHTTPProxy' }],
  ['IstioTLSTermination', 'v1.120.0', { IstioTLSTermination: true, RemoveAPIServerProxyLegacyPort: false }, { allowed: true }],
  ['IstioTLSTermination', 'v1.149.3', { IstioTLSTermination: false }, { allowed: true }],
] as const)('%s in gardenlet %s with %j', (_gate, version, featureGates, expected) => {
  it(
    expected && 'refusal' in expected
      ? 'is refused: gardenlet would not start'
      : 'blockers' in expected
        ? 'is refused: shoots block the gate it turns on'
        : 'is admitted',
    async () => {
      const verdict = await review(gardenlet(version, { ...featureGates }));
      if ('allowed' in expected) {
        expect(verdict).toMatchObject({ allowed: true });
        expect(verdict.warnings?.[0]).toBe(assumed(version));
      } else if ('refusal' in expected) {
        expect(verdict).toMatchObject({ allowed: false, status: { code: 403 } });
        expect(verdict.status?.message).toBe(
          `gardenlet ${version} would not start: ${expected.refusal} [judged for gardenlet ${version}, from spec.deployment.helm.ociRepository.ref tag]`,
        );
      } else {
        expect(verdict).toMatchObject({ allowed: false, status: { code: 403 } });
        expect(verdict.status?.message).toContain(`the \`${expected.blockers}\` constraint with status \`true\`; on seed aws-eu1, `);
        expect(verdict.status?.message).toMatch(
          new RegExp(
            `\\[judged for gardenlet ${version.replace(/\./g, '\\.')}, from spec\\.deployment\\.helm\\.ociRepository\\.ref tag\\]$`,
          ),
        );
      }
    },
  );
});

describe('an upgrade alone turns a Beta gate on', () => {
  const managedSeed = (tag: string): KubeObject => ({
    apiVersion: 'seedmanagement.gardener.cloud/v1alpha1',
    kind: 'ManagedSeed',
    metadata: { name: 'aws-eu1', namespace: 'garden' },
    spec: {
      shoot: { name: 'aws-eu1' },
      gardenlet: {
        mergeWithParent: false,
        deployment: { image: { repository: 'europe-docker.pkg.dev/gardener-project/releases/gardener/gardenlet', tag } },
        config: { featureGates: {} },
      },
    },
  });

  it("refuses moving a ManagedSeed's gardenlet from v1.118 to v1.119 without a configuration change while shoots block", async () => {
    const verdict = await review(managedSeed('v1.119.0'), { operation: 'UPDATE', oldObject: managedSeed('v1.118.3') });
    expect(verdict).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(verdict.status?.message).toContain('`RemoveAPIServerProxyLegacyPort` feature gate can only be enabled');
    expect(verdict.status?.message).toContain('[judged for gardenlet v1.119.0, from spec.gardenlet.deployment.image.tag]');
  });

  it('admits an update within v1.119 with a warning, as the gate was on before', async () => {
    const verdict = await review(managedSeed('v1.119.2'), { operation: 'UPDATE', oldObject: managedSeed('v1.119.0') });
    expect(verdict).toMatchObject({
      allowed: true,
      warnings: [
        'gardenlet v1.119.2 assumed (from spec.gardenlet.deployment.image.tag)',
        'RemoveAPIServerProxyLegacyPort stays on; 3 shoots of aws-eu1 lack APIServerProxyUsesHTTPProxy=True',
      ],
    });
  });
});

describe('ManagedSeed gates left to the parent', () => {
  const inheriting = (tag: string): KubeObject => ({
    apiVersion: 'seedmanagement.gardener.cloud/v1alpha1',
    kind: 'ManagedSeed',
    metadata: { name: 'aws-eu1', namespace: 'garden' },
    spec: { shoot: { name: 'aws-eu1' }, gardenlet: { deployment: { image: { tag } }, config: { featureGates: {} } } },
  });

  it('warns about a removal gate the parent may set, and that it is on by default in a Beta release', async () => {
    expect((await review(inheriting('v1.120.1'))).warnings).toContain(
      'RemoveAPIServerProxyLegacyPort inherited, not judged, on by default; 3 shoots of aws-eu1 block it',
    );
  });

  it('says nothing of a gate the release does not know', async () => {
    expect(await review(inheriting('v1.146.0'))).toMatchObject({
      allowed: true,
      warnings: ['gardenlet v1.146.0 assumed (from spec.gardenlet.deployment.image.tag)'],
    });
  });
});

describe('where the release comes from', () => {
  it('a release newer than the table is judged as the newest known, and says so', async () => {
    const verdict = await review(gardenlet('v1.152.0', { RemoveHTTPProxyLegacyPort: false }));
    expect(verdict).toMatchObject({
      allowed: true,
      warnings: ['gardenlet v1.152.0 assumed (from spec.deployment.helm.ociRepository.ref tag), newer than known: judged as v1.150'],
    });
  });

  it("a digest-pinned chart names no release: the seed's gardenlet decides", async () => {
    const object = gardenlet('v1.148.0', { UseUnifiedHTTPProxyPort: true });
    (object.spec as { deployment: { helm: { ociRepository: unknown } } }).deployment.helm.ociRepository = {
      repository: CHART,
      tag: 'v1.140.0',
      digest: 'sha256:0123',
    };
    const verdict = await review(object);
    // aws-eu1 runs v1.149.0, which no longer knows UseUnifiedHTTPProxyPort.
    expect(verdict.status?.message).toBe(
      'gardenlet v1.149.0 would not start: unrecognized feature gate: UseUnifiedHTTPProxyPort (gardenlet v1.149.0 does not know it: removed in v1.145) [judged for gardenlet v1.149.0, from Seed aws-eu1 status.gardener.version]',
    );
  });

  it('--gardener-version applies only where neither the object nor its seed names a release', async () => {
    const object = gardenlet('v1.148.0', { UseUnifiedHTTPProxyPort: true }, 'garden-test-x');
    (object.spec as { deployment: unknown }).deployment = {};
    const verdict = await review(object, { settings: { gardenerVersion: 'v1.141.0' } });
    expect(verdict).toMatchObject({ allowed: true, warnings: ['gardenlet v1.141.0 assumed (from --gardener-version)'] });
    const named = await review(gardenlet('v1.145.0', { UseUnifiedHTTPProxyPort: true }, 'garden-test-x'), {
      settings: { gardenerVersion: 'v1.141.0' },
    });
    expect(named.status?.message).toContain('(gardenlet v1.145.0 does not know it: removed in v1.145)');
  });

  it('without any release, behaves as before and warns that it was not release-aware', async () => {
    const object = gardenlet('v1.148.0', { UseUnifiedHTTPProxyPort: true, RemoveAPIServerProxyLegacyPort: false }, 'garden-test-x');
    (object.spec as { deployment: unknown }).deployment = {};
    const verdict = await review(object);
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings).toEqual([
      'validation was not release-aware: no gardenlet release in the object, its seed or --gardener-version',
    ]);
  });

  it.each([
    [
      'a chart tag',
      () => gardenlet('latest', {}),
      'spec.deployment.helm.ociRepository.ref tag: "latest" is not a version (expected v1.<minor>.<patch>)',
    ],
    [
      'a ManagedSeed image tag',
      () => ({
        apiVersion: 'seedmanagement.gardener.cloud/v1alpha1',
        kind: 'ManagedSeed',
        metadata: { name: 's', namespace: 'garden' },
        spec: { gardenlet: { deployment: { image: { tag: 'v2.0.0' } } } },
      }),
      'spec.gardenlet.deployment.image.tag: "v2.0.0" is not a Gardener v1 release',
    ],
  ])('refuses %s that is not a release (422), naming the field', async (_name, make, reason) => {
    const verdict = await review(make() as KubeObject);
    expect(verdict).toMatchObject({ allowed: false, status: { code: 422, message: `gardenlet configuration refused: ${reason}` } });
  });

  it('refuses a seed whose status.gardener.version is not a release (422), naming the field', async () => {
    const object = gardenlet('v1.148.0', {});
    (object.spec as { deployment: unknown }).deployment = {};
    const seeds = { synced: () => true, gardenletVersion: () => 'dev-build' };
    const verdict = await review(object, { services: { shoots: landscape(), seeds } });
    expect(verdict.status).toMatchObject({
      code: 422,
      message:
        'gardenlet configuration refused: Seed aws-eu1 status.gardener.version: "dev-build" is not a version (expected v1.<minor>.<patch>)',
    });
  });
});
