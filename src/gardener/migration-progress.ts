// Per seed and removal gate: how many shoots count, how many have migrated, which block and which are
// skipped, grouped by reason. Counts cover every shoot; only the first few of each group are listed, so
// a seed with thousands of shoots stays a small answer. Kept by the index until the seed's shoots change.
import type { GateProgress, SeedProgress, ShootGroup } from '../config/migration-progress.js';
import type { ShootLookup } from '../config/services.js';
import { auditSeeds, type GateAudit } from './audit.js';

export type { GateProgress, SeedProgress, ShootGroup };

/** Shoots listed per group; the counts are always complete. */
export const FIRST_PER_GROUP = 20;

export function seedProgress(shoots: ShootLookup, seed: string): SeedProgress {
  return shoots.derive(seed, 'progress', () => ({ seed, gates: auditSeeds(shoots, seed)[0]!.gates.map(gateProgress) }));
}

export function landscapeProgress(shoots: ShootLookup): SeedProgress[] {
  return shoots.seeds().map((seed) => seedProgress(shoots, seed));
}

function gateProgress(audit: GateAudit): GateProgress {
  return {
    gate: audit.gate,
    constraint: audit.constraint,
    counted: audit.migrated.length + audit.blocking.length,
    migrated: audit.migrated.length,
    blocking: audit.blocking.length,
    skipped: audit.skipped.length,
    blockingByReason: group(audit.blocking.map((b) => ({ shoot: b.shoot, reason: blockingReason(b), remedy: remedyFor(b) })), (b) => b.remedy),
    skippedByReason: group(audit.skipped.map((s) => ({ shoot: s.shoot, reason: skipCategory(s.reason), detail: s.reason }))),
  };
}

/** The audit's reason when it gives one, else the constraint's status. */
function blockingReason(blocker: { status: string; reason?: string }): string {
  return blocker.reason ?? `constraint ${blocker.status}`;
}

/** Where the audit names no remedy: what the constraint's status asks of an operator. */
const REMEDY_BY_STATUS: Record<string, string> = {
  missing: 'gardenlet adds the constraint when it reconciles the shoot: trigger a reconcile once the webhooks have moved the shoot (its apiserver-proxy and vpn-shoot).',
  False: 'the shoot still uses the legacy port: check that the webhooks mutated its apiserver-proxy ConfigMap and vpn-shoot (skip reasons in the metrics), then reconcile the shoot.',
  Unknown: 'gardenlet could not tell: look at the shoot\'s last operation and reconcile it.',
};

function remedyFor(blocker: { status: string; remedy?: string }): string | undefined {
  return blocker.remedy ?? REMEDY_BY_STATUS[blocker.status];
}

/** The bounded part of a skip reason ("being created (Create Error)" -> "being created"), for grouping and labels. */
export function skipCategory(reason: string): string {
  const paren = reason.indexOf(' (');
  return paren === -1 ? reason : reason.slice(0, paren);
}

function group<T extends { shoot: string; reason: string; detail?: string }>(items: readonly T[], remedy?: (item: T) => string | undefined): ShootGroup[] {
  const groups = new Map<string, ShootGroup>();
  for (const item of items) {
    let g = groups.get(item.reason);
    if (!g) {
      g = { reason: item.reason, count: 0, first: [] };
      const r = remedy?.(item);
      if (r) g.remedy = r;
      groups.set(item.reason, g);
    }
    g.count++;
    if (g.first.length < FIRST_PER_GROUP) g.first.push(item.detail && item.detail !== item.reason ? { shoot: item.shoot, detail: item.detail } : { shoot: item.shoot });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}
