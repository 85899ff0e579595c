// Decoding a body into a review: what is accepted, and the one-line reason for everything else.
import { describe, expect, it } from 'vitest';
import { ReviewDecodeError, decodeReview, isJsonContentType } from '../../src/admission/decode.js';
import { InputError } from '../../src/util/input-error.js';
import { ADMISSION_V1, ADMISSION_V1BETA1 } from '../../src/admission/types.js';

describe('isJsonContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('accepts %s', (type) => {
    expect(isJsonContentType(type)).toBe(true);
  });
  it.each([undefined, '', 'text/plain', 'application/json-patch+json', 'application/yaml'])('refuses %s', (type) => {
    expect(isJsonContentType(type)).toBe(false);
  });
});

describe('decodeReview', () => {
  it.each([ADMISSION_V1, ADMISSION_V1BETA1])('keeps the apiVersion %s', (apiVersion) => {
    const decoded = decodeReview(JSON.stringify({ apiVersion, kind: 'AdmissionReview', request: { uid: 'u' } }));
    expect(decoded).toEqual({ apiVersion, request: { uid: 'u' } });
  });

  it.each([
    ['', 'empty body: expected an AdmissionReview'],
    ['{', /^body is not JSON: /],
    ['"review"', 'body is not a JSON object: expected an AdmissionReview'],
    ['null', 'body is not a JSON object: expected an AdmissionReview'],
    ['{"kind":"Pod","request":{"uid":"u"}}', 'kind "Pod" is not AdmissionReview'],
    ['{"apiVersion":"v1","request":{"uid":"u"}}', /^apiVersion "v1" is not supported/],
    ['{"request":[]}', 'AdmissionReview has no request'],
    ['{"request":{"uid":""}}', 'AdmissionReview request has no uid'],
  ])('refuses %j as bad input, in one line', (body, message) => {
    let error: unknown;
    try {
      decodeReview(body);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ReviewDecodeError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
