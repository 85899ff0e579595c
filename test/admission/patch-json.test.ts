// The patch's JSON text: always what JSON.stringify writes, and a webhook's rendered JSON text is used as given.
import fc from 'fast-check';
import type { Operation as PatchOperation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { patchToJson, type QuotedString } from '../../src/admission/patch-json.js';

const operation = fc.oneof(
  fc.record({
    op: fc.constantFrom('add', 'replace', 'test'),
    path: fc.string(),
    value: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 })),
  }),
  fc.record({ op: fc.constant('remove'), path: fc.string() }),
  fc.record({ op: fc.constantFrom('move', 'copy'), from: fc.string(), path: fc.string() }),
) as fc.Arbitrary<PatchOperation>;

function quotedValues(patch: readonly PatchOperation[]): QuotedString[] {
  return patch.flatMap((op) => {
    const value = (op as { value?: unknown }).value;
    return typeof value === 'string' ? [{ text: value, json: JSON.stringify(value) }] : [];
  });
}

describe('patchToJson', () => {
  it('writes exactly what JSON.stringify writes, with or without quoted strings', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 4 }), fc.boolean(), (patch, withQuoted) => {
        expect(patchToJson(patch, withQuoted ? quotedValues(patch) : [])).toBe(JSON.stringify(patch));
      }),
      { numRuns: 500 },
    );
  });

  it("takes a quoted string's JSON text as given instead of escaping the value again", () => {
    const text = 'a: "b"\n';
    // A different but equivalent JSON text for the same string proves which one was used.
    const json = '"a: \\u0022b\\u0022\\u000a"';
    const patch: PatchOperation[] = [{ op: 'replace', path: '/data/envoy.yaml', value: text }];
    const encoded = patchToJson(patch, [{ text, json }]);
    expect(encoded).toBe(`[{"op":"replace","path":"/data/envoy.yaml","value":${json}}]`);
    expect(JSON.parse(encoded)).toEqual(patch);
  });

  it('escapes values no quoted string matches, and leaves out undefined members as JSON.stringify does', () => {
    const patch = [{ op: 'add', path: '/a', value: 'x\ny', extra: undefined }] as unknown as PatchOperation[];
    expect(patchToJson(patch, [{ text: 'other', json: '"other"' }])).toBe(JSON.stringify(patch));
    const quotedPatch = [{ op: 'add', path: '/a', value: 'x\ny', extra: undefined }] as unknown as PatchOperation[];
    expect(patchToJson(quotedPatch, [{ text: 'x\ny', json: '"x\\ny"' }])).toBe('[{"op":"add","path":"/a","value":"x\\ny"}]');
  });
});
