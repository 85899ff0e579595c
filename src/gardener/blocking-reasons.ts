// Why a shoot blocks a removal gate, and what the operator can do about it: the first cause that
// explains the missing or not-True constraint, judged from the fields the shoot index keeps.
import type { ShootLookup, ShootSummary } from './services.js';
import { blockingSummariesOfSeed, constraintStatus, shootKey } from './migration-check.js';
import { parseRelease } from './releases.js';
import type { RemovalGate } from './removal-gates.js';
import { FAILED_STATES } from './shoot-summary.js';

const BLOCKING_REASONS = [
  'ignored',
  'last-operation-failed',
  'constraint-false',
  'constraint-unknown',
  'hibernated',
  'not-reconciled-since-upgrade',
  'constraint-missing',
] as const;
export type BlockingReason = (typeof BLOCKING_REASONS)[number];

export interface BlockingCause {
  reason: BlockingReason;
  /** Per shoot: the failed operation's error, the constraint's reason, the release that last reconciled it. */
  detail?: string;
}

/** The remedy in a few words, for a denial that must stay short. */
export const SHORT_REMEDY: Readonly<Record<BlockingReason, string>> = {
  ignored: 'remove shoot.gardener.cloud/ignore',
  'last-operation-failed': 'fix the error, reconcile',
  'constraint-false': 'see its reason, reconcile',
  'constraint-unknown': 'see its reason, reconcile',
  hibernated: 'wake it or wait',
  'not-reconciled-since-upgrade': 'reconcile it',
  'constraint-missing': 'reconcile it',
};

/** The remedy per reason, for `constraint`'s gate: one line each. */
function remedy(reason: BlockingReason, gate: RemovalGate): string {
  const { constraint, setter } = gate;
  switch (reason) {
    case 'ignored':
      return 'Gardener does not reconcile it: remove the annotation shoot.gardener.cloud/ignore';
    case 'last-operation-failed':
      return `fix the error, then reconcile it (${constraint} is set by a successful ${setter.step})`;
    case 'constraint-false':
    case 'constraint-unknown':
      return `reconcile it once the cause named in the constraint's reason is gone`;
    case 'hibernated':
      return `Gardener skips ${setter.step} while the shoot is hibernated: wake it up, or wait until it wakes`;
    case 'not-reconciled-since-upgrade':
      return `reconcile it (annotate gardener.cloud/operation=reconcile) or wait for its maintenance window; ${constraint} is ${setter.history}`;
    case 'constraint-missing':
      return `reconcile it (annotate gardener.cloud/operation=reconcile); ${constraint} is ${setter.history}`;
  }
}

/** Why `shoot` (which blocks `gate`) blocks it. */
export function blockingCause(shoot: ShootSummary, gate: RemovalGate): BlockingCause {
  const operation = shoot.lastOperation;
  if (shoot.ignored) return { reason: 'ignored' };
  if (operation && FAILED_STATES.has(operation.state)) {
    return {
      reason: 'last-operation-failed',
      detail: `${operation.type} ${operation.state}${operation.description ? `: ${operation.description}` : ''}`,
    };
  }
  const status = constraintStatus(shoot, gate.constraint);
  if (status !== 'missing' && status !== 'True') {
    const why = shoot.constraintReasons?.[gate.constraint];
    return {
      reason: status === 'False' ? 'constraint-false' : 'constraint-unknown',
      detail: `${gate.constraint}=${status}${why ? ` (${why})` : ''}`,
    };
  }
  if (shoot.hibernated && gate.setter.skippedWhileHibernated) return { reason: 'hibernated' };
  const last = shoot.gardenerVersion === undefined ? undefined : parseRelease(shoot.gardenerVersion);
  if (last?.ok && last.release.minor < gate.setter.byDefaultFrom) {
    return { reason: 'not-reconciled-since-upgrade', detail: `last reconciled by gardenlet ${last.release.version}` };
  }
  return { reason: 'constraint-missing' };
}

export interface ReasonGroup {
  reason: BlockingReason;
  remedy: string;
  count: number;
  /** The first shoots (sorted), each with its own detail. */
  shoots: { shoot: string; detail?: string }[];
}

/** Blocking shoots grouped by reason in BLOCKING_REASONS order, the first `perReason` of each named. */
export function groupByReason(blocking: readonly ShootSummary[], gate: RemovalGate, perReason: number): ReasonGroup[] {
  const groups = new Map<BlockingReason, ReasonGroup>();
  const sorted = [...blocking].sort((a, b) => compare(shootKey(a), shootKey(b)));
  for (const shoot of sorted) {
    const cause = blockingCause(shoot, gate);
    let group = groups.get(cause.reason);
    if (!group) groups.set(cause.reason, (group = { reason: cause.reason, remedy: remedy(cause.reason, gate), count: 0, shoots: [] }));
    group.count++;
    if (group.shoots.length < perReason)
      group.shoots.push(cause.detail === undefined ? { shoot: shootKey(shoot) } : { shoot: shootKey(shoot), detail: cause.detail });
  }
  return BLOCKING_REASONS.flatMap((reason) => groups.get(reason) ?? []);
}

/** The seed's blockers of `gate` grouped by reason, kept like blockingOfSeed: a denial on a large seed does not reclassify them. */
export function reasonsOfSeed(shoots: ShootLookup, seed: string, gate: RemovalGate, perReason: number): ReasonGroup[] {
  return shoots.derive(seed, `reasons:${gate.gate}:${perReason}`, () =>
    groupByReason(blockingSummariesOfSeed(shoots, seed, gate.constraint), gate, perReason),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
