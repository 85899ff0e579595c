// Small random edits of real renderings, for property tests: the drift a newer or older Gardener, or
// a hand edit, brings to an object the webhooks know.
import fc from 'fast-check';
import type { KubeObject } from '../../src/admission/types.js';

/** Every path into a JSON value, parents before children. */
export function pathsOf(value: unknown, at: string[] = [], into: string[][] = []): string[][] {
  into.push(at);
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...at, key], into);
  }
  return into;
}

export interface Edit {
  pick: number;
  action: 'delete' | 'replace' | 'string-edit';
  value: unknown;
  insert: string;
}

/** Applies small, shape-breaking edits to a rendering: the kind of drift a newer or older Gardener brings. */
export function perturb(object: KubeObject, edits: Edit[]): KubeObject {
  const copy = structuredClone(object);
  for (const edit of edits) {
    const paths = pathsOf(copy).filter((p) => p.length > 0);
    if (paths.length === 0) break;
    const path = paths[edit.pick % paths.length]!;
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], copy) as Record<string, unknown>;
    const key = path.at(-1)!;
    if (edit.action === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (edit.action === 'replace') {
      parent[key] = edit.value;
    } else if (typeof parent[key] === 'string') {
      // Inside a YAML text (envoy.yaml, config.yaml) an edit lands somewhere in the middle.
      const text = parent[key];
      const at = edit.pick % (text.length + 1);
      parent[key] = text.slice(0, at) + edit.insert + text.slice(at + (edit.pick % 3));
    }
  }
  return copy;
}

export const editArb: fc.Arbitrary<Edit> = fc.record({
  pick: fc.nat(),
  action: fc.constantFrom('delete', 'replace', 'string-edit'),
  value: fc.jsonValue({ maxDepth: 3 }),
  insert: fc.stringMatching(/^[ \n#:\-"'&*!|>{}[\],a-zA-Z0-9.]{0,6}$/),
});
