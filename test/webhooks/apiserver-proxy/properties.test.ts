// Properties over generated inputs: the mutation never throws, is idempotent from any start, means the
// same however the input is written, never moves a shoot backwards nor changes its destination value,
// its patch always applies, and the text edit only accepts what it can prove: whenever it accepts a
// document, the structural edit agrees with it in meaning.
import fc from 'fast-check';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { toAdmissionResponse } from '../../../src/admission/encode.js';
import type { KubeObject } from '../../../src/admission/types.js';
import { PHASES, type MigrationSettings } from '../../../src/gardener/settings.js';
import { apiserverProxyOrder } from '../../../src/gardener/renderings.js';
import { existingDestinationValue } from '../../../webhooks/apiserver-proxy/destination.js';
import {
  editGardenerLayout,
  gardenerLayoutHeaders,
  gardenerLayoutState,
  readGardenerLayout,
} from '../../../webhooks/apiserver-proxy/envoy-fast-path.js';
import type { EnvoyState } from '../../../webhooks/apiserver-proxy/envoy-state.js';
import {
  editEnvoyStructurally,
  parseEnvoy,
  parsedEnvoyHeaders,
  parsedEnvoyState,
} from '../../../webhooks/apiserver-proxy/envoy-structural.js';
import { handleApiserverProxy } from '../../../webhooks/apiserver-proxy/registration.js';
import { mutateApiserverProxyConfigMap } from '../../../webhooks/apiserver-proxy/mutate.js';
import { GARDENER_RENDERINGS, LEGACY, TECHNICAL_ID, envoyYaml, legacyDestination, loadFixture } from './fixtures.js';

const meaning = (text: string): unknown => yaml.load(text, { schema: yaml.CORE_SCHEMA });
const legacyObject = loadFixture(LEGACY);
const renderings = Object.values(GARDENER_RENDERINGS).map((path) => envoyYaml(loadFixture(path)));

const withEnvoyYaml = (text: string): KubeObject => ({ ...legacyObject, data: { 'envoy.yaml': text } });

const headerKey = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,24}$/);
const settingsArb: fc.Arbitrary<MigrationSettings> = fc.record({
  phase: fc.constantFrom(...PHASES),
  destinationHeaders: fc.option(
    fc.oneof(fc.array(headerKey, { minLength: 1, maxLength: 3 }), fc.constant<string[]>(['Reversed-VPN', 'X-Gardener-Destination'])),
    { nil: undefined },
  ),
  istioTlsTermination: fc.boolean(),
  assumeVpnClientCompatible: fc.boolean(),
});

/** Gardener's renderings written otherwise: other indentation, key order, flow style, quoting, no comments. */
const reformattedFrom = fc
  .record({
    source: fc.constantFrom(...renderings),
    indent: fc.integer({ min: 1, max: 8 }),
    sortKeys: fc.boolean(),
    flowLevel: fc.constantFrom(-1, 2, 4, 6),
    forceQuotes: fc.boolean(),
    quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
    json: fc.boolean(),
  })
  .map(({ source, json, ...options }) => ({
    source,
    text: json ? JSON.stringify(meaning(source)) : yaml.dump(meaning(source), { ...options, lineWidth: -1 }),
  }));
const reformatted = reformattedFrom.map(({ text }) => text);
const anyLayout = fc.oneof(fc.constantFrom(...renderings), reformatted);

