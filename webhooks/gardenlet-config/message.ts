// What operators read: the denial (bounded, whatever the number of blockers) and the warnings (one
// line each, within the 120 characters the apiserver advises).
import type { RemovalGate } from './gates.js';
import { REMOVAL_GATES } from './gates.js';
import type { GateBlockers } from './validate.js';

/** The apiserver prefixes its own ~80 characters; the whole answer stays well under 1 KB. */
export const MAX_DENIAL_BYTES = 800;
/** Blocking shoots named in a denial; the rest are counted. */
export const NAMED_BLOCKERS = 10;

/**
 * One gate: gardenlet's own error verbatim (what operators saw in the crash loop), then the seed, the
 * count and the first blockers. Several gates: one short clause each, so the message stays bounded.
 */
export function denialMessage(seed: string, blocking: readonly GateBlockers[]): string {
  if (blocking.length === 1) {
    const only = blocking[0]!;
    const lead = `${gardenletError(only)}; on seed ${seed}, ${shoots(only.shoots.length)} ${only.shoots.length === 1 ? 'does' : 'do'} not: `;
    return lead + nameList(only.shoots, MAX_DENIAL_BYTES - bytes(lead));
  }
  const head = `feature gates cannot be enabled on seed ${seed} until every shoot has migrated: `;
  const share = Math.floor((MAX_DENIAL_BYTES - bytes(head)) / blocking.length) - 2;
  const clauses = blocking.map((b) => {
    const lead = `${b.gate} needs constraint ${b.constraint} with status True, ${shoots(b.shoots.length)} lack it: `;
    return lead + nameList(b.shoots, share - bytes(lead));
  });
  return head + clauses.join('; ');
}

export function alreadyOnWarning(gate: RemovalGate, seed: string, count: number): string {
  return `${gate.gate} stays on; ${shoots(count)} of ${seed} lack ${gate.constraint}=True`;
}

export function inheritedWarning(gate: RemovalGate, seed: string, count: number | undefined): string {
  const tail = count === undefined ? '' : `; ${shoots(count)} of ${seed} block it`;
  return `${gate.gate} inherited via mergeWithParent, not judged${tail}`;
}

export function notCountedWarning(why: string): string {
  return `legacy-port gates left on or inherited were not checked: ${why}`;
}

function gardenletError(blockers: GateBlockers): string {
  return REMOVAL_GATES.find((g) => g.gate === blockers.gate)?.gardenletError ?? `${blockers.gate} needs constraint ${blockers.constraint} with status True on every shoot`;
}

function shoots(count: number): string {
  return `${count} shoot${count === 1 ? '' : 's'}`;
}

/** The first blockers (at most ten) that fit in `budget` bytes, then "and N more". */
function nameList(names: readonly string[], budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const name of names) {
    if (shown.length === NAMED_BLOCKERS) break;
    const rest = names.length - shown.length - 1;
    const cost = bytes(name) + 2 + (rest > 0 ? bytes(`, and ${rest} more`) : 0);
    if (used + cost > budget) break;
    shown.push(name);
    used += bytes(name) + 2;
  }
  const more = names.length - shown.length;
  if (shown.length === 0) return `${more} not named here`;
  return more > 0 ? `${shown.join(', ')}, and ${more} more` : shown.join(', ');
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
