// The gardenlet release each seed runs now (Seed status.gardener.version), by seed name: all the
// gardenlet-config webhook needs from Seeds, a few bytes per seed.
import type { SeedLookup } from './services.js';
import { isRecord } from '../util/is-record.js';

export interface SeedSummary {
  name: string;
  /** status.gardener.version, as written (bounded). */
  gardenletVersion?: string;
}

export class SeedIndex implements SeedLookup {
  private readonly versions = new Map<string, string | undefined>();
  private isSynced = false;

  static of(seeds: Iterable<SeedSummary>): SeedIndex {
    const index = new SeedIndex();
    index.replaceAll(seeds);
    return index;
  }

  synced(): boolean {
    return this.isSynced;
  }

  get size(): number {
    return this.versions.size;
  }

  gardenletVersion(seed: string): string | undefined {
    return this.versions.get(seed);
  }

  upsert(seed: SeedSummary): void {
    this.versions.set(seed.name, seed.gardenletVersion);
  }

  remove(name: string): void {
    this.versions.delete(name);
  }

  /** A complete list: seeds missing from it are gone. */
  replaceAll(seeds: Iterable<SeedSummary>): void {
    this.versions.clear();
    for (const seed of seeds) this.upsert(seed);
    this.isSynced = true;
  }
}

/** A Seed reduced to its name and gardenlet release; undefined for an object without a name. */
export function summarizeSeed(raw: unknown): SeedSummary | undefined {
  const object = isRecord(raw) ? raw : {};
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return undefined;
  const status = isRecord(object.status) ? object.status : {};
  const gardener = isRecord(status.gardener) ? status.gardener : {};
  const version = typeof gardener.version === 'string' && gardener.version !== '' ? gardener.version.slice(0, 64) : undefined;
  return version === undefined ? { name: metadata.name } : { name: metadata.name, gardenletVersion: version };
}
