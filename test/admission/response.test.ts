// Verdicts and their encoding: patchType exactly when a non-empty patch goes out, refusals never patch,
// and diff-made patches apply to the object they came from.
import fastJsonPatch from 'fast-json-patch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAdmissionReview, toAdmissionReview } from '../../src/admission/encode.js';
import { allowed, denied, errored, patchResponseFromObjects, patched, skipped, withWarnings } from '../../src/admission/response.js';
import { ADMISSION_V1, ADMISSION_V1BETA1 } from '../../src/admission/types.js';
import { MAX_WARNING_LENGTH } from '../../src/admission/warnings.js';

describe('encoding', () => {
  it('sets patch and patchType together, base64 of the JSON Patch', () => {
    const verdict = patched([{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }]);
    const { response } = toAdmissionReview(ADMISSION_V1BETA1, 'uid-1', verdict);
    expect(response?.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(response!.patch!, 'base64').toString())).toEqual(verdict.patch);
  });

  it('sends neither patch nor patchType for an empty patch', () => {
    expect(toAdmissionReview(ADMISSION_V1BETA1, 'u', patched([])).response).toEqual({ uid: 'u', allowed: true });
    expect(toAdmissionReview(ADMISSION_V1BETA1, 'u', { ...allowed(), patch: [] }).response).toEqual({ uid: 'u', allowed: true });
  });

  it('never sends a patch with a refusal', () => {
    const verdict = { ...denied('no'), patch: [{ op: 'remove' as const, path: '/x' }] };
    const { response } = toAdmissionReview(ADMISSION_V1BETA1, 'u', verdict);
    expect(response).toEqual({ uid: 'u', allowed: false, status: { code: 403, message: 'no', reason: 'Forbidden' } });
  });

  it('keeps the apiVersion and kind of the review', () => {
    expect(toAdmissionReview(ADMISSION_V1BETA1, 'u', allowed())).toMatchObject({ apiVersion: ADMISSION_V1BETA1, kind: 'AdmissionReview' });
  });
});

describe('constructors', () => {
  it('errored is allowed:false with code 500 and InternalError by default', () => {
    expect(errored('broken')).toMatchObject({
      outcome: 'error',
      allowed: false,
      status: { code: 500, reason: 'InternalError', message: 'broken' },
    });
  });

  it('skipped is an allowed verdict with a warning and a reason label', () => {
    expect(skipped('unknown-shoot', 'shoot not known')).toMatchObject({
      allowed: true,
      outcome: 'allowed',
      skipped: 'unknown-shoot',
      warnings: ['shoot not known'],
    });
  });

  it('keeps warnings to one short line each, without duplicates', () => {
    const verdict = withWarnings(allowed('a\n  b'), 'a b', 'x'.repeat(500));
    expect(verdict.warnings).toHaveLength(2);
    expect(verdict.warnings[0]).toBe('a b');
    expect(verdict.warnings[1]!.length).toBe(MAX_WARNING_LENGTH);
  });
});

describe('patchResponseFromObjects', () => {
  it('adds a whole annotations map when the object has none (a hand-written add to /metadata/annotations/x would not apply)', () => {
    const original = { metadata: { name: 'a' } };
    const verdict = patchResponseFromObjects(original, { metadata: { name: 'a', annotations: { x: 'y' } } });
    expect(verdict.patch).toEqual([{ op: 'add', path: '/metadata/annotations', value: { x: 'y' } }]);
  });

  it('is a plain "allowed" when nothing changed', () => {
    expect(patchResponseFromObjects({ a: 1 }, { a: 1 })).toEqual(allowed());
  });

  it('always yields a patch that turns the original into the mutated object', () => {
    // fast-json-patch, the oracle here, refuses paths through `__proto__` (the diff's own test covers that key).
    const json = fc
      .dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
      .filter((value) => !JSON.stringify(value).includes('"__proto__"'));
    fc.assert(
      fc.property(json, json, (original, mutated) => {
        const verdict = patchResponseFromObjects(original, mutated);
        const result = fastJsonPatch.applyPatch(structuredClone(original), verdict.patch ?? [], true, false).newDocument;
        // Compared as the apiserver sees them, in JSON, where -0 and 0 are one number.
        expect(asJson(result)).toEqual(asJson(mutated));
      }),
      { numRuns: 200 },
    );
  });
});

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('encodeAdmissionReview', () => {
  it('writes the same review as JSON.stringify would (field order aside), and counts its bytes, for every verdict', () => {
    const op = fc.record({ op: fc.constantFrom('add', 'replace', 'remove'), path: fc.string(), value: fc.jsonValue({ maxDepth: 2 }) });
    const verdicts = fc.oneof(
      fc
        .tuple(fc.array(op, { maxLength: 3 }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 2 }))
        .map(([patch, warnings]) => patched(patch as never, ...warnings)),
      fc.tuple(fc.string(), fc.integer({ min: 400, max: 599 })).map(([message, code]) => denied(message, code)),
      fc.array(fc.string(), { maxLength: 2 }).map((warnings) => allowed(...warnings)),
    );
    fc.assert(
      fc.property(fc.constantFrom(ADMISSION_V1, ADMISSION_V1BETA1), fc.string({ unit: 'binary' }), verdicts, (apiVersion, uid, verdict) => {
        const { text, bytes } = encodeAdmissionReview(apiVersion, uid, verdict);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toAdmissionReview(apiVersion, uid, verdict))));
        expect(bytes).toBe(Buffer.byteLength(text));
      }),
      { numRuns: 300 },
    );
  });
});
