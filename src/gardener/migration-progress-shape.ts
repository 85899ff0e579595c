// What the status surfaces report per seed and removal gate: the shape only, computed in src/gardener
// (migration-progress.ts) and shown by src/server, which does not reach into the shoot index itself.

export interface ShootGroup {
  /** An open key: the audit's blocking reason (ignored, last-operation-failed, …) or a skip reason. */
  reason: string;
  count: number;
  /** What an operator can do about this reason (blocking groups). */
  remedy?: string;
  first: { shoot: string; detail?: string }[];
}

export interface GateProgress {
  gate: string;
  constraint: string;
  /** Shoots gardenlet's check counts: migrated + blocking. */
  counted: number;
  migrated: number;
  blocking: number;
  skipped: number;
  blockingByReason: ShootGroup[];
  skippedByReason: ShootGroup[];
}

/** The gardenlet release a configuration of this seed that names none itself is judged by, and from where. */
export interface SeedRelease {
  /** null: not known, decisions for this seed are not release-aware. */
  version: string | null;
  /** Where it was learned (the seed's status.gardener.version, or --gardener-version), or what was tried. */
  source: string;
  releaseAware: boolean;
  /** The seed names a release that cannot be read: its gardenlet configuration is refused. */
  invalid?: string;
}

export interface SeedProgress {
  seed: string;
  release: SeedRelease;
  gates: GateProgress[];
}
