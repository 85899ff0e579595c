// Byte-exact against Gardener's own renderings: every rendering of every release under both targets.
// Behind the target it becomes Gardener's rendering of the target with its own destination value; at or
// ahead of the target it is the very same object, bytes and all.
import { describe, expect, it } from 'vitest';
import { PHASES } from '../../../src/gardener/settings.js';
import { apiserverProxyOrder } from '../../../src/gardener/renderings.js';
import {
  editGardenerLayout,
  gardenerLayoutHeaders,
  gardenerLayoutState,
  readGardenerLayout,
} from '../../../webhooks/apiserver-proxy/envoy-fast-path.js';
import { handleApiserverProxy } from '../../../webhooks/apiserver-proxy/registration.js';
import { mutateApiserverProxyConfigMap } from '../../../webhooks/apiserver-proxy/mutate.js';
import {
  GARDENER_RENDERINGS,
  KUBE_APISERVER_VALUE,
  LEGACY,
  RENDERING_FACTS,
  SOCKET_VALUE,
  TARGETS,
  TECHNICAL_ID,
  UNIFIED_V1_144,
  envoyYaml,
  legacyDestination,
  loadFixture,
  settings,
  type RenderingName,
} from './fixtures.js';

const RENDERINGS = Object.entries(GARDENER_RENDERINGS) as [RenderingName, string][];
const TLS_TERMINATION_V1_114 = GARDENER_RENDERINGS['Istio TLS termination v1.114 (Reversed-VPN, 8132, socket value)'];

/** Gardener v1.144's unified rendering for a shoot whose destination value is `value`. */
function unifiedWith(value: string): string {
  const text = envoyYaml(loadFixture(UNIFIED_V1_144));
  return value === KUBE_APISERVER_VALUE ? text : text.replace(`value: "${KUBE_APISERVER_VALUE}"`, `value: "${value}"`);
}

describe('apiserver-proxy golden renderings', () => {
  it.each(RENDERINGS)('recognises %s as Gardener layout, and as what it is', (name, path) => {
    const layout = readGardenerLayout(envoyYaml(loadFixture(path)));
    expect(layout).toMatchObject({
      advertiseIPAddress: '10.2.170.21',
      proxySeedServerHost: 'api.bar.foo.internal.local.gardener.cloud.',
      dnsLookupFamily: 'V4_ONLY',
    });
    expect(gardenerLayoutState(layout!)).toEqual({ rendering: RENDERING_FACTS[name].rendering });
    const values = new Set(gardenerLayoutHeaders(layout!).map((h) => h.value));
    expect(values).toEqual(new Set(RENDERING_FACTS[name].value === undefined ? [] : [RENDERING_FACTS[name].value]));
  });

  describe.each(PHASES)('under --phase %s', (phase) => {
    // Every setting that could once pull a rendering elsewhere: other header keys, the other value.
    const variants = [
      settings({ phase }),
      settings({ phase, destinationHeaders: ['Reversed-VPN'] }),
      settings({ phase, destinationHeaders: ['X-Gardener-Destination'] }),
      settings({ phase, istioTlsTermination: true }),
    ];

    it.each(RENDERINGS)('%s: forward to the target, or exactly as it is', (name, path) => {
      const { rendering, value } = RENDERING_FACTS[name];
      const ahead = apiserverProxyOrder(rendering) - apiserverProxyOrder(phase);
      for (const s of variants) {
        const object = loadFixture(path);
        const text = envoyYaml(object);
        const result = mutateApiserverProxyConfigMap(object, s, TECHNICAL_ID);
        if (ahead >= 0) {
          expect(result.object).toBe(object);
          expect(envoyYaml(result.object)).toBe(text);
          expect(result.reason).toBe(ahead === 0 ? 'at-target' : 'ahead-of-target');
          expect(result.warnings).toEqual([
            ahead === 0
              ? `apiserver-proxy: already on the ${rendering === 'unified' ? 'unified' : 'tls-tunnel'} port; left unchanged`
              : `apiserver-proxy: already on the unified port, ahead of --phase ${phase}; left unchanged`,
          ]);
          const verdict = handleApiserverProxy(
            { uid: 'u', operation: 'UPDATE', object, oldObject: object },
            { settings: s, services: {}, pathParameters: { technicalId: TECHNICAL_ID } },
          );
          expect(verdict).toMatchObject({ outcome: 'allowed', reason: result.reason, warnings: result.warnings });
          expect(verdict.patch).toBeUndefined();
        } else {
          expect(result.reason).toBe('moved');
          if (rendering === 'legacy') {
            // Only a legacy rendering gets a computed value (and --destination-header, onto 8132).
            expect(envoyYaml(result.object)).toBe(editGardenerLayout(text, legacyDestination(s))!.text);
          } else {
            // A tunnel keeps its value whatever the settings say; only port and header keys change.
            expect(envoyYaml(result.object)).toBe(unifiedWith(value!));
          }
          expect(result.object.metadata).toEqual(object.metadata);
        }
      }
    });
  });

  it('moves the v1.114 Istio TLS termination rendering to unified with its socket value, without --istio-tls-termination', () => {
    const result = mutateApiserverProxyConfigMap(loadFixture(TLS_TERMINATION_V1_114), settings({ phase: 'unified' }), TECHNICAL_ID);
    expect(envoyYaml(result.object)).toBe(unifiedWith(SOCKET_VALUE));
    expect(envoyYaml(result.object)).toContain(`key: X-Gardener-Destination\n                value: "${SOCKET_VALUE}"`);
    expect(envoyYaml(result.object)).not.toContain('outbound|443');
  });

  it('keeps X-Gardener-Destination of the v1.130 both-headers rendering under the default target', () => {
    const object = loadFixture(GARDENER_RENDERINGS['transition v1.130 (both headers, 8132)']);
    for (const s of [settings(), settings({ destinationHeaders: ['Reversed-VPN'] })]) {
      expect(mutateApiserverProxyConfigMap(object, s, TECHNICAL_ID).object).toBe(object);
    }
  });

  it('never moves the v1.144 rendering back to 8132 and Reversed-VPN under the default --phase tls-tunnel', () => {
    const object = loadFixture(UNIFIED_V1_144);
    const result = mutateApiserverProxyConfigMap(object, settings(), TECHNICAL_ID);
    expect(result).toMatchObject({ object, reason: 'ahead-of-target' });
  });

  it('leaves renderings at or ahead of the target alone even for an unknown shoot: nothing is written, so nothing is routed', () => {
    const object = loadFixture(UNIFIED_V1_144);
    expect(mutateApiserverProxyConfigMap(object, settings({ phase: 'unified' }), undefined)).toMatchObject({ object, reason: 'at-target' });
    expect(mutateApiserverProxyConfigMap(loadFixture(LEGACY), settings({ phase: 'unified' }), undefined)).toMatchObject({
      reason: 'unknown-shoot',
    });
  });

  describe.each(TARGETS)('from legacy into $name', ({ settings, expected }) => {
    const expectedObject = loadFixture(expected);

    it('turns the legacy ConfigMap into the expected object, data byte for byte, metadata untouched', () => {
      const legacy = loadFixture(LEGACY);
      const result = mutateApiserverProxyConfigMap(legacy, settings, TECHNICAL_ID);
      expect(result.skipped).toBeUndefined();
      expect(result.warnings).toEqual([]);
      expect(envoyYaml(result.object)).toBe(envoyYaml(expectedObject));
      if (expected.includes('expected-after-mutation')) expect(result.object).toEqual(expectedObject);
      else expect(result.object.metadata).toEqual(legacy.metadata);
    });

    it.each(RENDERINGS)('the text edit reaches it from %s', (_name, path) => {
      const edited = editGardenerLayout(envoyYaml(loadFixture(path)), legacyDestination(settings));
      expect(edited?.text).toBe(envoyYaml(expectedObject));
      expect(edited?.json).toBe(JSON.stringify(envoyYaml(expectedObject)));
    });

    it('leaves its own output alone (same object back, no change)', () => {
      const once = mutateApiserverProxyConfigMap(loadFixture(LEGACY), settings, TECHNICAL_ID).object;
      expect(mutateApiserverProxyConfigMap(once, settings, TECHNICAL_ID)).toMatchObject({ object: once, reason: 'at-target' });
    });
  });

  it('with --istio-tls-termination, gives a legacy rendering <technical-id>--kube-apiserver-socket (as Gardener v1.114 renders it)', () => {
    const result = mutateApiserverProxyConfigMap(loadFixture(LEGACY), settings({ istioTlsTermination: true }), TECHNICAL_ID);
    expect(envoyYaml(result.object)).toBe(envoyYaml(loadFixture(TLS_TERMINATION_V1_114)));
  });

  it('never touches the input object', () => {
    const legacy = loadFixture(LEGACY);
    const before = structuredClone(legacy);
    mutateApiserverProxyConfigMap(legacy, TARGETS[0]!.settings, TECHNICAL_ID);
    expect(legacy).toEqual(before);
  });
});

