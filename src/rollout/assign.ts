// Which wave each shoot belongs to: the first wave whose selector matches (every given criterion must
// hold). Held shoots and shoots that cannot move are set apart before any wave is considered.
import type { ShootMember } from './cluster-member.js';
import { inPercent, stableBucket } from './stable-bucket.js';
import type { ShootSelector, Wave, WavesConfig } from './waves-config.js';

export interface Assignment {
  /** Per wave, in configuration order: the counted shoots it moves. */
  waves: { wave: Wave; shoots: ShootMember[] }[];
  held: ShootMember[];
  /** In no wave: they keep the default target. */
  unassigned: ShootMember[];
  notCounted: ShootMember[];
}

export function assign(members: readonly ShootMember[], config: WavesConfig): Assignment {
  const out: Assignment = { waves: config.waves.map((wave) => ({ wave, shoots: [] })), held: [], unassigned: [], notCounted: [] };
  for (const member of members) {
    if (member.heldBy) out.held.push(member);
    else if (member.notCounted) out.notCounted.push(member);
    else {
      const slot = out.waves.find(({ wave }) => selects(wave.selector, member));
      (slot ? slot.shoots : out.unassigned).push(member);
    }
  }
  return out;
}

export function selects(selector: ShootSelector, member: ShootMember): boolean {
  if (selector.labels && !subset(selector.labels, member.labels)) return false;
  if (selector.annotations && !subset(selector.annotations, member.annotations)) return false;
  if (selector.purposes && !selector.purposes.includes(member.purpose)) return false;
  if (selector.projects && !selector.projects.includes(member.project)) return false;
  if (selector.percent !== undefined && !inPercent(stableBucket(member.technicalId), selector.percent)) return false;
  return true;
}

function subset(wanted: Readonly<Record<string, string>>, have: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(wanted)) if (have[key] !== value) return false;
  return true;
}
