// A shoot snapshot file: YAML documents, a List (ShootList or v1 List) or JSON, as
// `kubectl get shoots -A -o yaml` writes it. Anything that is not a shoot is refused, not skipped.
import type { ShootSummary } from './services.js';
import { InputError } from '../util/input-error.js';
import { parseDocuments, readText } from '../util/input.js';
import { forEachJsonListItem, forEachJsonListItemInFile, NotAJsonList } from './json-list-items.js';
import { isSummary, summarizeShoot } from './shoot-summary.js';

export function loadShootFile(file: string, constraintTypes: ReadonlySet<string>): ShootSummary[] {
  if (file !== '-') {
    const listed = readJsonList(file, constraintTypes, (onItem) => forEachJsonListItemInFile(file, onItem));
    if (listed) return listed;
  }
  return parseShoots(readText(file), file, constraintTypes);
}

export function parseShoots(text: string, source: string, constraintTypes: ReadonlySet<string>): ShootSummary[] {
  const listed =
    /\S/.exec(text)?.[0] === '{' ? readJsonList(source, constraintTypes, (onItem) => forEachJsonListItem(text, onItem)) : undefined;
  if (listed) return listed;
  const shoots: ShootSummary[] = [];
  const seenAt = new Map<string, string>();
  const add = adder(source, constraintTypes, shoots, seenAt);
  parseDocuments(text, source).forEach((doc, i) => {
    const where = `document ${i + 1}`;
    const items = (doc as { items?: unknown } | null)?.items;
    const kind = (doc as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && kind.endsWith('List')) {
      if (!Array.isArray(items)) throw new InputError(`${source}: ${where} is a ${kind} without items`);
      items.forEach((item, j) => add(item, `${where} item ${j + 1}`));
    } else {
      add(doc, where);
    }
  });
  return shoots;
}

/** A JSON List read item by item, so that a snapshot of thousands of shoots never sits in memory whole. */
function readJsonList(
  source: string,
  constraintTypes: ReadonlySet<string>,
  scan: (onItem: (item: unknown, index: number) => void) => Record<string, unknown>,
): ShootSummary[] | undefined {
  const shoots: ShootSummary[] = [];
  const add = adder(source, constraintTypes, shoots, new Map());
  let rest: Record<string, unknown>;
  try {
    rest = scan((item, i) => add(item, `document 1 item ${i + 1}`));
  } catch (err) {
    // Not a JSON List after all (YAML, one object, or broken), or a file that cannot be read: the general
    // reader takes it, and says what is wrong.
    if (err instanceof NotAJsonList || (err as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw err;
  }
  const kind = rest.kind;
  if (typeof kind !== 'string' || !kind.endsWith('List')) return undefined;
  return shoots;
}

function adder(
  source: string,
  constraintTypes: ReadonlySet<string>,
  shoots: ShootSummary[],
  seenAt: Map<string, string>,
): (raw: unknown, where: string) => void {
  return (raw: unknown, where: string): void => {
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (kind !== undefined && kind !== 'Shoot') throw new InputError(`${source}: ${where} is a ${String(kind)}, not a Shoot`);
    const summary = summarizeShoot(raw, constraintTypes);
    if (!isSummary(summary)) throw new InputError(`${source}: ${where}: ${summary.error}`);
    const key = `${summary.namespace}/${summary.name}`;
    const earlier = seenAt.get(key);
    if (earlier) throw new InputError(`${source}: shoot ${key} appears twice (${earlier} and ${where})`);
    seenAt.set(key, where);
    shoots.push(summary);
  };
}
