// fromMutation: the one way a mutating webhook answers, from its pure mutation.
import { describe, expect, it } from 'vitest';
import { fromMutation } from '../../src/admission/mutation.js';

const original = { kind: 'ConfigMap', metadata: { name: 'a' }, data: { key: 'old' } };

describe('fromMutation', () => {
  it('patches by the diff from the original to the mutated object, with the reason and warnings', () => {
    const mutated = { ...original, data: { key: 'new' } };
    expect(fromMutation(original, { object: mutated, reason: 'moved', warnings: ['w'] })).toEqual({
      outcome: 'patched',
      allowed: true,
      patch: [{ op: 'replace', path: '/data/key', value: 'new' }],
      warnings: ['w'],
      reason: 'moved',
    });
  });

  it('allows the very same object as it is, with the reason and warnings', () => {
    expect(fromMutation(original, { object: original, reason: 'at-target', warnings: ['already there'] })).toEqual({
      outcome: 'allowed',
      allowed: true,
      warnings: ['already there'],
      reason: 'at-target',
    });
  });

  it('admits a skipped object unchanged, saying why in the first warning', () => {
    expect(
      fromMutation(original, { object: original, reason: 'old-client', skipped: 'old-client', warnings: ['too old', 'more'] }),
    ).toEqual({
      outcome: 'allowed',
      allowed: true,
      warnings: ['too old', 'more'],
      skipped: 'old-client',
      reason: 'old-client',
    });
  });

  it('gives a skipped object without a warning a warning naming the reason', () => {
    expect(fromMutation(original, { object: original, reason: 'x', skipped: 'x', warnings: [] }).warnings).toEqual([
      'admitted unchanged: x',
    ]);
  });
});
