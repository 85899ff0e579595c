// Release-aware gate validation through a real TLS server: dry-run AdmissionReviews, as
// `kubectl apply --dry-run=server` sends them, answered per release band for each gate, with the release
// and its source in every answer.
import { describe, expect, it } from 'vitest';
import { ADMISSION_V1, type KubeObject } from '../../../src/admission/types.js';
import { DEFAULT_SETTINGS } from '../../../src/gardener/settings.js';
import { gardenletConfigWebhook } from '../../../webhooks/gardenlet-config/registration.js';
import { reviewAt } from '../../support/client.js';
import { admissionReview } from '../../support/reviews.js';
import { startTestServer } from '../../support/server.js';
import { gardenlet, landscape, seedReleases } from './fixtures.js';

const served = await startTestServer({
  webhooks: [gardenletConfigWebhook],
  services: { shoots: landscape(), seeds: seedReleases() },
  settings: { ...DEFAULT_SETTINGS, gardenerVersion: 'v1.120.0' },
  logLevel: 'silent',
});

async function dryRun(object: KubeObject) {
  const review = admissionReview({
    apiVersion: ADMISSION_V1,
    object,
    dryRun: true,
    kind: { group: 'seedmanagement.gardener.cloud', version: 'v1alpha1', kind: object.kind! },
    resource: { group: 'seedmanagement.gardener.cloud', version: 'v1alpha1', resource: 'gardenlets' },
  });
  const answer = await reviewAt(`${served.url}/webhooks/gardenlet-config?timeout=10s`, served.agent, review);
  return answer.response!;
}

describe('gardenlet-config over TLS, dry-run', () => {
  it.each([
    [
      'RemoveAPIServerProxyLegacyPort unknown to v1.123',
      gardenlet('v1.123.0', { RemoveAPIServerProxyLegacyPort: false }),
      'unrecognized feature gate: RemoveAPIServerProxyLegacyPort (gardenlet v1.123.0 does not know it: removed in v1.123)',
    ],
    [
      'UseUnifiedHTTPProxyPort locked in v1.144',
      gardenlet('v1.144.0', { UseUnifiedHTTPProxyPort: false }),
      'cannot set feature gate UseUnifiedHTTPProxyPort to false, feature is locked to true (gardenlet v1.144.0, GA)',
    ],
    [
      'RemoveHTTPProxyLegacyPort unknown to v1.147',
      gardenlet('v1.147.0', { RemoveHTTPProxyLegacyPort: true }),
      'unrecognized feature gate: RemoveHTTPProxyLegacyPort (gardenlet v1.147.0 does not know it: added in v1.148)',
    ],
    [
      'IstioTLSTermination unknown to v1.113',
      gardenlet('v1.113.0', { IstioTLSTermination: true }),
      'unrecognized feature gate: IstioTLSTermination (gardenlet v1.113.0 does not know it: added in v1.114)',
    ],
  ])('refuses %s', async (_name, object, refusal) => {
    const response = await dryRun(object);
    expect(response).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(response.status?.message).toContain(refusal);
    expect(response.status?.message).toMatch(/\[judged for gardenlet v1\.1\d\d\.0, from spec\.deployment\.helm\.ociRepository\.ref tag\]$/);
  });

  it('refuses a Beta gate the configuration leaves on by default (v1.121), naming the blockers by reason', async () => {
    const response = await dryRun(gardenlet('v1.121.0', {}));
    expect(response.status?.message).toContain(
      '`RemoveAPIServerProxyLegacyPort` feature gate can only be enabled once all shoots have the `APIServerProxyUsesHTTPProxy` constraint',
    );
    expect(response.status?.message).toContain(
      'on seed aws-eu1, 3 shoots do not: ignored 1 (remove shoot.gardener.cloud/ignore): garden-qux/mike; last-operation-failed 1',
    );
  });

  it('refuses an Alpha gate set true (v1.148) and admits it left alone', async () => {
    expect((await dryRun(gardenlet('v1.148.0', { RemoveHTTPProxyLegacyPort: true }))).allowed).toBe(false);
    expect(await dryRun(gardenlet('v1.148.0', {}))).toMatchObject({
      allowed: true,
      warnings: ['gardenlet v1.148.0 assumed (from spec.deployment.helm.ociRepository.ref tag)'],
    });
  });

  it("takes the seed's release where the object names none, and --gardener-version where neither does", async () => {
    const onSeed = gardenlet('v1.148.0', { UseUnifiedHTTPProxyPort: true });
    (onSeed.spec as { deployment: unknown }).deployment = {};
    expect((await dryRun(onSeed)).status?.message).toMatch(
      /removed in v1\.145\) \[judged for gardenlet v1\.149\.0, from Seed aws-eu1 status\.gardener\.version\]$/,
    );
    const nowhere = gardenlet('v1.148.0', { RemoveAPIServerProxyLegacyPort: false }, 'garden-test-x');
    (nowhere.spec as { deployment: unknown }).deployment = {};
    expect(await dryRun(nowhere)).toMatchObject({ allowed: true, warnings: ['gardenlet v1.120.0 assumed (from --gardener-version)'] });
  });

  it('refuses a chart tag that is not a release with 422, naming the field', async () => {
    expect((await dryRun(gardenlet('main', {}))).status).toMatchObject({
      code: 422,
      message:
        'gardenlet configuration refused: spec.deployment.helm.ociRepository.ref tag: "main" is not a version (expected v1.<minor>.<patch>)',
    });
  });
});
