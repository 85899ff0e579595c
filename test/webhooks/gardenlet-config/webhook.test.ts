// The gardenlet-config webhook on whole reviews: every carrier, CREATE and UPDATE transitions,
// dry-run, bad configuration, and a missing or unsynced shoot index.
import { describe, expect, it } from 'vitest';
import { runWebhook } from '../../../src/admission/run.js';
import type { AdmissionRequest, KubeObject, Operation } from '../../../src/admission/types.js';
import type { ShootLookup } from '../../../src/gardener/services.js';
import { DEFAULT_SETTINGS } from '../../../src/gardener/settings.js';
import { ShootIndex } from '../../../src/gardener/shoot-index.js';
import { gardenletConfigWebhook } from '../../../webhooks/gardenlet-config/registration.js';
import {
  configMapBaseline,
  configMapEnabling,
  gardenletEnabling,
  landscape,
  managedSeedEnabling,
  managedSeedWithGates,
  withConfigText,
} from './fixtures.js';

const shoots = landscape();
const HTTP_PROXY_BLOCKERS =
  'ignored 1 (remove shoot.gardener.cloud/ignore): garden-qux/mike; last-operation-failed 1 (fix the error, reconcile): garden-foo/charlie; ' +
  'constraint-false 1 (see its reason, reconcile): garden-qux/juliett; constraint-missing 2 (reconcile it): garden-baz/hotel, garden-foo/bravo';
/** What every answer without a learnable release says (the fixtures' chart is the repository's 0.1.0, and no seeds are given). */
const NOT_RELEASE_AWARE = 'validation was not release-aware: no gardenlet release in the object, its seed or --gardener-version';

async function review(
  object: KubeObject,
  options: { operation?: Operation; oldObject?: KubeObject; dryRun?: boolean; lookup?: ShootLookup | null } = {},
) {
  const request: AdmissionRequest = {
    uid: 'b7d2c1c4-0000-4000-8000-000000000001',
    kind: { group: object.apiVersion?.includes('/') ? object.apiVersion.split('/')[0]! : '', version: 'v1', kind: object.kind ?? '' },
    operation: options.operation ?? 'CREATE',
    name: object.metadata?.name,
    namespace: object.metadata?.namespace,
    object,
    oldObject: options.oldObject ?? null,
    dryRun: options.dryRun ?? false,
  };
  const lookup = options.lookup === null ? undefined : (options.lookup ?? shoots);
  const { verdict, failure } = await runWebhook(gardenletConfigWebhook, request, {
    settings: DEFAULT_SETTINGS,
    services: { shoots: lookup },
  });
  expect(failure).toBeUndefined();
  return verdict;
}

describe('carriers', () => {
  it.each([
    ['the seed ConfigMap', configMapEnabling],
    ['a ManagedSeed', managedSeedEnabling],
    ['a Gardenlet', gardenletEnabling],
  ])('refuses %s turning RemoveHTTPProxyLegacyPort on for aws-eu1, naming the blockers', async (_name, object) => {
    const verdict = await review(object());
    expect(verdict.allowed).toBe(false);
    expect(verdict.status?.code).toBe(403);
    expect(verdict.status?.message).toContain(
      '`RemoveHTTPProxyLegacyPort` feature gate can only be enabled once all shoots have the `UsesUnifiedHTTPProxyPort` constraint',
    );
    expect(verdict.status?.message).toContain(`on seed aws-eu1, 5 shoots do not: ${HTTP_PROXY_BLOCKERS}`);
  });

  it('admits the baseline ConfigMap (no removal gate on), saying that it could not be judged by release', async () => {
    const verdict = await review(configMapBaseline());
    expect(verdict).toMatchObject({ allowed: true, warnings: [NOT_RELEASE_AWARE] });
  });

  it('admits a gardenlet ConfigMap without config.yaml (the image vector overwrite)', async () => {
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gardenlet-imagevector-overwrite', namespace: 'garden' },
      data: { 'images_overwrite.yaml': 'images: []' },
    };
    expect(await review(object)).toMatchObject({ allowed: true, warnings: [] });
  });

  it('takes the seed from the ManagedSeed name, not from the configuration', async () => {
    const object = managedSeedEnabling();
    object.metadata!.name = 'aws-eu2';
    const verdict = await review(object);
    expect(verdict.status?.message).toContain(
      'on seed aws-eu2, 2 shoots do not: constraint-missing 2 (reconcile it): garden-baz/golf, garden-baz/india',
    );
  });

  it('admits turning the gate on for a seed whose shoots have all migrated', async () => {
    const index = ShootIndex.of(shoots.shootsOfSeed('aws-eu1').filter((s) => s.name === 'alpha' || s.name === 'delta'));
    expect(await review(configMapEnabling(), { lookup: index })).toMatchObject({ allowed: true, warnings: [NOT_RELEASE_AWARE] });
  });
});

