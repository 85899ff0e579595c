// Binding a verdict to its request: the AdmissionReview the apiserver expects back.
import type { Verdict } from './response.js';
import type { AdmissionApiVersion, AdmissionResponse, AdmissionReview } from './types.js';

export function toAdmissionResponse(uid: string, verdict: Verdict): AdmissionResponse {
  const response: AdmissionResponse = { uid, allowed: verdict.allowed };
  if (verdict.status) response.status = verdict.status;
  // patchType only with a non-empty patch, and never on a refusal: the apiserver rejects either mismatch.
  if (verdict.allowed && verdict.patch && verdict.patch.length > 0) {
    response.patch = Buffer.from(JSON.stringify(verdict.patch)).toString('base64');
    response.patchType = 'JSONPatch';
  }
  if (verdict.warnings.length > 0) response.warnings = verdict.warnings;
  return response;
}

export function toAdmissionReview(apiVersion: AdmissionApiVersion, uid: string, verdict: Verdict): AdmissionReview {
  return { apiVersion, kind: 'AdmissionReview', response: toAdmissionResponse(uid, verdict) };
}

/**
 * The review as the JSON text the server sends: the same as JSON.stringify(toAdmissionReview(...)),
 * written directly so that the patch's base64 (several kilobytes for a whole envoy.yaml, and never in
 * need of escaping) is not scanned a second time on the hot path.
 */
export function encodeAdmissionReview(apiVersion: AdmissionApiVersion, uid: string, verdict: Verdict): string {
  const { patch, patchType, ...rest } = toAdmissionResponse(uid, verdict);
  const head = JSON.stringify({ apiVersion, kind: 'AdmissionReview', response: rest });
  if (patch === undefined) return head;
  // head ends with the response's and the review's closing braces.
  return `${head.slice(0, -2)},"patch":"${patch}","patchType":${JSON.stringify(patchType)}}}`;
}
