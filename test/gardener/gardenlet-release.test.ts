// Which gardenlet release will read a configuration, carrier by carrier, in the order the sources win;
// and versions as Gardener writes them.
import { describe, expect, it } from 'vitest';
import { learnRelease, type ReleaseInputs } from '../../src/gardener/gardenlet-release.js';
import { gateAt, unknownBecause } from '../../src/gardener/feature-gates.js';
import { parseRelease } from '../../src/gardener/releases.js';
import { GATE_CONSTRAINTS } from '../../src/gardener/removal-gates.js';
import { SeedIndex } from '../../src/gardener/seed-index.js';
import { ShootIndex } from '../../src/gardener/shoot-index.js';
import { summarizeShoot } from '../../src/gardener/shoot-summary.js';
import type { ShootSummary } from '../../src/gardener/services.js';
import { configMapEnabling, gardenletEnabling, managedSeedEnabling } from '../webhooks/gardenlet-config/fixtures.js';

const seeds = SeedIndex.of([
  { name: 'aws-eu1', gardenletVersion: 'v1.149.0' },
  { name: 'soil-1', gardenletVersion: 'v1.143.2' },
]);
// The ManagedSeed fixture's shoot garden/aws-eu1 runs on soil-1, whose gardenlet deploys the ManagedSeed's gardenlet.
const seedShoot = summarizeShoot(
  { metadata: { name: 'aws-eu1', namespace: 'garden' }, spec: { seedName: 'soil-1' } },
  GATE_CONSTRAINTS,
) as ShootSummary;
const inputs: ReleaseInputs = { seeds, shoots: ShootIndex.of([seedShoot]) };
const learn = (kind: Parameters<typeof learnRelease>[0], object: unknown, seed: string | undefined, with_: ReleaseInputs = inputs) =>
  learnRelease(kind, object as Record<string, unknown>, seed, with_);
const fallback = (parseRelease('v1.140.0') as { ok: true; release: { version: string; minor: number } }).release;

// Fixtures edited in place by path; their shape is the test's to know.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
function edit<T>(object: T, change: (o: Loose) => void): T {
  const copy = structuredClone(object) as Loose;
  change(copy);
  return copy as T;
}

describe('Gardenlet: spec.deployment.helm.ociRepository', () => {
  it("the ref's tag wins over everything else", () => {
    expect(learn('Gardenlet', gardenletEnabling(), 'aws-eu1')).toEqual({
      kind: 'learned',
      release: { version: 'v1.148.0', minor: 148 },
      source: 'spec.deployment.helm.ociRepository.ref tag',
    });
  });

  it('a ref with a registry port and no tag names nothing; then the seed', () => {
    const object = edit(
      gardenletEnabling(),
      (o) => (o.spec.deployment.helm.ociRepository = { ref: 'registry.local:5000/charts/gardenlet' }),
    );
    expect(learn('Gardenlet', object, 'aws-eu1')).toMatchObject({
      kind: 'learned',
      release: { version: 'v1.149.0' },
      source: 'Seed aws-eu1 status.gardener.version',
    });
  });

  it('repository and tag', () => {
    const object = edit(
      gardenletEnabling(),
      (o) => (o.spec.deployment.helm.ociRepository = { repository: 'r/gardenlet', tag: 'v1.141.1' }),
    );
    expect(learn('Gardenlet', object, 'aws-eu1')).toMatchObject({
      release: { version: 'v1.141.1' },
      source: 'spec.deployment.helm.ociRepository.tag',
    });
  });

  it.each([
    ['a digest beside the tag', { repository: 'r/gardenlet', tag: 'v1.141.1', digest: 'sha256:abc' }],
    ['a ref pinned by digest', { ref: 'r/gardenlet:v1.141.1@sha256:abc' }],
  ])("%s names no release: the seed's gardenlet, then --gardener-version", (_name, oci) => {
    const object = edit(gardenletEnabling(), (o) => (o.spec.deployment.helm.ociRepository = oci));
    expect(learn('Gardenlet', object, 'aws-eu1')).toMatchObject({ release: { version: 'v1.149.0' } });
    expect(learn('Gardenlet', object, 'unknown-seed', { seeds, fallback })).toMatchObject({
      release: { version: 'v1.140.0' },
      source: '--gardener-version',
    });
  });
});

