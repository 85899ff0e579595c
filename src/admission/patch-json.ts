// The JSON text of a patch. Escaping a string for JSON costs V8 several nanoseconds a character, and a
// patch that replaces a whole configuration file (the apiserver-proxy's envoy.yaml) spends most of its
// encoding there. A webhook that renders such a string from a template can render its JSON text as well,
// from literals escaped once; that text is then taken as given instead of escaping the string again.
import type { Operation as PatchOperation } from 'fast-json-patch';

/** A string and its JSON text: `json` is exactly `JSON.stringify(text)`. */
export interface QuotedString {
  readonly text: string;
  readonly json: string;
}

/** `JSON.stringify(patch)`, with the JSON text of any operation value found among `quoted` taken as given. */
export function patchToJson(patch: readonly PatchOperation[], quoted: readonly QuotedString[] = []): string {
  if (quoted.length === 0) return JSON.stringify(patch);
  let json = '[';
  for (let i = 0; i < patch.length; i++) {
    if (i > 0) json += ',';
    json += operationToJson(patch[i]!, quoted);
  }
  return `${json}]`;
}

function operationToJson(operation: PatchOperation, quoted: readonly QuotedString[]): string {
  const value = (operation as { value?: unknown }).value;
  // Equal strings compare in constant time when they are the very string the webhook rendered.
  const known = typeof value === 'string' ? quoted.find((q) => q.text === value) : undefined;
  if (!known) return JSON.stringify(operation);
  // JSON.stringify's members, in its order, leaving out what it leaves out.
  let json = '';
  for (const [key, member] of Object.entries(operation)) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    json += `${json ? ',' : '{'}${JSON.stringify(key)}:${key === 'value' ? known.json : JSON.stringify(member)}`;
  }
  return `${json || '{'}}`;
}
