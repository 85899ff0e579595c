// Properties over Gardener's renderings reshaped at random and over arbitrary JSON: the mutation never
// throws, never touches its input, is idempotent, and its diff patch turns the original into the result.
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, KubeObject as AdmittedObject } from '../../../src/admission/types.js';
import type { MigrationSettings } from '../../../src/gardener/settings.js';
import { mutateVpnShoot } from '../../../webhooks/vpn-shoot/mutate.js';
import { vpnShootWebhook } from '../../../webhooks/vpn-shoot/registration.js';
import { VPN_CLIENT_REPOSITORY, containersOf, fixtures, type KubeObject } from './fixtures.js';

const settingsArb: fc.Arbitrary<MigrationSettings> = fc.record({
  phase: fc.constantFrom('unified' as const, 'unified' as const, 'tls-tunnel' as const),
  istioTlsTermination: fc.boolean(),
  assumeVpnClientCompatible: fc.boolean(),
});

const imageArb = fc.oneof(
  fc
    .constantFrom('0.34.0', '0.41.9', '0.42.0', '0.42.0-dev', '0.49.0', 'v0.51.0', 'latest')
    .map((tag) => `${VPN_CLIENT_REPOSITORY}:${tag}`),
  fc.constant(`${VPN_CLIENT_REPOSITORY}@sha256:${'e'.repeat(64)}`),
  fc.constant('registry.example.com/vpn:1.0.0'),
  fc.string(),
);

const VARIABLES = ['OPENVPN_PORT', 'REVERSED_VPN_HEADER', 'REVERSED_VPN_HEADER_KEY', 'ENDPOINT', 'IS_HA'];
const envEntryArb = fc.oneof(
  fc.record(
    { name: fc.constantFrom(...VARIABLES), value: fc.constantFrom('8132', '8443', 'Reversed-VPN', 'X-Gardener-Destination', '') },
    { requiredKeys: ['name'] },
  ),
  fc.record({ name: fc.constantFrom(...VARIABLES), valueFrom: fc.constant({ fieldRef: { fieldPath: 'metadata.name' } }) }),
  fc.jsonValue(),
);
const containerArb = fc.record(
  {
    name: fc.constantFrom('vpn-shoot', 'vpn-shoot-s0', 'vpn-shoot-s1', 'tunnel-controller'),
    image: imageArb,
    env: fc.array(envEntryArb, { maxLength: 12 }),
  },
  { requiredKeys: ['name'] },
);

/** Undefined (keep the rendering's own) three times out of four. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** A Gardener rendering, often as is, sometimes with other images, containers, kind, name or namespace. */
const vpnShootArb: fc.Arbitrary<unknown> = fc
  .record({
    base: fc.constantFrom(
      fixtures.legacyDeployment,
      fixtures.legacyStatefulSet,
      fixtures.expectedDeployment,
      fixtures.unifiedDeploymentV130,
    ),
    image: sometimes(imageArb),
    containers: sometimes(fc.array(containerArb, { maxLength: 4 })),
    kind: sometimes(fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet')),
    name: sometimes(fc.constantFrom('vpn-shoot', 'vpn-shoot-2')),
    namespace: sometimes(fc.constantFrom('kube-system', 'default')),
  })
  .map(({ base, image, containers, kind, name, namespace }) => {
    const object = base();
    if (image !== undefined) for (const container of containersOf(object)) container.image = image;
    if (containers !== undefined) (object.spec as { template: { spec: KubeObject } }).template.spec.containers = containers;
    if (kind !== undefined) object.kind = kind;
    if (name !== undefined) (object.metadata as KubeObject).name = name;
    if (namespace !== undefined) (object.metadata as KubeObject).namespace = namespace;
    return object;
  });

const anyObjectArb = fc.oneof(vpnShootArb, vpnShootArb, fc.jsonValue());

describe('mutateVpnShoot properties', () => {
  it('never throws and never modifies its input', () => {
    fc.assert(
      fc.property(anyObjectArb, settingsArb, (object, settings) => {
        const before = structuredClone(object);
        mutateVpnShoot(object, settings);
        expect(object).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: its own output comes back as the very same object, at the target', () => {
    fc.assert(
      fc.property(anyObjectArb, settingsArb, (object, settings) => {
        const first = mutateVpnShoot(object, settings);
        const second = mutateVpnShoot(first.object, settings);
        expect(second.object).toBe(first.object);
        if (first.object !== object) expect(second.reason).toBe('at-target');
        else expect(second).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves every object alone in the tls-tunnel phase', () => {
    fc.assert(
      fc.property(anyObjectArb, (object) => {
        const result = mutateVpnShoot(object, { phase: 'tls-tunnel', istioTlsTermination: false, assumeVpnClientCompatible: false });
        expect(result.object).toBe(object);
        expect(result.reason).not.toBe('moved');
      }),
    );
  });

  it('never moves an object back from the unified port, whatever sequence of targets it sees', () => {
    const onUnified = (object: unknown) =>
      mutateVpnShoot(object, { phase: 'tls-tunnel', istioTlsTermination: false, assumeVpnClientCompatible: false }).reason ===
      'ahead-of-target';
    fc.assert(
      fc.property(anyObjectArb, fc.array(settingsArb, { minLength: 1, maxLength: 6 }), (start, targets) => {
        let object = start;
        for (const settings of targets) {
          const wasUnified = onUnified(object);
          const result = mutateVpnShoot(object, settings);
          if (wasUnified) expect(result.object).toBe(object);
          if (wasUnified) expect(result.reason).toBe(settings.phase === 'unified' ? 'at-target' : 'ahead-of-target');
          object = result.object;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers with a patch that turns a copy of the original into the mutated object', async () => {
    let patchedCount = 0;
    await fc.assert(
      fc.asyncProperty(anyObjectArb, settingsArb, async (object, settings) => {
        const request = { uid: 'u', operation: 'UPDATE', object: object as AdmittedObject } as AdmissionRequest;
        const verdict = await vpnShootWebhook.handle(request, { settings, services: {} });
        const { object: mutated } = mutateVpnShoot(object, settings);
        expect(verdict.allowed).toBe(true);
        if (!verdict.patch) {
          expect(mutated).toBe(object);
          return;
        }
        patchedCount++;
        const result = fastJsonPatch.applyPatch(structuredClone(object), verdict.patch, true, false).newDocument;
        expect(result).toEqual(mutated);
      }),
      { numRuns: 500 },
    );
    // Guard against a generator that never reaches the mutation.
    expect(patchedCount).toBeGreaterThan(20);
  });
});
