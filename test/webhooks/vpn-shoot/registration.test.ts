// The handler as the server runs it: AdmissionReview JSON in, AdmissionReview out, the patch applied
// to the object the apiserver holds.
import fastJsonPatch from 'fast-json-patch';
import type { Operation as PatchOperation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { decodeReview } from '../../../src/admission/decode.js';
import { toAdmissionReview } from '../../../src/admission/encode.js';
import { runWebhook } from '../../../src/admission/run.js';
import type { AdmissionRequest, AdmissionReview } from '../../../src/admission/types.js';
import type { MigrationSettings } from '../../../src/gardener/settings.js';
import { vpnShootWebhook } from '../../../webhooks/vpn-shoot/registration.js';
import { VPN_CLIENT_REPOSITORY, fixtures, tlsTunnel, unified, withImage, type KubeObject } from './fixtures.js';

const UID = '3c9e2f41-7a1d-4b8e-9f60-2d5c8a1b7e93';

/** The review the shoot's kube-apiserver sends when gardener-resource-manager applies vpn-shoot. */
function reviewBody(
  object: KubeObject | null,
  {
    operation = 'UPDATE',
    oldObject = null,
    dryRun = false,
    apiVersion = 'admission.k8s.io/v1',
  }: {
    operation?: string;
    oldObject?: KubeObject | null;
    dryRun?: boolean;
    apiVersion?: string;
  } = {},
): string {
  const kind = (object?.kind ?? oldObject?.kind ?? 'Deployment') as string;
  const resource = kind === 'StatefulSet' ? 'statefulsets' : 'deployments';
  return JSON.stringify({
    apiVersion,
    kind: 'AdmissionReview',
    request: {
      uid: UID,
      kind: { group: 'apps', version: 'v1', kind },
      resource: { group: 'apps', version: 'v1', resource },
      requestKind: { group: 'apps', version: 'v1', kind },
      requestResource: { group: 'apps', version: 'v1', resource },
      name: 'vpn-shoot',
      namespace: 'kube-system',
      operation,
      userInfo: {
        username: 'system:serviceaccount:kube-system:gardener-resource-manager',
        uid: '5d0b1c58-4c1e-4a41-9c8e-1f0b6f7d2a11',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
      object,
      oldObject,
      dryRun,
      options: {
        apiVersion: 'meta.k8s.io/v1',
        kind: operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions',
        fieldManager: 'gardener-resource-manager',
      },
    },
  });
}

async function answer(body: string, settings: MigrationSettings = unified) {
  const { apiVersion, request } = decodeReview(body);
  const { verdict, failure } = await runWebhook(vpnShootWebhook, request, { settings, services: {} });
  expect(failure).toBeUndefined();
  return { verdict, review: JSON.parse(JSON.stringify(toAdmissionReview(apiVersion, request.uid, verdict))) as AdmissionReview };
}

function patchOf(review: AdmissionReview): PatchOperation[] {
  expect(review.response?.patchType).toBe('JSONPatch');
  return JSON.parse(Buffer.from(review.response!.patch!, 'base64').toString('utf8')) as PatchOperation[];
}

function applied(object: KubeObject, patch: PatchOperation[]): unknown {
  return fastJsonPatch.applyPatch(structuredClone(object), patch, true, false).newDocument;
}

describe('vpn-shoot webhook', () => {
  it.each([
    ['CREATE of the Deployment', fixtures.legacyDeployment, fixtures.expectedDeployment, 'CREATE', null],
    [
      'UPDATE of the Deployment (GRM re-applying the legacy rendering)',
      fixtures.legacyDeployment,
      fixtures.expectedDeployment,
      'UPDATE',
      fixtures.expectedDeployment(),
    ],
    ['CREATE of the HA StatefulSet', fixtures.legacyStatefulSet, fixtures.expectedStatefulSet, 'CREATE', null],
    ['UPDATE of the HA StatefulSet', fixtures.legacyStatefulSet, fixtures.expectedStatefulSet, 'UPDATE', fixtures.legacyStatefulSet()],
  ])("answers %s with a patch that yields Gardener v1.144's rendering", async (_, load, expected, operation, oldObject) => {
    const object = load();
    const { review } = await answer(reviewBody(object, { operation, oldObject }));
    expect(review).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: UID, allowed: true } });
    expect(review.response!.warnings).toBeUndefined();
    const patch = patchOf(review);
    // Only the client containers' env moves; everything else GRM owns stays byte for byte.
    for (const op of patch) expect(op.path).toMatch(/^\/spec\/template\/spec\/containers\/[01]\/env\//);
    expect(applied(object, patch)).toEqual(expected());
  });

  it('answers a dry-run exactly as the real request', async () => {
    const real = await answer(reviewBody(fixtures.legacyStatefulSet()));
    const dryRun = await answer(reviewBody(fixtures.legacyStatefulSet(), { dryRun: true }));
    expect(dryRun.review).toEqual(real.review);
  });

  it('answers in the review version it was asked in', async () => {
    const { review } = await answer(reviewBody(fixtures.legacyDeployment(), { apiVersion: 'admission.k8s.io/v1beta1' }));
    expect(review.apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(applied(fixtures.legacyDeployment(), patchOf(review))).toEqual(fixtures.expectedDeployment());
  });

  it.each([
    ['an already migrated Deployment', fixtures.expectedDeployment, unified, 'at-target', 'already on the unified port; left unchanged'],
    [
      "Gardener v1.130's own unified rendering",
      fixtures.unifiedDeploymentV130,
      unified,
      'at-target',
      'already on the unified port; left unchanged',
    ],
    [
      'the legacy Deployment in the tls-tunnel phase',
      fixtures.legacyDeployment,
      tlsTunnel,
      'at-target',
      'already on the tls-tunnel port; left unchanged',
    ],
    [
      'a migrated Deployment in the tls-tunnel phase',
      fixtures.expectedDeployment,
      tlsTunnel,
      'ahead-of-target',
      'already on the unified port, ahead of --phase tls-tunnel; left unchanged',
    ],
  ])('admits %s without a patch, saying why', async (_, load, settings, reason, why) => {
    const { verdict, review } = await answer(reviewBody(load()), settings);
    expect(review.response).toEqual({ uid: UID, allowed: true, warnings: [`vpn-shoot: ${why}`] });
    expect(verdict).toMatchObject({ reason });
    expect(verdict.skipped).toBeUndefined();
  });

  it('admits an old client unchanged, warns with the required version, and counts it as skipped', async () => {
    const object = withImage(fixtures.legacyDeployment(), `${VPN_CLIENT_REPOSITORY}:0.36.0`);
    const { verdict, review } = await answer(reviewBody(object));
    expect(review.response).toEqual({
      uid: UID,
      allowed: true,
      warnings: ['vpn-shoot: admitted unchanged, vpn-client 0.36.0 is older than 0.42.0 (needed for port 8443)'],
    });
    expect(verdict.skipped).toBe('old-vpn-client');
  });

  it('admits a review without an object unchanged, with a warning', async () => {
    const { verdict, review } = await answer(reviewBody(null, { operation: 'CREATE' }));
    expect(review.response).toEqual({ uid: UID, allowed: true, warnings: ['vpn-shoot: admitted unchanged: no object to mutate'] });
    expect(verdict.skipped).toBe('unrecognised');
  });

  it('never patches a DELETE', async () => {
    const { review } = await answer(reviewBody(null, { operation: 'DELETE', oldObject: fixtures.legacyDeployment() }));
    expect(review.response).toEqual({ uid: UID, allowed: true });
  });
});

describe('vpn-shoot updates over a stored object on the unified port', () => {
  it('moves an update that carries the 8132 rendering to the unified port under --phase tls-tunnel, not the shoot back', async () => {
    const stored = fixtures.expectedDeployment();
    const request = {
      uid: 'u',
      operation: 'UPDATE',
      object: fixtures.legacyDeployment(),
      oldObject: stored,
    } as unknown as AdmissionRequest;
    const verdict = await vpnShootWebhook.handle(request, { settings: tlsTunnel, services: {} });
    expect(verdict).toMatchObject({ outcome: 'patched', reason: 'moved' });
    expect(verdict.warnings).toContain('vpn-shoot: the stored object is on the unified port; this update is moved there, not back');
    expect(fastJsonPatch.applyPatch(fixtures.legacyDeployment(), verdict.patch!, true, false).newDocument).toEqual(stored);
  });

  it('leaves an 8132 update over an 8132 object alone', async () => {
    const request = {
      uid: 'u',
      operation: 'UPDATE',
      object: fixtures.legacyDeployment(),
      oldObject: fixtures.legacyDeployment(),
    } as unknown as AdmissionRequest;
    const verdict = await vpnShootWebhook.handle(request, { settings: tlsTunnel, services: {} });
    expect(verdict).toMatchObject({ outcome: 'allowed', reason: 'at-target' });
  });
});
