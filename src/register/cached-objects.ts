// What the registration's caches keep of each watched object: what the decisions read and what its
// merge patches are computed from, nothing else. Whole Extensions and ManagedResources carry status,
// provider config and managed fields that the registration never looks at.
import type { RawObject } from '../gardener/slim-informer.js';
import { HOLD_ANNOTATION } from '../rollout/hold.js';
import { PROGRESS_ANNOTATION } from '../rollout/stored-state.js';
import { OPERATION_ANNOTATION } from './extension-contract.js';
import { REFERENCE_ANNOTATION_PREFIX } from './secret-name.js';
import type { StoredObject } from '../admission/types.js';

const ROLE_LABEL = 'gardener.cloud/role';

type Meta = NonNullable<RawObject['metadata']>;

function identity(meta: Meta | undefined): StoredObject['metadata'] {
  return { name: String(meta?.name ?? ''), namespace: meta?.namespace, resourceVersion: meta?.resourceVersion };
}

/** Only the annotations named, and whether the object has annotations at all (so a patch can add the map). */
function someAnnotations(meta: Meta | undefined, keep: (key: string) => boolean): Record<string, string> | undefined {
  const all = meta?.annotations as Record<string, string> | undefined;
  if (!all) return undefined;
  const kept: Record<string, string> = {};
  for (const key in all) if (keep(key)) kept[key] = all[key]!;
  return kept;
}

/** A copy without the undefined fields. Copied rather than deleted from: objects with deleted keys become slow dictionaries. */
function withDefined<T extends object>(object: T): T {
  const defined = {} as T;
  for (const key in object) if (object[key] !== undefined) defined[key] = object[key];
  return defined;
}

/** Role label, the rollout's hold, deletion and phase: whether the namespace is a shoot's, held, or going away. */
export function slimNamespace(raw: RawObject): StoredObject {
  const meta = raw.metadata;
  const role = (meta?.labels as Record<string, string> | undefined)?.[ROLE_LABEL];
  const hold = (meta?.annotations as Record<string, string> | undefined)?.[HOLD_ANNOTATION];
  const phase = (raw.status as { phase?: string } | undefined)?.phase;
  return {
    metadata: withDefined({
      ...identity(meta),
      labels: role === undefined ? undefined : { [ROLE_LABEL]: role },
      annotations: hold === undefined ? undefined : { [HOLD_ANNOTATION]: hold },
      deletionTimestamp: meta?.deletionTimestamp as string | undefined,
    }),
    ...(phase ? { status: { phase } } : {}),
  };
}

/** Type, generation, deletion, finalizers, the operation annotation, and the status fields of the contract. */
export function slimExtension(raw: RawObject): StoredObject {
  const meta = raw.metadata;
  const status = raw.status as Record<string, unknown> | undefined;
  return withDefined({
    metadata: withDefined({
      ...identity(meta),
      generation: meta?.generation as number | undefined,
      deletionTimestamp: meta?.deletionTimestamp as string | undefined,
      finalizers: meta?.finalizers as string[] | undefined,
      annotations: someAnnotations(meta, (k) => k === OPERATION_ANNOTATION),
    }),
    spec: { type: (raw.spec as { type?: string } | undefined)?.type },
    status: status
      ? withDefined({ observedGeneration: status.observedGeneration, lastOperation: status.lastOperation, lastError: status.lastError })
      : undefined,
  });
}

/** Generation, deletion, the secret reference and rollout progress annotations, and the spec (small: secret references and flags). */
export function slimManagedResource(raw: RawObject): StoredObject {
  const meta = raw.metadata;
  return withDefined({
    metadata: withDefined({
      ...identity(meta),
      generation: meta?.generation as number | undefined,
      deletionTimestamp: meta?.deletionTimestamp as string | undefined,
      annotations: someAnnotations(meta, (k) => k.startsWith(REFERENCE_ANNOTATION_PREFIX) || k === PROGRESS_ANNOTATION),
    }),
    spec: raw.spec,
  });
}
