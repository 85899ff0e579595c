// JSON merge patches (RFC 7386) computed by diffing what we read against what we want, as
// controller-runtime's client.MergeFrom does: a field left out stays as it is, null removes it, and
// lists are replaced whole (so a patch of a list carries the resourceVersion it was computed from).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The merge patch that turns `before` into `after`; an empty object when they are equal. */
export function mergePatch(before: unknown, after: unknown): Json {
  if (!isObject(before) || !isObject(after)) return (after === undefined ? null : structuredClone(after)) as Json;
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && after[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined || sameJson(before[key], value)) continue;
    patch[key] = mergePatch(before[key], value);
  }
  return patch;
}

/** RFC 7386 application, as the API server does it. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

export function isEmptyPatch(patch: Json): boolean {
  return isObject(patch) && Object.keys(patch).length === 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
