// YAML aliases are references: js-yaml loads `*a` as the very object anchored by `&a`, so ten levels of
// ten-fold aliases load in microseconds as a few dozen objects, but whatever writes them out (JSON,
// YAML without references, a patch) expands them to 10^10 nodes. js-yaml has no limit of its own
// (it bounds nesting depth and merge keys only), so the size a document expands to is measured here,
// once per shared object, before anything else reads it.

/**
 * The characters a value would take written out without references, roughly: each string counts its
 * length, every other node one. Stops counting at `limit` (the result is then above it). Throws
 * `SelfReference` for an alias inside its own anchor, which no writer could ever finish.
 */
export function expandedSize(root: unknown, limit: number): number {
  if (!isContainer(root)) return weight(root);
  const sizes = new Map<Container, number>();
  const open = new Set<Container>();
  // Iterative, depth-first: children are sized before their parent, and no depth overflows the stack.
  const stack: Container[] = [root];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (sizes.has(node)) {
      stack.pop();
      continue;
    }
    if (!open.has(node)) {
      open.add(node);
      for (const child of childrenOf(node)) {
        if (!isContainer(child) || sizes.has(child)) continue;
        // Open and unsized means on the path from the root to here: the child contains its parent.
        if (open.has(child)) throw new SelfReference();
        stack.push(child);
      }
      continue;
    }
    let size = 1;
    for (const [key, child] of entriesOf(node)) {
      size += key.length + (isContainer(child) ? sizes.get(child)! : weight(child));
    }
    // Past the limit nothing more needs to be known: a bomb is refused without being counted out.
    if (size > limit) return size;
    sizes.set(node, size);
    stack.pop();
  }
  return sizes.get(root)!;
}

export class SelfReference extends Error {
  constructor() {
    super('an alias refers to a node that contains it');
    this.name = 'SelfReference';
  }
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

function weight(value: unknown): number {
  return typeof value === 'string' ? value.length + 1 : 1;
}

function childrenOf(node: Container): unknown[] {
  return Array.isArray(node) ? node : Object.values(node);
}

const NO_KEY = '';
function entriesOf(node: Container): Iterable<[string, unknown]> {
  return Array.isArray(node) ? node.map((child) => [NO_KEY, child] as [string, unknown]) : Object.entries(node);
}
