// The JSON Patch from an object to its mutated copy. Mutations copy only the path to what they change,
// so a subtree that is the very same object on both sides is unchanged and needs no walk: fast-json-patch
// compares only what differs, and its operations are moved under the path where they were found.
import fastJsonPatch, { type Operation as PatchOperation } from 'fast-json-patch';

export function diff(original: unknown, mutated: unknown): PatchOperation[] {
  const operations: PatchOperation[] = [];
  diffInto(original, mutated, '', operations);
  return operations;
}

function diffInto(original: unknown, mutated: unknown, path: string, operations: PatchOperation[]): void {
  if (original === mutated) return;
  if (!isRecord(original) || !isRecord(mutated)) {
    // At the root fast-json-patch needs documents on both sides; below it, the member's parent is given.
    if (path === '') operations.push(...fastJsonPatch.compare(original as object, mutated as object));
    return;
  }
  const changed: string[] = [];
  for (const key of Object.keys(original)) {
    if (original[key] === mutated[key]) continue;
    if (isRecord(original[key]) && isRecord(mutated[key])) diffInto(original[key], mutated[key], `${path}/${fastJsonPatch.escapePathComponent(key)}`, operations);
    else changed.push(key);
  }
  for (const key of Object.keys(mutated)) if (!Object.hasOwn(original, key)) changed.push(key);
  if (changed.length === 0) return;
  const before = pick(original, changed);
  const after = pick(mutated, changed);
  for (const operation of fastJsonPatch.compare(before, after)) operations.push({ ...operation, path: path + operation.path });
}

/** A JSON object: arrays are left to fast-json-patch whole, so that their operations keep its order. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(record, key)) picked[key] = record[key];
  return picked;
}
