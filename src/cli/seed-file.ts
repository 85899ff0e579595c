// A seed snapshot file (`kubectl get seeds -o yaml`): YAML documents, a List or JSON. Anything that is
// not a Seed is refused, not skipped.
import { summarizeSeed, type SeedSummary } from '../gardener/seed-index.js';
import { UsageError } from './errors.js';
import { parseDocuments, readText } from '../util/input.js';

export function loadSeedFile(file: string): SeedSummary[] {
  const seeds: SeedSummary[] = [];
  const add = (raw: unknown, where: string): void => {
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (kind !== undefined && kind !== 'Seed') throw new UsageError(`${file}: ${where} is a ${String(kind)}, not a Seed`);
    const seed = summarizeSeed(raw);
    if (!seed) throw new UsageError(`${file}: ${where}: metadata.name is missing`);
    seeds.push(seed);
  };
  parseDocuments(readText(file), file).forEach((doc, i) => {
    const where = `document ${i + 1}`;
    const kind = (doc as { kind?: unknown } | null)?.kind;
    const items = (doc as { items?: unknown } | null)?.items;
    if (typeof kind === 'string' && kind.endsWith('List')) {
      if (!Array.isArray(items)) throw new UsageError(`${file}: ${where} is a ${kind} without items`);
      items.forEach((item, j) => add(item, `${where} item ${j + 1}`));
    } else add(doc, where);
  });
  return seeds;
}
