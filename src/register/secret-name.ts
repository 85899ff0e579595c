// Gardener's naming for immutable ManagedResource secrets and the references that keep them alive.
// Mirrors kubernetesutils.MakeUnique / utils.ComputeSecretChecksum and the resource manager's
// garbage-collector reference annotations, so the shoot's resource manager treats our objects as its own.
import { createHash } from 'node:crypto';

export const GARBAGE_COLLECTABLE_LABEL = 'resources.gardener.cloud/garbage-collectable-reference';
export const REFERENCE_ANNOTATION_PREFIX = 'reference.resources.gardener.cloud/';

const sha256hex = (value: Buffer | string): string => createHash('sha256').update(value).digest('hex');

/** sha256hex of the concatenated sha256hex of each value, keys sorted: Gardener's ComputeSecretChecksum. */
export function secretChecksum(data: Readonly<Record<string, Buffer>>): string {
  const keys = Object.keys(data).sort();
  return sha256hex(keys.map((k) => sha256hex(data[k]!)).join(''));
}

/** `<base>-<first 8 hex chars of the checksum>`: a new name whenever the content changes (MakeUnique). */
export function uniqueSecretName(base: string, data: Readonly<Record<string, Buffer>>): string {
  return `${base}${base.endsWith('-') ? '' : '-'}${secretChecksum(data).slice(0, 8)}`;
}

/**
 * The annotation that tells the resource manager's garbage collector the secret is still in use
 * (`references.AnnotationKey`). Without it the collector deletes the garbage-collectable secret.
 */
export function referenceAnnotationKey(kind: 'secret' | 'configmap', name: string): string {
  return `${REFERENCE_ANNOTATION_PREFIX}${kind}-${sha256hex(name).slice(0, 8)}`;
}
