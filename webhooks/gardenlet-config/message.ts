// What operators read: the denial (bounded, whatever the number of blockers) and the warnings (one
// line each, within the 120 characters the apiserver advises).
import { SHORT_REMEDY, type ReasonGroup } from '../../src/gardener/blocking-reasons.js';
import { REMOVAL_GATES, type RemovalGate } from '../../src/gardener/removal-gates.js';

/** The apiserver prefixes its own ~80 characters; the whole answer stays under 1 KB. */
export const MAX_DENIAL_BYTES = 900;
/** Blocking shoots named in a denial; the rest are counted. */
export const NAMED_BLOCKERS = 10;

export interface DeniedGate {
  gate: string;
  constraint: string;
  shoots: readonly string[];
  reasons?: readonly ReasonGroup[];
}

export interface ReleaseNote {
  version?: string;
  source: string;
}

/**
 * What gardenlet would refuse at start (unknown or locked gates), then per gate whose check would fail:
 * one gate: gardenlet's own error verbatim (what operators saw in the crash loop), then the seed, the
 * count and per reason the first blockers; several gates: one short clause each. Last, the release the
 * configuration was judged for. Bounded whatever the number of blockers.
 */
export function denialMessage(
  seed: string | undefined,
  blocking: readonly DeniedGate[],
  release?: ReleaseNote,
  refusals: readonly string[] = [],
): string {
  const tail = release ? ` [${releaseClause(release)}]` : '';
  let budget = MAX_DENIAL_BYTES - bytes(tail);
  const parts: string[] = [];
  if (refusals.length > 0) {
    const part = clip(
      `gardenlet${release?.version ? ` ${release.version}` : ''} would not start: ${refusals.join('; ')}`,
      blocking.length > 0 ? Math.floor(budget / 2) : budget,
    );
    parts.push(part);
    budget -= bytes(part) + 2;
  }
  if (blocking.length === 1) {
    const only = blocking[0]!;
    const lead = `${gardenletError(only)}; on seed ${seed ?? '?'}, ${shoots(only.shoots.length)} ${only.shoots.length === 1 ? 'does' : 'do'} not: `;
    parts.push(lead + blockers(only, budget - bytes(lead)));
  } else if (blocking.length > 1) {
    const head = `feature gates cannot be enabled on seed ${seed ?? '?'} until every shoot has migrated: `;
    const share = Math.floor((budget - bytes(head)) / blocking.length) - 2;
    const clauses = blocking.map((b) => {
      const lead = `${b.gate} needs constraint ${b.constraint} with status True, ${shoots(b.shoots.length)} lack it: `;
      return lead + blockers(b, share - bytes(lead));
    });
    parts.push(head + clauses.join('; '));
  }
  return parts.join('; ') + tail;
}

export function releaseClause(release: ReleaseNote): string {
  return release.version
    ? `judged for gardenlet ${release.version}, from ${release.source}`
    : `not release-aware: no gardenlet release known`;
}

/** Every answer says which release it assumed; an unknown one says validation was not release-aware. */
export function releaseWarning(release: ReleaseNote, judgedAs?: string): string {
  // What was tried is in the CLI's output; a warning has 120 characters.
  if (!release.version) return 'validation was not release-aware: no gardenlet release in the object, its seed or --gardener-version';
  const newer = judgedAs ? `, newer than known: judged as ${judgedAs}` : '';
  return `gardenlet ${release.version} assumed (from ${release.source})${newer}`;
}

export function alreadyOnWarning(gate: RemovalGate, seed: string, count: number): string {
  return `${gate.gate} stays on; ${shoots(count)} of ${seed} lack ${gate.constraint}=True`;
}

export function inheritedWarning(gate: RemovalGate, seed: string, count: number | undefined, byDefault?: string): string {
  const tail = count === undefined ? '' : `; ${shoots(count)} of ${seed} block it`;
  // Within 120 characters: the default replaces the field's name.
  return byDefault
    ? `${gate.gate} inherited, not judged, ${byDefault}${tail}`
    : `${gate.gate} inherited via mergeWithParent, not judged${tail}`;
}

export function notCountedWarning(why: string): string {
  return `legacy-port gates left on or inherited were not checked: ${why}`;
}

function gardenletError(blockers: DeniedGate): string {
  return (
    REMOVAL_GATES.find((g) => g.gate === blockers.gate)?.gardenletError ??
    `${blockers.gate} needs constraint ${blockers.constraint} with status True on every shoot`
  );
}

/** Per reason (when known) the count, a short remedy and the first shoots; else the first shoots. */
function blockers(gate: DeniedGate, budget: number): string {
  const reasons = gate.reasons ?? [];
  if (reasons.length === 0) return nameList(gate.shoots, gate.shoots.length, budget);
  const share = Math.floor(budget / reasons.length) - 2;
  return reasons
    .map((group) => {
      const lead = `${group.reason} ${group.count} (${SHORT_REMEDY[group.reason]}): `;
      return (
        lead +
        nameList(
          group.shoots.map((s) => s.shoot),
          group.count,
          share - bytes(lead),
        )
      );
    })
    .join('; ');
}

function shoots(count: number): string {
  return `${count} shoot${count === 1 ? '' : 's'}`;
}

/** The first names (at most ten) that fit in `budget` bytes, then "and N more" of `total`. */
function nameList(names: readonly string[], total: number, budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const name of names) {
    if (shown.length === NAMED_BLOCKERS) break;
    const rest = total - shown.length - 1;
    const cost = bytes(name) + 2 + (rest > 0 ? bytes(`, and ${rest} more`) : 0);
    if (used + cost > budget) break;
    shown.push(name);
    used += bytes(name) + 2;
  }
  const more = total - shown.length;
  if (shown.length === 0) return `${more} not named here`;
  return more > 0 ? `${shown.join(', ')}, and ${more} more` : shown.join(', ');
}

function clip(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  return `${Buffer.from(text)
    .subarray(0, Math.max(0, max - 3))
    .toString('utf8')
    .replace(/\uFFFD$/, '')}...`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
