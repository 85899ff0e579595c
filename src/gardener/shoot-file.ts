// A shoot snapshot file: YAML documents, a List (ShootList or v1 List) or JSON, as
// `kubectl get shoots -A -o yaml` writes it. Anything that is not a shoot is refused, not skipped.
import type { ShootSummary } from '../config/services.js';
import { UsageError } from '../cli/errors.js';
import { parseDocuments, readText } from '../cli/input.js';
import { isSummary, summarizeShoot } from './shoot-summary.js';

export function loadShootFile(file: string, constraintTypes: ReadonlySet<string>): ShootSummary[] {
  return parseShoots(readText(file), file, constraintTypes);
}

export function parseShoots(text: string, source: string, constraintTypes: ReadonlySet<string>): ShootSummary[] {
  const shoots: ShootSummary[] = [];
  const seenAt = new Map<string, string>();
  const add = (raw: unknown, where: string): void => {
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (kind !== undefined && kind !== 'Shoot') throw new UsageError(`${source}: ${where} is a ${String(kind)}, not a Shoot`);
    const summary = summarizeShoot(raw, constraintTypes);
    if (!isSummary(summary)) throw new UsageError(`${source}: ${where}: ${summary.error}`);
    const key = `${summary.namespace}/${summary.name}`;
    const earlier = seenAt.get(key);
    if (earlier) throw new UsageError(`${source}: shoot ${key} appears twice (${earlier} and ${where})`);
    seenAt.set(key, where);
    shoots.push(summary);
  };
  parseDocuments(text, source).forEach((doc, i) => {
    const where = `document ${i + 1}`;
    const items = (doc as { items?: unknown } | null)?.items;
    const kind = (doc as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && kind.endsWith('List')) {
      if (!Array.isArray(items)) throw new UsageError(`${source}: ${where} is a ${kind} without items`);
      items.forEach((item, j) => add(item, `${where} item ${j + 1}`));
    } else {
      add(doc, where);
    }
  });
  return shoots;
}
