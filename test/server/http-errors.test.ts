// The server's one mapping from what went wrong to the answer on the wire.
import { describe, expect, it } from 'vitest';
import { decodeReview } from '../../src/admission/decode.js';
import type { Webhook } from '../../src/admission/webhook.js';
import {
  bodyTooLarge,
  closesConnection,
  deadlineMissed,
  methodNotAllowed,
  operatorFailure,
  refusalOf,
  unreadableBody,
  unsupportedContentType,
} from '../../src/server/http-errors.js';
import { InputError } from '../../src/util/input-error.js';

const decodeFailure = (body: string): unknown => {
  try {
    decodeReview(body);
  } catch (err) {
    return err;
  }
  throw new Error('expected a decode error');
};

describe('refusals', () => {
  it('answers a body that is no review with 400 and the reason', () => {
    expect(refusalOf(decodeFailure('{"request":{}}'))).toEqual({ status: 400, reason: 'AdmissionReview request has no uid' });
    expect(refusalOf(decodeFailure(''))).toEqual({ status: 400, reason: 'empty body: expected an AdmissionReview' });
  });

  it('does not answer what is not bad input: that is a bug to surface, not a 400', () => {
    expect(refusalOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(refusalOf(new InputError('bad flag'))).toEqual({ status: 400, reason: 'bad flag' });
  });

  it('gives every HTTP refusal its status and one line', () => {
    expect(methodNotAllowed('GET')).toEqual({ status: 405, reason: 'method GET not allowed: admission reviews are POSTed' });
    expect(unsupportedContentType('text/plain')).toEqual({ status: 415, reason: 'content type "text/plain" is not application/json' });
    expect(unsupportedContentType(undefined)).toEqual({ status: 415, reason: 'content type "" is not application/json' });
    expect(bodyTooLarge(10, 20)).toEqual({ status: 413, reason: 'body of 20 bytes exceeds the limit of 10' });
    expect(bodyTooLarge(10)).toEqual({ status: 413, reason: 'body exceeds the limit of 10 bytes' });
    expect(unreadableBody()).toEqual({ status: 400, reason: 'request body could not be read' });
  });

  it('closes the connection after a refusal the client may still be sending a body for; not after 405 or an answer', () => {
    expect([200, 400, 405, 413, 415, 500].map(closesConnection)).toEqual([false, true, false, true, true, true]);
  });
});

describe('deadlineMissed', () => {
  const webhook = (type: 'mutating' | 'validating'): Webhook => ({ name: 'w', type, timeoutSeconds: 10 }) as unknown as Webhook;

  it('admits unchanged with a warning for a mutating webhook (fail open)', () => {
    const { verdict, failure, timedOut } = deadlineMissed(webhook('mutating'), 9750);
    expect(timedOut).toBe(true);
    expect(failure?.message).toBe('no answer within 9750 ms');
    expect(verdict.allowed).toBe(true);
    expect(verdict.patch).toBeUndefined();
    expect(verdict.warnings.join('\n')).toContain('w: no answer before the deadline; admitted unchanged');
  });

  it('refuses with 500 for a validating webhook (fail closed)', () => {
    const { verdict } = deadlineMissed(webhook('validating'), 0);
    expect(verdict.allowed).toBe(false);
    expect(verdict.status?.code).toBe(500);
    expect(verdict.status?.message).toBe('w: no answer before the deadline; refused until it can be checked');
  });
});

it('answers an operator endpoint that threw with 500 and the message, never the stack', () => {
  const err = new Error('status not available');
  expect(operatorFailure(err)).toEqual({ status: 500, reason: 'could not answer: status not available' });
  expect(operatorFailure('plain')).toEqual({ status: 500, reason: 'could not answer: plain' });
});
