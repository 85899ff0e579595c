// Binding a verdict to its request: the AdmissionReview the apiserver expects back.
import { patchToJson } from './patch-json.js';
import type { Verdict } from './response.js';
import type { AdmissionApiVersion, AdmissionResponse, AdmissionReview } from './types.js';

export function toAdmissionResponse(uid: string, verdict: Verdict): AdmissionResponse {
  const response = responseWithoutPatch(uid, verdict);
  const patch = encodedPatch(verdict);
  if (patch !== undefined) {
    response.patch = patch;
    response.patchType = 'JSONPatch';
  }
  return response;
}

function responseWithoutPatch(uid: string, verdict: Verdict): AdmissionResponse {
  const response: AdmissionResponse = { uid, allowed: verdict.allowed };
  if (verdict.status) response.status = verdict.status;
  if (verdict.warnings.length > 0) response.warnings = verdict.warnings;
  return response;
}

/** patchType goes only with a non-empty patch, and never on a refusal: the apiserver rejects either mismatch. */
function encodedPatch(verdict: Verdict): string | undefined {
  if (!verdict.allowed || !verdict.patch || verdict.patch.length === 0) return undefined;
  return base64OfUtf8(patchToJson(verdict.patch, verdict.quoted));
}

export function toAdmissionReview(apiVersion: AdmissionApiVersion, uid: string, verdict: Verdict): AdmissionReview {
  return { apiVersion, kind: 'AdmissionReview', response: toAdmissionResponse(uid, verdict) };
}

/** An answer's JSON text and its length in UTF-8 bytes. */
export interface EncodedReview {
  text: string;
  bytes: number;
}

/**
 * The review as the JSON text the server sends: the same as JSON.stringify(toAdmissionReview(...)),
 * written directly so that the patch's base64 (several kilobytes for a whole envoy.yaml, and never in
 * need of escaping) is not scanned a second time on the hot path, not even to count its bytes.
 */
export function encodeAdmissionReview(apiVersion: AdmissionApiVersion, uid: string, verdict: Verdict): EncodedReview {
  const head = JSON.stringify({ apiVersion, kind: 'AdmissionReview', response: responseWithoutPatch(uid, verdict) });
  const patch = encodedPatch(verdict);
  if (patch === undefined) return { text: head, bytes: Buffer.byteLength(head) };
  // head ends with the response's and the review's closing braces.
  const text = `${head.slice(0, -2)},"patch":"${patch}${PATCH_TYPE_AND_CLOSE}`;
  // Everything but the head is ASCII: base64, and the fixed member names.
  return { text, bytes: Buffer.byteLength(head) - 2 + ',"patch":"'.length + patch.length + PATCH_TYPE_AND_CLOSE.length };
}

const PATCH_TYPE_AND_CLOSE = '","patchType":"JSONPatch"}}';

/**
 * Reused by every patch of up to SCRATCH_BYTES / 3 characters (UTF-8 needs at most 3 bytes for each):
 * encoding is synchronous, and a fresh buffer of a few kilobytes would be an allocation outside V8's
 * heap for every answer.
 */
const SCRATCH_BYTES = 64 * 1024;
const scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);

function base64OfUtf8(text: string): string {
  if (text.length * 3 > SCRATCH_BYTES) return Buffer.from(text).toString('base64');
  return scratch.toString('base64', 0, scratch.write(text));
}
