// runWebhook: containment of failures by webhook type, and no patch where the apiserver refuses one.
import { describe, expect, it, vi } from 'vitest';
import { allowed, patched, type Verdict } from '../../src/admission/response.js';
import { runWebhook } from '../../src/admission/run.js';
import { admissionReview } from '../support/reviews.js';
import { patchingWebhook, testWebhook, throwingWebhook } from '../support/webhooks.js';

// The admission core passes the context through untouched; these webhooks need none.
const context = {};
const request = (operation: 'CREATE' | 'DELETE' | 'CONNECT' = 'CREATE') => admissionReview({ operation }).request!;

describe('mutating', () => {
  it('fails open on a throw: allowed, no patch, a warning, and the error reported', async () => {
    const result = await runWebhook(throwingWebhook('m', 'mutating'), request(), context);
    expect(result.verdict).toEqual({
      outcome: 'allowed',
      allowed: true,
      warnings: ['m: internal error; admitted unchanged'],
      reason: 'failed',
    });
    expect(result.failure?.message).toBe('handler exploded');
  });

  it.each(['DELETE', 'CONNECT'] as const)('is not called on %s and answers allowed', async (operation) => {
    const handle = vi.fn(() => patched([{ op: 'add', path: '/x', value: 1 }]));
    const result = await runWebhook(testWebhook('m', 'mutating', handle), request(operation), context);
    expect(handle).not.toHaveBeenCalled();
    expect(result).toEqual({ verdict: { ...allowed(), reason: 'no-object' } });
  });

  it('passes a patch through on CREATE', async () => {
    const result = await runWebhook(patchingWebhook(), request(), context);
    expect(result.failure).toBeUndefined();
    expect(result.verdict.patch).toHaveLength(1);
  });
});

describe('validating', () => {
  it('fails closed on a throw: errored 500', async () => {
    const result = await runWebhook(throwingWebhook('v', 'validating'), request(), context);
    expect(result.verdict).toMatchObject({ allowed: false, status: { code: 500 } });
    expect(result.failure).toBeInstanceOf(Error);
  });

  it('fails closed when it returns a patch', async () => {
    const webhook = testWebhook('v', 'validating', () => patched([{ op: 'add', path: '/x', value: 1 }]));
    const result = await runWebhook(webhook, request(), context);
    expect(result.verdict.allowed).toBe(false);
    expect(result.failure?.message).toBe('v returned a patch it may not return');
  });

  it('tolerates an empty patch list', async () => {
    const webhook = testWebhook('v', 'validating', () => ({ ...allowed(), patch: [] }));
    const result = await runWebhook(webhook, request(), context);
    expect(result.failure).toBeUndefined();
    expect(result.verdict).toMatchObject({ allowed: true, outcome: 'allowed', patch: [] });
  });

  it('is called on DELETE', async () => {
    const handle = vi.fn(() => allowed());
    await runWebhook(testWebhook('v', 'validating', handle), request('DELETE'), context);
    expect(handle).toHaveBeenCalledOnce();
  });

  it.each([
    ['undefined', undefined],
    ['an object without allowed', { warnings: [] }],
    ['a non-array patch', { ...allowed(), patch: 'x' }],
    ['a thrown string', 'throw'],
  ])('fails closed on %s', async (_what, value) => {
    const webhook = testWebhook('v', 'validating', () => {
      if (value === 'throw') throw 'plain string';
      return value as unknown as Verdict;
    });
    const result = await runWebhook(webhook, request(), context);
    expect(result.verdict).toMatchObject({ allowed: false, status: { code: 500 } });
    expect(result.failure).toBeInstanceOf(Error);
  });
});
