// The JSON Patch from an object to its mutated copy. Mutations copy only the path to what they change,
// so a member that is the very same object on both sides is unchanged and needs no walk. Objects are
// walked member by member, arrays element by element with elements matched by identity (so an inserted
// env var is one `add`, not a `replace` of every element after it), and fast-json-patch compares the
// values that differ, its operations moved under the path where they were found.
import fastJsonPatch, { type Operation as PatchOperation } from 'fast-json-patch';

export function diff(original: unknown, mutated: unknown): PatchOperation[] {
  const operations: PatchOperation[] = [];
  if (isContainerPair(original, mutated)) diffInto(original, mutated as Container, '', operations);
  else if (original !== mutated) operations.push(...fastJsonPatch.compare(original as object, mutated as object));
  return operations;
}

type Container = Record<string, unknown> | unknown[];

function diffInto(original: Container, mutated: Container, path: string, operations: PatchOperation[]): void {
  if (original === mutated) return;
  if (Array.isArray(original)) diffArray(original, mutated as unknown[], path, operations);
  else diffRecord(original, mutated as Record<string, unknown>, path, operations);
}

function diffRecord(original: Record<string, unknown>, mutated: Record<string, unknown>, path: string, operations: PatchOperation[]): void {
  const changed: string[] = [];
  for (const key of Object.keys(original)) {
    const before = original[key];
    // Own members only: `__proto__` is an ordinary key in JSON (a ConfigMap may hold one) but not in a lookup.
    const after = Object.hasOwn(mutated, key) ? mutated[key] : undefined;
    if (before === after) continue;
    if (isContainerPair(before, after))
      diffInto(before, after as Container, `${path}/${fastJsonPatch.escapePathComponent(key)}`, operations);
    else changed.push(key);
  }
  for (const key of Object.keys(mutated)) if (!Object.hasOwn(original, key)) changed.push(key);
  if (changed.length === 0) return;
  for (const operation of fastJsonPatch.compare(pick(original, changed), pick(mutated, changed))) {
    operations.push({ ...operation, path: path + operation.path });
  }
}

/**
 * Walks both arrays keeping the patched array equal to `mutated` before `at` and to the rest of
 * `original` from `at` on, so every operation applies where it is emitted. Identity only chooses
 * between adding, removing and changing in place; any choice keeps that invariant.
 */
function diffArray(original: unknown[], mutated: unknown[], path: string, operations: PatchOperation[]): void {
  const inOriginal = new Set(original);
  const inMutated = new Set(mutated);
  let from = 0;
  let at = 0;
  while (from < original.length && at < mutated.length) {
    const before = original[from];
    const after = mutated[at];
    if (before === after) {
      from++;
      at++;
    } else if (!inOriginal.has(after) && inMutated.has(before)) {
      operations.push({ op: 'add', path: `${path}/${at}`, value: asArrayElement(after) });
      at++;
    } else if (!inMutated.has(before) && inOriginal.has(after)) {
      operations.push({ op: 'remove', path: `${path}/${at}` });
      from++;
    } else {
      changeInPlace(before, after, `${path}/${at}`, operations);
      from++;
      at++;
    }
  }
  for (; at < mutated.length; at++) operations.push({ op: 'add', path: `${path}/${at}`, value: asArrayElement(mutated[at]) });
  for (; from < original.length; from++) operations.push({ op: 'remove', path: `${path}/${at}` });
}

/**
 * The element as JSON has it. A mutation may leave members whose value is undefined; JSON has no such
 * members (JSON.stringify drops them, and writes an undefined array element as null), so neither does
 * the patch. Copied only in that rare case: the usual inserted element goes into the patch as it is.
 */
function asArrayElement(value: unknown): unknown {
  if (value === undefined) return null;
  return holdsUndefined(value) ? (JSON.parse(JSON.stringify(value)) as unknown) : value;
}

function holdsUndefined(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (element === undefined || holdsUndefined(element)) return true;
    return false;
  }
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || holdsUndefined(member)) return true;
  }
  return false;
}

function changeInPlace(before: unknown, after: unknown, path: string, operations: PatchOperation[]): void {
  if (isContainerPair(before, after)) return diffInto(before, after as Container, path, operations);
  // fast-json-patch writes the value as JSON would; the element stands at /0 of the one-element arrays.
  for (const operation of fastJsonPatch.compare([before], [after])) operations.push({ ...operation, path: path + operation.path.slice(2) });
}

/** Two objects, or two arrays: walked member by member. Anything else is compared as a value. */
function isContainerPair(a: unknown, b: unknown): a is Container {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  return Array.isArray(a) === Array.isArray(b);
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  // Defined, not assigned: assigning `__proto__` would set the prototype and lose the member.
  for (const key of keys)
    if (Object.hasOwn(record, key))
      Object.defineProperty(picked, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  return picked;
}
