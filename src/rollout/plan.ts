// The plan: which shoots each wave moves and where each wave stands, from the assignment and a given
// rollout state. The same computation the controller runs, so `register --dry-run --plan` shows it.
import type { Assignment } from './assign.js';
import type { ShootMember } from './cluster-member.js';
import { soaked } from './gate.js';
import { iso, type Clock, type RolloutState } from './rollout-state.js';
import type { Phase } from '../gardener/settings.js';

/**
 * pending: an earlier wave has not finished its soak; open: its shoots enter and move; soaking: all moved,
 * the soak time runs; done: every shoot soaked; halted: open, but the rollout is halted.
 */
export type WaveState = 'pending' | 'open' | 'soaking' | 'done' | 'halted';

export interface PlannedWave {
  name: string;
  target: Phase;
  state: WaveState;
  shoots: string[];
  /** While soaking: when the last shoot's soak ends, if all are healthy now. */
  soakEndsAt?: string;
}

export interface Plan {
  waves: PlannedWave[];
  held: string[];
  unassigned: string[];
  notCounted: string[];
  /** Why each held or not-counted shoot is set apart. */
  reasons: Record<string, string>;
  halt?: RolloutState['halt'];
}

export function computePlan(assignment: Assignment, state: RolloutState, soakMs: number, clock: Clock): Plan {
  const now = clock.now();
  let earlierDone = true;
  const waves = assignment.waves.map(({ wave, shoots }): PlannedWave => {
    const planned: PlannedWave = { name: wave.name, target: wave.target, state: 'pending', shoots: ids(shoots) };
    if (earlierDone) {
      if (soaked(shoots, state.shoots, soakMs, now)) planned.state = 'done';
      else if (state.halt) planned.state = 'halted';
      else if (shoots.every(({ technicalId }) => state.shoots[technicalId]?.movedAt)) {
        planned.state = 'soaking';
        const since = shoots.map(({ technicalId }) => state.shoots[technicalId]?.healthySince);
        if (since.every((s) => s !== undefined))
          planned.soakEndsAt = iso(since.reduce((max, s) => Math.max(max, Date.parse(s!)), 0) + soakMs);
      } else planned.state = 'open';
    }
    earlierDone &&= planned.state === 'done';
    return planned;
  });
  const reasons: Record<string, string> = {};
  for (const m of assignment.held) reasons[m.technicalId] = m.heldBy === 'namespace' ? 'hold on the shoot namespace' : 'hold on the Shoot';
  for (const m of assignment.notCounted) reasons[m.technicalId] = m.notCounted!;
  return {
    waves,
    held: ids(assignment.held),
    unassigned: ids(assignment.unassigned),
    notCounted: ids(assignment.notCounted),
    reasons,
    ...(state.halt ? { halt: state.halt } : {}),
  };
}

/** Sorted, so that a plan reads the same whatever order the Clusters were listed in. */
function ids(members: readonly ShootMember[]): string[] {
  return members.map((m) => m.technicalId).sort();
}
