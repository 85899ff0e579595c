// The diff: its patch turns the original into the mutated object, whether or not the two share subtrees
// (as mutations that copy only the changed path do), and it does what fast-json-patch's compare does.
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/admission/diff.js';

type Json = unknown;

/** A copy of `original` that keeps some members as the very same objects and takes others from `other`. */
function sharing(original: Json, other: Json, choices: readonly number[], at = { i: 0 }): Json {
  const choose = (): number => choices[at.i++ % choices.length] ?? 0;
  if (!isRecord(original) || !isRecord(other)) return choose() % 2 === 0 ? original : other;
  const copy: Record<string, Json> = {};
  for (const key of new Set([...Object.keys(original), ...Object.keys(other)])) {
    const choice = choose() % 4;
    if (choice === 0 && key in original) copy[key] = original[key];
    else if (choice === 1 && key in other) copy[key] = other[key];
    else if (choice === 2 && key in original) copy[key] = sharing(original[key], other[key], choices, at);
    // 3: the member is dropped
  }
  return copy;
}

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const asJson = (value: Json): Json => JSON.parse(JSON.stringify(value));
const document = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x/y', 'm~n'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });

describe('diff', () => {
  it('yields a patch that turns the original into a mutated copy sharing parts of it', () => {
    fc.assert(
      fc.property(document, document, fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (original, other, choices) => {
        const mutated = sharing(original, other, choices);
        const before = asJson(original);
        const patch = diff(original, mutated);
        const result = fastJsonPatch.applyPatch(structuredClone(original), patch, true, false).newDocument;
        expect(asJson(result)).toEqual(asJson(mutated));
        expect(asJson(original)).toEqual(before);
        // The same change as fast-json-patch's own compare of the whole documents.
        const theirs = fastJsonPatch.applyPatch(structuredClone(original), fastJsonPatch.compare(original, mutated as object), true, false).newDocument;
        expect(asJson(result)).toEqual(asJson(theirs));
      }),
      { numRuns: 500 },
    );
  });

  it('does not walk a subtree that is the same object on both sides', () => {
    const shared = { spec: { containers: [{ name: 'vpn-shoot' }] } };
    // A getter that throws proves the shared subtree is never read.
    Object.defineProperty(shared.spec, 'trap', { enumerable: true, get: () => { throw new Error('walked'); } });
    const original = { metadata: { name: 'a' }, template: shared };
    const mutated = { metadata: { name: 'b' }, template: shared };
    expect(diff(original, mutated)).toEqual([{ op: 'replace', path: '/metadata/name', value: 'b' }]);
  });

  it('escapes member names in the paths it builds', () => {
    expect(diff({ 'a/b': { 'c~d': 1 } }, { 'a/b': { 'c~d': 2 } })).toEqual([{ op: 'replace', path: '/a~1b/c~0d', value: 2 }]);
  });
});