describe('ManagedSeed: spec.gardenlet.deployment.image, else the gardenlet that deploys it', () => {
  it('the image tag where set', () => {
    const object = edit(managedSeedEnabling(), (o) => (o.spec.gardenlet.deployment.image = { repository: 'r/gardenlet', tag: 'v1.144.0' }));
    expect(learn('ManagedSeed', object, 'aws-eu1')).toMatchObject({
      release: { version: 'v1.144.0' },
      source: 'spec.gardenlet.deployment.image.tag',
    });
  });

  it("the image ref's tag", () => {
    const object = edit(
      managedSeedEnabling(),
      (o) => (o.spec.gardenlet.deployment.image = { ref: 'europe-docker.pkg.dev/gardener-project/releases/gardener/gardenlet:v1.146.2' }),
    );
    expect(learn('ManagedSeed', object, 'aws-eu1')).toMatchObject({
      release: { version: 'v1.146.2' },
      source: 'spec.gardenlet.deployment.image.ref tag',
    });
  });

  it("without an image: its shoot's seed, not its own (aws-eu1 runs v1.149.0, but soil-1's v1.143 deploys it)", () => {
    expect(learn('ManagedSeed', managedSeedEnabling(), 'aws-eu1')).toEqual({
      kind: 'learned',
      release: { version: 'v1.143.2', minor: 143 },
      source: 'parent Seed soil-1 status.gardener.version',
    });
  });

  it('without an image and without the shoot: --gardener-version, then nothing', () => {
    expect(learn('ManagedSeed', managedSeedEnabling(), 'aws-eu1', { seeds, fallback })).toMatchObject({
      release: { version: 'v1.140.0' },
      source: '--gardener-version',
    });
    expect(learn('ManagedSeed', managedSeedEnabling(), 'aws-eu1', { seeds })).toEqual({
      kind: 'unknown',
      tried: 'spec.gardenlet.deployment.image (not set); shoot garden/aws-eu1 (shoots not read); --gardener-version (not given)',
    });
  });
});

describe('seed ConfigMap: metadata.labels.chart', () => {
  it('a released chart names its release (helm writes + as _)', () => {
    const object = edit(configMapEnabling(), (o) => (o.metadata.labels.chart = 'gardenlet-v1.148.1_build.7'));
    expect(learn('ConfigMap', object, 'aws-eu1')).toMatchObject({
      release: { version: 'v1.148.1', minor: 148 },
      source: 'ConfigMap metadata.labels.chart "gardenlet-v1.148.1_build.7"',
    });
  });

  it("the repository's chart (0.1.0) names nothing: the seed's gardenlet", () => {
    expect(learn('ConfigMap', configMapEnabling(), 'aws-eu1')).toMatchObject({
      release: { version: 'v1.149.0' },
      source: 'Seed aws-eu1 status.gardener.version',
    });
  });

  it('a chart label that is not a release is an error naming the field', () => {
    const object = edit(configMapEnabling(), (o) => (o.metadata.labels.chart = 'gardenlet-main'));
    expect(learn('ConfigMap', object, 'aws-eu1')).toEqual({
      kind: 'invalid',
      field: 'metadata.labels.chart',
      reason: '"gardenlet-main": "main" is not a version (expected v1.<minor>.<patch>)',
    });
  });
});

describe('versions', () => {
  it.each([
    ['v1.149.3', 'v1.149.3', 149],
    ['1.112.0', 'v1.112.0', 112],
    ['v1.150.0-dev', 'v1.150.0-dev', 150],
  ])('reads %s', (text, version, minor) => {
    expect(parseRelease(text)).toEqual({ ok: true, release: { version, minor } });
  });

  it.each(['latest', 'v1.149', 'sha256:abc', 'v2.0.0', ''])('refuses %j', (text) => {
    expect(parseRelease(text).ok).toBe(false);
  });

  it('knows when a gate came and went', () => {
    const at = (v: string) => (parseRelease(v) as { ok: true; release: { version: string; minor: number } }).release;
    expect(gateAt('UseUnifiedHTTPProxyPort', at('v1.139.0'))).toEqual({ stage: 'Alpha', default: false, locked: false });
    expect(gateAt('UseUnifiedHTTPProxyPort', at('v1.145.0'))).toBeUndefined();
    expect(unknownBecause('UseUnifiedHTTPProxyPort', at('v1.145.0'))).toBe('removed in v1.145');
    expect(unknownBecause('RemoveHTTPProxyLegacyPort', at('v1.147.0'))).toBe('added in v1.148');
  });
});