describe('feature gate values', () => {
  it.each([
    ['false', 'RemoveHTTPProxyLegacyPort: false'],
    ['absent', ''],
  ])('a gate set %s never blocks', async (_name, line) => {
    const object = withConfigText(configMapEnabling(), (text) => text.replace('RemoveHTTPProxyLegacyPort: true', line));
    expect(await review(object)).toMatchObject({ allowed: true });
  });

  it('reads YAML 1.1 booleans as gardenlet does: `on` turns the gate on', async () => {
    const object = withConfigText(configMapEnabling(), (text) =>
      text.replace('RemoveHTTPProxyLegacyPort: true', 'RemoveHTTPProxyLegacyPort: on'),
    );
    expect(await review(object)).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it('follows YAML merge keys, as gardenlet does: a gate turned on through an anchor counts', async () => {
    const object = withConfigText(
      configMapEnabling(),
      (text) =>
        `gates: &gates\n  RemoveHTTPProxyLegacyPort: true\n${text.replace(/featureGates:\n/, 'featureGates:\n  <<: *gates\n').replace(/\n\s+RemoveHTTPProxyLegacyPort: true/, '')}`,
    );
    expect(await review(object)).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it.each([
    [
      'a quoted "true"',
      (t: string) => t.replace('RemoveHTTPProxyLegacyPort: true', 'RemoveHTTPProxyLegacyPort: "true"'),
      'featureGates.RemoveHTTPProxyLegacyPort must be true or false, not a string',
    ],
    [
      'a list',
      (t: string) => t.replace(/featureGates:\n(\s+\w+: \w+\n)+/, 'featureGates:\n    - RemoveHTTPProxyLegacyPort\n'),
      'featureGates must map gate names to true or false, not a list',
    ],
    [
      'a number for another gate',
      (t: string) => t.replace('DefaultSeccompProfile: true', 'DefaultSeccompProfile: 1'),
      'featureGates.DefaultSeccompProfile must be true or false, not a number',
    ],
  ])('refuses featureGates with %s as bad input', async (_name, edit, reason) => {
    const verdict = await review(withConfigText(configMapEnabling(), edit));
    expect(verdict).toMatchObject({ allowed: false, status: { code: 422 } });
    expect(verdict.status?.message).toBe(`gardenlet configuration refused: data["config.yaml"]: ${reason}`);
  });

  it('refuses a config.yaml that does not parse, by position', async () => {
    let line = 0;
    const object = withConfigText(configMapEnabling(), (text) => {
      line = text.split('\n').indexOf('featureGates:') + 1;
      return text.replace('featureGates:\n', 'featureGates:\n  Misaligned: true\n Gate: true\n');
    });
    const verdict = await review(object);
    expect(verdict).toMatchObject({ allowed: false, status: { code: 422 } });
    expect(verdict.status?.message).toBe(
      `gardenlet configuration refused: data["config.yaml"] is not valid YAML at line ${line + 2}, column 2: bad indentation of a mapping entry`,
    );
  });

  it('refuses a gate turned on for an unnamed seed', async () => {
    const object = withConfigText(configMapEnabling(), (text) => text.replace('name: aws-eu1', 'labels: {}'));
    expect((await review(object)).status?.message).toContain('seedConfig.metadata.name is not set');
  });
});

describe('UPDATE transitions', () => {
  it('refuses an UPDATE that turns the gate on', async () => {
    const verdict = await review(configMapEnabling(), { operation: 'UPDATE', oldObject: configMapBaseline() });
    expect(verdict).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it('admits an UPDATE that keeps the gate on, with a warning counting the blockers', async () => {
    const updated = withConfigText(configMapEnabling(), (text) => text.replace('logLevel: info', 'logLevel: debug'));
    const verdict = await review(updated, { operation: 'UPDATE', oldObject: configMapEnabling() });
    expect(verdict).toMatchObject({
      allowed: true,
      warnings: [NOT_RELEASE_AWARE, 'RemoveHTTPProxyLegacyPort stays on; 5 shoots of aws-eu1 lack UsesUnifiedHTTPProxyPort=True'],
    });
  });

  it('admits an UPDATE that turns the gate off', async () => {
    expect(await review(configMapBaseline(), { operation: 'UPDATE', oldObject: configMapEnabling() })).toMatchObject({
      allowed: true,
      warnings: [NOT_RELEASE_AWARE],
    });
  });

  it('refuses moving a configuration with the gate on to another seed', async () => {
    const moved = withConfigText(configMapEnabling(), (text) => text.replace('name: aws-eu1', 'name: aws-eu2'));
    const verdict = await review(moved, { operation: 'UPDATE', oldObject: configMapEnabling() });
    expect(verdict.status?.message).toContain('on seed aws-eu2, 2 shoots do not');
  });

  it('judges an UPDATE whose old object cannot be read as turning the gate on', async () => {
    const broken = withConfigText(configMapEnabling(), () => 'featureGates: [');
    expect(await review(configMapEnabling(), { operation: 'UPDATE', oldObject: broken })).toMatchObject({
      allowed: false,
      status: { code: 403 },
    });
  });
});

describe('ManagedSeed mergeWithParent', () => {
  it('admits a gate left to the parent gardenlet, warning that it cannot be judged', async () => {
    const verdict = await review(managedSeedWithGates(undefined, true));
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings).toEqual([
      NOT_RELEASE_AWARE,
      'RemoveAPIServerProxyLegacyPort inherited via mergeWithParent, not judged; 3 shoots of aws-eu1 block it',
      'RemoveHTTPProxyLegacyPort inherited via mergeWithParent, not judged; 5 shoots of aws-eu1 block it',
    ]);
  });

  it('treats an unset mergeWithParent as true (the API default)', async () => {
    expect((await review(managedSeedWithGates({}))).warnings).toHaveLength(3);
  });

  it('judges nothing inherited when mergeWithParent is false', async () => {
    expect(await review(managedSeedWithGates({}, false))).toMatchObject({ allowed: true, warnings: [NOT_RELEASE_AWARE] });
  });

  it('still refuses a gate the ManagedSeed sets itself', async () => {
    expect(await review(managedSeedWithGates({ RemoveHTTPProxyLegacyPort: true }, true))).toMatchObject({
      allowed: false,
      status: { code: 403 },
    });
  });
});

describe('dry-run', () => {
  it.each([
    ['a refusal', configMapEnabling],
    ['an admission', configMapBaseline],
  ])('answers %s exactly as without dry-run', async (_name, object) => {
    expect(await review(object(), { dryRun: true })).toEqual(await review(object(), { dryRun: false }));
  });
});

describe('without a usable shoot index', () => {
  const unsynced = new ShootIndex();

  it.each([
    ['no index', null, 'no shoot index'],
    ['an index that has not synced', unsynced, 'shoot index not synced'],
  ])('fails closed with %s when a gate is turned on', async (_name, lookup, reason) => {
    const verdict = await review(configMapEnabling(), { lookup });
    expect(verdict).toMatchObject({ allowed: false, outcome: 'error', status: { code: 503 } });
    expect(verdict.status?.message).toContain(reason);
  });

  it('still admits a configuration that turns no gate on', async () => {
    expect(await review(configMapBaseline(), { lookup: unsynced })).toMatchObject({ allowed: true });
  });

  it('admits an UPDATE keeping the gate on, warning that it was not checked', async () => {
    const verdict = await review(configMapEnabling(), { operation: 'UPDATE', oldObject: configMapEnabling(), lookup: unsynced });
    expect(verdict).toMatchObject({
      allowed: true,
      warnings: [NOT_RELEASE_AWARE, 'legacy-port gates left on or inherited were not checked: shoot index not synced'],
    });
  });
});
