// The operation an Extension asks for and whether it asks anything, row by row as Gardener decides them.
import { describe, expect, it } from 'vitest';
import { FINALIZER, errorStatus, kubeTime, needsAction, operationType } from '../../src/register/extension-contract.js';
import type { StoredObject } from '../../src/admission/types.js';

const succeeded = { type: 'Create', state: 'Succeeded', progress: 100, description: '', lastUpdateTime: '' };
const ext = (meta: Record<string, unknown> = {}, status?: object): StoredObject => ({
  metadata: { name: 'http-proxy-migrator', namespace: 'shoot--a--b', generation: 2, ...meta },
  spec: { type: 'http-proxy-migrator' },
  status,
});
const op = (value: string) => ({ annotations: { 'gardener.cloud/operation': value } });

describe('operationType', () => {
  it.each([
    ['no status yet', ext(), 'Create'],
    ['an unfinished Create', ext({}, { lastOperation: { ...succeeded, state: 'Error' } }), 'Create'],
    ['a finished Create', ext({}, { lastOperation: succeeded }), 'Reconcile'],
    ['deletion', ext({ deletionTimestamp: '2025-01-01T00:00:00Z' }, { lastOperation: succeeded }), 'Delete'],
    ['migrate, even while deleting', ext({ ...op('migrate'), deletionTimestamp: '2025-01-01T00:00:00Z' }), 'Migrate'],
    ['restore', ext(op('restore'), { lastOperation: { ...succeeded, type: 'Migrate' } }), 'Restore'],
    ['an unfinished Restore', ext({}, { lastOperation: { ...succeeded, type: 'Restore', state: 'Error' } }), 'Restore'],
  ])('%s', (_case, object, expected) => expect(operationType(object)).toBe(expected));
});

describe('needsAction', () => {
  const done = { observedGeneration: 2, lastOperation: succeeded };
  it.each([
    ['the steady state', ext({}, done), false],
    ['a reconcile request', ext(op('reconcile'), done), true],
    ['an unknown annotation value', ext(op('something-else'), done), false],
    ['a new generation', ext({ generation: 3 }, done), true],
    ['a failed last operation', ext({}, { ...done, lastOperation: { ...succeeded, state: 'Error' } }), true],
    ['deletion with our finalizer', ext({ deletionTimestamp: 'x', finalizers: [FINALIZER] }, done), true],
    ['deletion without our finalizer', ext({ deletionTimestamp: 'x', finalizers: ['other'] }, done), false],
  ])('%s', (_case, object, expected) => expect(needsAction(object)).toBe(expected));
});

describe('status', () => {
  it('keeps times in whole seconds, as metav1.Time does', () => {
    expect(kubeTime(new Date('2025-03-04T05:06:07.891Z'))).toBe('2025-03-04T05:06:07Z');
  });
  it('reports an error on one line, with the generation observed', () => {
    const status = errorStatus(ext(), 'Create', 'cannot register:\n  HTTP 500', new Date(0));
    expect(status.lastError!.description).toBe('cannot register: HTTP 500');
    expect(status).toMatchObject({ observedGeneration: 2, lastOperation: { state: 'Error', progress: 50, type: 'Create' } });
  });
});
