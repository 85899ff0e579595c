// The audit: per seed and removal gate, which shoots have migrated, which would block the gate (and
// on what constraint status), and which gardenlet's check passes over (and why).
import type { ShootLookup } from '../config/services.js';
import { REMOVAL_GATES } from '../../webhooks/gardenlet-config/gates.js';
import { constraintStatus, shootKey, skipReason } from '../../webhooks/gardenlet-config/rule.js';

export interface GateAudit {
  gate: string;
  constraint: string;
  migrated: string[];
  /** status: "missing", "False", "Unknown" (or whatever else is not "True"). */
  blocking: { shoot: string; status: string }[];
  skipped: { shoot: string; reason: string }[];
}

export interface SeedAudit {
  seed: string;
  gates: GateAudit[];
}

/** Every seed with shoots (or only `seed`), sorted; shoots sorted by `namespace/name`. */
export function auditSeeds(shoots: ShootLookup, seed?: string): SeedAudit[] {
  const seeds = seed === undefined ? shoots.seeds() : [seed];
  return seeds.map((name) => {
    const ofSeed = [...shoots.shootsOfSeed(name)].sort((a, b) => compare(shootKey(a), shootKey(b)));
    return {
      seed: name,
      gates: REMOVAL_GATES.map(({ gate, constraint }) => {
        const audit: GateAudit = { gate, constraint, migrated: [], blocking: [], skipped: [] };
        for (const shoot of ofSeed) {
          const reason = skipReason(shoot);
          const status = constraintStatus(shoot, constraint);
          if (reason !== undefined) audit.skipped.push({ shoot: shootKey(shoot), reason });
          else if (status === 'True') audit.migrated.push(shootKey(shoot));
          else audit.blocking.push({ shoot: shootKey(shoot), status });
        }
        return audit;
      }),
    };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
