// Turning a request body into a review, with a clear one-line reason for every way it can be wrong.
import { InputError } from '../util/input-error.js';
import { quote } from './quote.js';
import { ADMISSION_V1, ADMISSION_V1BETA1, type AdmissionApiVersion, type AdmissionRequest } from './types.js';

/** The apiserver sends a UUID; an answer must echo it whole, so a longer one is refused instead. */
const MAX_UID_LENGTH = 128;

export interface DecodedReview {
  apiVersion: AdmissionApiVersion;
  request: AdmissionRequest;
}

/** A body that cannot be answered with a review, and why; the server answers it as a bad request. */
export class ReviewDecodeError extends InputError {}

/** Accepts `application/json` with optional parameters (charset), as the apiserver sends it. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  // What the apiserver sends, answered without splitting and folding the header.
  if (contentType === 'application/json') return true;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json';
}

export function decodeReview(body: string): DecodedReview {
  if (body.length === 0) throw new ReviewDecodeError('empty body: expected an AdmissionReview');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new ReviewDecodeError(`body is not JSON: ${jsonErrorWithoutExcerpt((err as Error).message)}`);
  }
  return decodeReviewValue(parsed);
}

/** A review already parsed from JSON (or YAML, offline): the same checks and reasons as a body. */
export function decodeReviewValue(parsed: unknown): DecodedReview {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReviewDecodeError('body is not a JSON object: expected an AdmissionReview');
  }
  const review = parsed as Record<string, unknown>;
  if (review.kind !== undefined && review.kind !== 'AdmissionReview') {
    throw new ReviewDecodeError(`kind ${quote(review.kind)} is not AdmissionReview`);
  }
  const apiVersion = review.apiVersion ?? ADMISSION_V1;
  if (apiVersion !== ADMISSION_V1 && apiVersion !== ADMISSION_V1BETA1) {
    throw new ReviewDecodeError(`apiVersion ${quote(apiVersion)} is not supported: expected ${ADMISSION_V1} or ${ADMISSION_V1BETA1}`);
  }
  const request = review.request;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new ReviewDecodeError('AdmissionReview has no request');
  }
  const uid = (request as Record<string, unknown>).uid;
  if (typeof uid !== 'string' || uid.length === 0) {
    throw new ReviewDecodeError('AdmissionReview request has no uid');
  }
  if (uid.length > MAX_UID_LENGTH) {
    throw new ReviewDecodeError(`AdmissionReview request uid ${quote(uid)} is longer than ${MAX_UID_LENGTH} characters`);
  }
  return { apiVersion, request: request as AdmissionRequest };
}

/**
 * V8 quotes the body around a syntax error (`Unexpected token 'p', ..."nfig": pl4n"... is not valid
 * JSON`), and a body may hold kubeconfigs and tokens: keep what went wrong and where, never the text.
 */
function jsonErrorWithoutExcerpt(message: string): string {
  const stripped = message
    .split('\n', 1)[0]!
    .replace(/,\s*(?:\.\.\.)?".*$/, '')
    .replace(/^Unexpected token \S+/, 'Unexpected token');
  return stripped.includes('"') ? 'invalid JSON' : stripped;
}