/** Small edits of Gardener's rendering, biased towards the slots, where a careless matcher would slip. */
const SLOT_MARKERS = [
  '10.2.170.21',
  'api.bar.foo',
  'V4_ONLY',
  'port_value: 8',
  'key: ',
  'value: "',
  'tunneling_config',
  'transport_socket',
];
const corrupted = fc
  .record({
    source: fc.constantFrom(...renderings),
    marker: fc.constantFrom(...SLOT_MARKERS, ''),
    shift: fc.integer({ min: -3, max: 24 }),
    anywhere: fc.nat(),
    remove: fc.integer({ min: 0, max: 3 }),
    insert: fc.stringMatching(/^[ \n#:\-"'&*!|>{}[\],a-z0-9.]{0,4}$/),
  })
  .map(({ source, marker, shift, anywhere, remove, insert }) => {
    const found = marker ? source.indexOf(marker) : -1;
    const at = found >= 0 ? Math.max(0, found + shift) : anywhere % source.length;
    return source.slice(0, at) + insert + source.slice(at + remove);
  });

describe('apiserver-proxy mutation properties', () => {
  it('never throws, and changes nothing but data/envoy.yaml', () => {
    const text = fc.oneof(
      fc.string(),
      corrupted,
      anyLayout,
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    const technicalId = fc.oneof(fc.constant(TECHNICAL_ID), fc.constant(undefined), fc.string());
    fc.assert(
      fc.property(text, settingsArb, technicalId, (envoy, s, id) => {
        const object = withEnvoyYaml(envoy);
        const result = mutateApiserverProxyConfigMap(object, s, id);
        expect(fastJsonPatch.compare(object, result.object).every((op) => op.path === '/data/envoy.yaml')).toBe(true);
        if (result.skipped) expect(result.object).toBe(object);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on objects of any shape', () => {
    fc.assert(
      fc.property(fc.object({ withNullPrototype: false }), settingsArb, (object, s) => {
        mutateApiserverProxyConfigMap(object as KubeObject, s, TECHNICAL_ID);
        mutateApiserverProxyConfigMap({ ...legacyObject, data: object } as KubeObject, s, TECHNICAL_ID);
      }),
      { numRuns: 200 },
    );
  });

  it('is idempotent from any start', () => {
    fc.assert(
      fc.property(anyLayout, settingsArb, (envoy, target) => {
        const once = mutateApiserverProxyConfigMap(withEnvoyYaml(envoy), target, TECHNICAL_ID).object;
        expect(mutateApiserverProxyConfigMap(once, target, TECHNICAL_ID).object).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('never lowers a rendering nor changes its destination value, whatever sequence of targets it sees', () => {
    const stateOf = (text: string): EnvoyState & { value?: string } => {
      const layout = readGardenerLayout(text);
      if (layout) return { ...gardenerLayoutState(layout), value: existingDestinationValue(gardenerLayoutHeaders(layout)) };
      const parsed = parseEnvoy(text);
      if ('unrecognised' in parsed) return parsed;
      return { ...parsedEnvoyState(parsed), value: existingDestinationValue(parsedEnvoyHeaders(parsed) ?? []) };
    };
    fc.assert(
      fc.property(anyLayout, fc.array(settingsArb, { minLength: 1, maxLength: 8 }), (envoy, targets) => {
        let object = withEnvoyYaml(envoy);
        let before = stateOf(envoy);
        expect(before).not.toHaveProperty('unrecognised');
        for (const target of targets) {
          const result = mutateApiserverProxyConfigMap(object, target, TECHNICAL_ID);
          const after = stateOf(envoyYaml(result.object));
          if ('unrecognised' in before || 'unrecognised' in after) throw new Error('a rendering became unrecognisable');
          expect(apiserverProxyOrder(after.rendering)).toBeGreaterThanOrEqual(apiserverProxyOrder(before.rendering));
          if (apiserverProxyOrder(before.rendering) >= apiserverProxyOrder(target.phase)) expect(result.object).toBe(object);
          if (before.value !== undefined) expect(after.value).toBe(before.value);
          object = result.object;
          before = after;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('means the same however the input is written', () => {
    fc.assert(
      fc.property(reformattedFrom, settingsArb, ({ source, text }, s) => {
        const expected = mutateApiserverProxyConfigMap(withEnvoyYaml(source), s, TECHNICAL_ID);
        const actual = mutateApiserverProxyConfigMap(withEnvoyYaml(text), s, TECHNICAL_ID);
        expect(actual.reason).toBe(expected.reason);
        expect(meaning(envoyYaml(actual.object))).toEqual(meaning(envoyYaml(expected.object)));
      }),
      { numRuns: 200 },
    );
  });

  it('text edit and structural edit agree on Gardener layout, and the text edit accepts nothing it cannot prove', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(corrupted, fc.constantFrom(...renderings)), settingsArb, (envoy, s) => {
        const destination = legacyDestination(s);
        const fast = editGardenerLayout(envoy, destination);
        if (!fast) return;
        accepted++;
        const structural = editEnvoyStructurally(envoy, destination);
        expect(structural).not.toHaveProperty('unrecognised');
        expect(meaning(fast.text)).toEqual(meaning((structural as { text: string }).text));
        expect(fast.host).toBe((structural as { host: string }).host);
        expect(fast.json).toBe(JSON.stringify(fast.text));
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it("the answer's patch always applies and yields the mutated object", () => {
    fc.assert(
      fc.property(fc.oneof(anyLayout, corrupted), settingsArb, fc.boolean(), (envoy, s, dryRun) => {
        const object = withEnvoyYaml(envoy);
        const verdict = handleApiserverProxy(
          { uid: 'u', operation: 'CREATE', object, dryRun },
          { settings: s, pathParameters: { technicalId: TECHNICAL_ID }, services: {} },
        );
        expect(verdict.allowed).toBe(true);
        const expected = mutateApiserverProxyConfigMap(object, s, TECHNICAL_ID).object;
        // As the apiserver reads it: the encoded patch, with the text edit's rendered JSON text in it.
        const { patch } = toAdmissionResponse('u', verdict);
        const operations = patch ? (JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as Operation[]) : [];
        const applied = fastJsonPatch.applyPatch(structuredClone(object), operations, true, false).newDocument;
        expect(applied).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