describe('apiserver-proxy updates over a stored ConfigMap ahead of them', () => {
  // The resource manager re-applies Gardener's older rendering over one this webhook moved earlier.
  it.each([
    ['legacy', LEGACY],
    ['8132', GARDENER_RENDERINGS['phase 1 v1.113 (Reversed-VPN, 8132)']],
  ])('keeps the stored unified config when a %s update arrives under --phase tls-tunnel', (_name, path) => {
    const stored = mutateApiserverProxyConfigMap(loadFixture(TLS_TERMINATION_V1_114), settings({ phase: 'unified' }), TECHNICAL_ID).object;
    const object = loadFixture(path);
    const verdict = handleApiserverProxy(
      { uid: 'u', operation: 'UPDATE', object, oldObject: stored },
      { settings: settings(), services: {}, pathParameters: { technicalId: TECHNICAL_ID } },
    );
    expect(verdict).toMatchObject({
      outcome: 'patched',
      reason: 'ahead-of-target',
      warnings: ['apiserver-proxy: the stored config is ahead of this update; kept as stored'],
    });
    expect(verdict.patch).toEqual([{ op: 'replace', path: '/data/envoy.yaml', value: envoyYaml(stored) }]);
  });

  it('leaves a resync of its own output alone, and moves an update behind a stored config that is behind too', () => {
    const stored = mutateApiserverProxyConfigMap(loadFixture(LEGACY), settings(), TECHNICAL_ID).object;
    const resync = handleApiserverProxy(
      { uid: 'u', operation: 'UPDATE', object: loadFixture(LEGACY), oldObject: stored },
      { settings: settings(), services: {}, pathParameters: { technicalId: TECHNICAL_ID } },
    );
    expect(resync).toMatchObject({ outcome: 'patched', reason: 'moved' });
    const raised = handleApiserverProxy(
      { uid: 'u', operation: 'UPDATE', object: loadFixture(LEGACY), oldObject: stored },
      { settings: settings({ phase: 'unified' }), services: {}, pathParameters: { technicalId: TECHNICAL_ID } },
    );
    expect(raised).toMatchObject({ outcome: 'patched', reason: 'moved' });
  });
});
