// Byte-exact against Gardener's own renderings: from every phase Gardener has rendered into every target.
import { describe, expect, it } from 'vitest';
import { editGardenerLayout, readGardenerLayout } from '../../../webhooks/apiserver-proxy/envoy-fast-path.js';
import { destinationFor } from '../../../webhooks/apiserver-proxy/destination.js';
import { mutateApiserverProxyConfigMap } from '../../../webhooks/apiserver-proxy/mutate.js';
import { GARDENER_RENDERINGS, LEGACY, TARGETS, TECHNICAL_ID, envoyYaml, loadFixture, settings } from './fixtures.js';

describe('apiserver-proxy golden renderings', () => {
  it.each(Object.entries(GARDENER_RENDERINGS))('recognises %s as Gardener layout', (_name, path) => {
    expect(readGardenerLayout(envoyYaml(loadFixture(path)))).toMatchObject({
      advertiseIPAddress: '10.2.170.21',
      proxySeedServerHost: 'api.bar.foo.internal.local.gardener.cloud.',
      dnsLookupFamily: 'V4_ONLY',
    });
  });

  describe.each(TARGETS)('into $name', ({ settings, expected }) => {
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

    it.each(Object.entries(GARDENER_RENDERINGS))('reaches it from %s through the text edit', (_name, path) => {
      const edited = editGardenerLayout(envoyYaml(loadFixture(path)), destinationFor(settings, TECHNICAL_ID));
      expect(edited?.text).toBe(envoyYaml(expectedObject));
      expect(edited?.json).toBe(JSON.stringify(envoyYaml(expectedObject)));
    });

    it('leaves its own output alone (same object back, no change)', () => {
      const once = mutateApiserverProxyConfigMap(loadFixture(LEGACY), settings, TECHNICAL_ID).object;
      expect(mutateApiserverProxyConfigMap(once, settings, TECHNICAL_ID).object).toBe(once);
    });
  });

  it('with Istio TLS termination, sends <technical-id>--kube-apiserver-socket (as Gardener v1.114 renders it)', () => {
    const result = mutateApiserverProxyConfigMap(loadFixture(LEGACY), settings({ istioTlsTermination: true }), TECHNICAL_ID);
    const phase1 = envoyYaml(loadFixture(TARGETS[0]!.expected));
    const expected = phase1.replace(
      'value: "outbound|443||kube-apiserver.shoot--foo--bar.svc.cluster.local"',
      'value: "shoot--foo--bar--kube-apiserver-socket"',
    );
    expect(expected).not.toBe(phase1);
    expect(envoyYaml(result.object)).toBe(expected);
  });

  it('never touches the input object', () => {
    const legacy = loadFixture(LEGACY);
    const before = structuredClone(legacy);
    mutateApiserverProxyConfigMap(legacy, TARGETS[0]!.settings, TECHNICAL_ID);
    expect(legacy).toEqual(before);
  });
});
