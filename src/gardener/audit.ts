// The audit: per seed and removal gate, how many shoots have migrated, how many would block the gate,
// grouped by why (with the remedy and the first shoots of each reason), and how many gardenlet's check
// passes over. Counts and a few names, so that a seed of 10,000 shoots gives a short report.
import type { SeedLookup, ShootLookup, ShootSummary } from './services.js';
import { groupByReason, type ReasonGroup } from './blocking-reasons.js';
import { blocks, shootKey, skipReason } from './migration-check.js';
import { REMOVAL_GATES } from './removal-gates.js';

export interface SkipGroup {
  reason: string;
  count: number;
  shoots: string[];
}

export interface GateAudit {
  gate: string;
  constraint: string;
  migrated: number;
  blocking: number;
  skipped: number;
  /** Why the blocking shoots block, in a fixed order of reasons, with the first shoots of each. */
  reasons: ReasonGroup[];
}

export interface SeedAudit {
  seed: string;
  /** The seed's status.gardener.version, where seeds were read. */
  gardenletVersion?: string;
  gates: GateAudit[];
  /** The shoots gardenlet's check passes over (the same for every gate), by reason. */
  skipped: SkipGroup[];
}

/** Every seed with shoots (or only `seed`), sorted; `perReason` shoots named per reason. */
export function auditSeeds(shoots: ShootLookup, seed?: string, options: { seeds?: SeedLookup; perReason?: number } = {}): SeedAudit[] {
  const perReason = options.perReason ?? 5;
  const names = seed === undefined ? shoots.seeds() : [seed];
  return names.map((name) => {
    const ofSeed = [...shoots.shootsOfSeed(name)].sort((a, b) => compare(shootKey(a), shootKey(b)));
    const counted: ShootSummary[] = [];
    const skipped = new Map<string, SkipGroup>();
    for (const shoot of ofSeed) {
      const reason = skipReason(shoot);
      if (reason === undefined) counted.push(shoot);
      else {
        // The skip reason carries the operation's type and state; group on its first words.
        const key = reason.replace(/ \(.*$/, '');
        let group = skipped.get(key);
        if (!group) skipped.set(key, (group = { reason: key, count: 0, shoots: [] }));
        group.count++;
        if (group.shoots.length < perReason) group.shoots.push(reason === key ? shootKey(shoot) : `${shootKey(shoot)}  ${reason}`);
      }
    }
    const version = options.seeds?.gardenletVersion(name);
    return {
      seed: name,
      ...(version === undefined ? {} : { gardenletVersion: version }),
      gates: REMOVAL_GATES.map((gate) => {
        const blocking = counted.filter((shoot) => blocks(shoot, gate.constraint));
        return {
          gate: gate.gate,
          constraint: gate.constraint,
          migrated: counted.length - blocking.length,
          blocking: blocking.length,
          skipped: ofSeed.length - counted.length,
          reasons: groupByReason(blocking, gate, perReason),
        };
      }),
      skipped: [...skipped.values()],
    };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
