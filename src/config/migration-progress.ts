// What the status surfaces report per seed and removal gate: the shape only, computed in src/gardener
// (migration-progress.ts) and shown by src/server, which does not reach into the shoot index itself.

export interface ShootGroup {
  /** An open key: a constraint status ("missing", "False", "Unknown") today, richer reasons later. */
  reason: string;
  count: number;
  /** What an operator can do about this reason, where known. */
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

export interface SeedProgress {
  seed: string;
  gates: GateProgress[];
}
