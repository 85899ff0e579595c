// Per seed and removal gate: how many shoots count, how many have migrated, which block and which are
// skipped, grouped by the audit's reasons with its remedies. Counts cover every shoot; only the first
// few of each group are listed, so a seed with thousands of shoots stays a small answer. The groups are
// kept by the index until the seed's shoots change; the seed's release is read each time (seeds change
// on their own).
import type { GateProgress, SeedProgress, SeedRelease, ShootGroup } from './migration-progress-shape.js';
import type { SeedLookup, ShootLookup } from './services.js';
import { auditSeeds, type GateAudit, type SkipGroup } from './audit.js';
import { learnRelease } from './gardenlet-release.js';
import type { Release } from './releases.js';

export type { GateProgress, SeedProgress, SeedRelease, ShootGroup };

/** Shoots listed per group; the counts are always complete. */
export const FIRST_PER_GROUP = 20;

export interface ProgressInputs {
  seeds?: SeedLookup;
  /** --gardener-version: the release where the seed names none. */
  fallback?: Release;
}

function seedProgress(shoots: ShootLookup, seed: string, inputs: ProgressInputs = {}): SeedProgress {
  const gates = shoots.derive(seed, `progress:${FIRST_PER_GROUP}`, () => {
    const audit = auditSeeds(shoots, seed, { perReason: FIRST_PER_GROUP })[0]!;
    // The audit lists skip reasons as it meets them; largest first reads better.
    const skippedByReason = audit.skipped.map(skipGroup).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    return audit.gates.map((gate) => gateProgress(gate, skippedByReason));
  });
  return { seed, release: seedRelease(seed, { shoots, ...inputs }), gates };
}

export function landscapeProgress(shoots: ShootLookup, inputs: ProgressInputs = {}): SeedProgress[] {
  return shoots.seeds().map((seed) => seedProgress(shoots, seed, inputs));
}

/**
 * The release a gardenlet configuration of `seed` is judged by when the object names none itself: the
 * webhook's own order (the seed's status.gardener.version, then --gardener-version), so the page says
 * what a denial would say.
 */
export function seedRelease(seed: string, inputs: ProgressInputs & { shoots?: ShootLookup }): SeedRelease {
  const learning = learnRelease('GardenletConfiguration', {}, seed, inputs);
  switch (learning.kind) {
    case 'learned':
      return { version: learning.release.version, source: learning.source, releaseAware: true };
    case 'unknown':
      return { version: null, source: learning.tried, releaseAware: false };
    case 'invalid':
      return { version: null, source: learning.field, releaseAware: false, invalid: learning.reason };
  }
}

function gateProgress(audit: GateAudit, skippedByReason: ShootGroup[]): GateProgress {
  return {
    gate: audit.gate,
    constraint: audit.constraint,
    counted: audit.migrated + audit.blocking,
    migrated: audit.migrated,
    blocking: audit.blocking,
    skipped: audit.skipped,
    // The audit's groups as they are: its order of reasons, its remedy per reason and gate.
    blockingByReason: audit.reasons.map((r) => ({ reason: r.reason, count: r.count, remedy: r.remedy, first: r.shoots })),
    skippedByReason,
  };
}

/** The audit names a skipped shoot `namespace/name` or `namespace/name  <skip reason with details>`. */
function skipGroup(group: SkipGroup): ShootGroup {
  return {
    reason: group.reason,
    count: group.count,
    first: group.shoots.map((entry) => {
      const gap = entry.indexOf('  ');
      return gap === -1 ? { shoot: entry } : { shoot: entry.slice(0, gap), detail: entry.slice(gap + 2) };
    }),
  };
}
