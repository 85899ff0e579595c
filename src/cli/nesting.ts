// How deep a parsed document nests. JSON.parse reads any depth, but JSON.stringify, YAML dumpers and
// JSON Patch libraries recurse, and overflow the stack somewhere between 3,000 and 10,000 levels.

/** Whether `value` nests arrays and objects more than `limit` levels deep; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
