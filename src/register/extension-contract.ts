// Gardener's contract for Extension objects (extensions/pkg/controller/extension), as pure functions:
// which operation an Extension asks for, whether it needs us at all, and the status that answers it.
// gardenlet waits until the Extension reports lastOperation Succeeded, observedGeneration equal to its
// generation, no lastError and no operation annotation.
import type { StoredObject } from '../admission/types.js';

export const OPERATION_ANNOTATION = 'gardener.cloud/operation';
export const FINALIZER = 'extensions.gardener.cloud/http-proxy-migrator';

export type OperationType = 'Create' | 'Reconcile' | 'Delete' | 'Migrate' | 'Restore';
export type OperationState = 'Succeeded' | 'Error';

export interface LastOperation {
  type: OperationType;
  state: string;
  progress: number;
  description: string;
  lastUpdateTime: string;
}

export interface ExtensionStatus {
  observedGeneration?: number;
  lastOperation?: LastOperation;
  lastError?: { description: string; lastUpdateTime: string };
  [field: string]: unknown;
}

export function statusOf(ext: StoredObject): ExtensionStatus {
  return (ext.status ?? {}) as ExtensionStatus;
}

function operationAnnotation(ext: StoredObject): string | undefined {
  return ext.metadata.annotations?.[OPERATION_ANNOTATION];
}

export function hasFinalizer(ext: StoredObject): boolean {
  return finalizersOf(ext).includes(FINALIZER);
}

function finalizersOf(ext: StoredObject): string[] {
  return (ext.metadata.finalizers as string[] | undefined) ?? [];
}

/** v1beta1helper.ComputeOperationType: the annotations first, then what the last operation left unfinished. */
export function operationType(ext: StoredObject): OperationType {
  const annotation = operationAnnotation(ext);
  const last = statusOf(ext).lastOperation;
  if (annotation === 'migrate') return 'Migrate';
  if (ext.metadata.deletionTimestamp) return 'Delete';
  if (annotation === 'restore') return 'Restore';
  if (!last) return 'Create';
  if (last.state !== 'Succeeded' && (last.type === 'Create' || last.type === 'Migrate' || last.type === 'Restore')) return last.type;
  return 'Reconcile';
}

/** Migrated away to another seed: nothing but a new migrate or restore may touch it here (ShouldSkipOperation). */
export function isMigrated(ext: StoredObject): boolean {
  const last = statusOf(ext).lastOperation;
  return last?.type === 'Migrate' && last.state === 'Succeeded';
}

/** gardenlet is still restoring the shoot's state: Gardener's OperationAnnotationWrapper leaves it alone. */
export function isWaitingForState(ext: StoredObject): boolean {
  return operationAnnotation(ext) === 'wait-for-state';
}

/**
 * Gardener's predicates: an operation was requested, the spec changed since it was last observed, the
 * last operation did not succeed, or the Extension is being deleted while it still carries our
 * finalizer. Anything else is the steady state, and a resync must not write.
 */
export function needsAction(ext: StoredObject): boolean {
  if (ext.metadata.deletionTimestamp) return hasFinalizer(ext);
  if (hasOperationAnnotation(ext)) return true;
  const status = statusOf(ext);
  if (status.lastOperation?.state !== 'Succeeded') return true;
  return status.observedGeneration !== (ext.metadata.generation ?? 0);
}

/** metav1.Time: RFC 3339 in whole seconds, so gardenlet's `gardener.cloud/timestamp` comparison holds. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ReconcileSucceeded: progress 100, the generation observed, any earlier error cleared. */
export function succeededStatus(ext: StoredObject, type: OperationType, description: string, now: Date): ExtensionStatus {
  const { lastError: _cleared, ...rest } = statusOf(ext);
  return {
    ...rest,
    observedGeneration: ext.metadata.generation ?? 0,
    lastOperation: { type, state: 'Succeeded', progress: 100, description, lastUpdateTime: kubeTime(now) },
  };
}

/** ReconcileError: progress 50 as Gardener reports it, and the same one-line description as lastError. */
export function errorStatus(ext: StoredObject, type: OperationType, description: string, now: Date): ExtensionStatus {
  const line = description.replace(/\s*\n\s*/g, ' ');
  const lastUpdateTime = kubeTime(now);
  return {
    ...statusOf(ext),
    observedGeneration: ext.metadata.generation ?? 0,
    lastOperation: { type, state: 'Error', progress: 50, description: line, lastUpdateTime },
    lastError: { description: line, lastUpdateTime },
  };
}

/** A copy with our finalizer added (`add`) or removed; migrate removes every finalizer (RemoveAllFinalizers). */
export function withFinalizers(ext: StoredObject, change: 'add' | 'remove' | 'remove-all'): StoredObject {
  const next = structuredClone(ext);
  const current = finalizersOf(ext).filter((f) => f !== FINALIZER);
  next.metadata.finalizers = change === 'add' ? [...current, FINALIZER] : change === 'remove' ? current : [];
  return next;
}

export function withoutOperationAnnotation(ext: StoredObject): StoredObject {
  const next = structuredClone(ext);
  const { [OPERATION_ANNOTATION]: _removed, ...rest } = ext.metadata.annotations ?? {};
  next.metadata.annotations = rest;
  return next;
}

/** The operations we carry out and then acknowledge by removing the annotation. */
export function hasOperationAnnotation(ext: StoredObject): boolean {
  const annotation = operationAnnotation(ext);
  return annotation === 'reconcile' || annotation === 'restore' || annotation === 'migrate';
}
