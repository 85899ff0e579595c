// Shoot summaries indexed by responsible seed, so a decision reads one seed's shoots without an API call.
import type { ShootLookup, ShootSummary } from './services.js';

export class ShootIndex implements ShootLookup {
  private readonly byKey = new Map<string, ShootSummary>();
  private readonly bySeed = new Map<string, Map<string, ShootSummary>>();
  /** Per seed: derived values, dropped whenever one of the seed's shoots changes. */
  private readonly derived = new Map<string, Map<string, unknown>>();
  private isSynced = false;

  /** A complete, synced index of these shoots (a snapshot file, a one-off list). */
  static of(shoots: Iterable<ShootSummary>): ShootIndex {
    const index = new ShootIndex();
    index.replaceAll(shoots);
    index.markSynced();
    return index;
  }

  synced(): boolean {
    return this.isSynced;
  }

  /** After the first complete list: from now on an empty seed really has no shoots. */
  markSynced(): void {
    this.isSynced = true;
  }

  get size(): number {
    return this.byKey.size;
  }

  shootsOfSeed(seed: string): readonly ShootSummary[] {
    const shoots = this.bySeed.get(seed);
    return shoots ? [...shoots.values()] : [];
  }

  shoot(namespace: string, name: string): ShootSummary | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  derive<T>(seed: string, key: string, compute: (shoots: readonly ShootSummary[]) => T): T {
    let values = this.derived.get(seed);
    if (!values) this.derived.set(seed, (values = new Map()));
    if (values.has(key)) return values.get(key) as T;
    const value = compute(this.shootsOfSeed(seed));
    values.set(key, value);
    return value;
  }

  seeds(): string[] {
    return [...this.bySeed.keys()].sort();
  }

  upsert(shoot: ShootSummary): void {
    const key = `${shoot.namespace}/${shoot.name}`;
    const previous = this.byKey.get(key);
    // A shoot whose responsible seed changed (control-plane migration) moves between seeds.
    if (previous && previous.seed !== shoot.seed) this.unlink(key, previous.seed);
    this.byKey.set(key, shoot);
    if (shoot.seed === undefined) return;
    this.derived.delete(shoot.seed);
    let shoots = this.bySeed.get(shoot.seed);
    if (!shoots) this.bySeed.set(shoot.seed, (shoots = new Map()));
    shoots.set(key, shoot);
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const previous = this.byKey.get(key);
    if (!previous) return;
    this.byKey.delete(key);
    this.unlink(key, previous.seed);
  }

  /** The result of a full list: shoots missing from it are gone. */
  replaceAll(shoots: Iterable<ShootSummary>): void {
    const seen = new Set<string>();
    for (const shoot of shoots) {
      seen.add(`${shoot.namespace}/${shoot.name}`);
      this.upsert(shoot);
    }
    for (const [key, shoot] of this.byKey) {
      if (!seen.has(key)) this.remove(shoot.namespace, shoot.name);
    }
  }

  private unlink(key: string, seed: string | undefined): void {
    if (seed === undefined) return;
    this.derived.delete(seed);
    const shoots = this.bySeed.get(seed);
    if (!shoots) return;
    shoots.delete(key);
    if (shoots.size === 0) this.bySeed.delete(seed);
  }
}
