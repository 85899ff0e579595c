// The health gate: one pure step of the rollout. A wave opens only when every counted shoot of every
// earlier wave has moved and stayed healthy for the soak time; a shoot that has entered a wave and turns
// unhealthy halts the rollout (no further shoot enters until an operator resumes); a halt moves no shoot back.
import type { Assignment } from './assign.js';
import type { Health } from './health.js';
import type { Phase } from '../config/settings.js';
import { iso, type Clock, type Halt, type RolloutState, type ShootProgress } from './rollout-state.js';

export interface Observation {
  /** The shoot's apiserver-proxy pods run the target ConfigMap and vpn-shoot has the target settings. */
  moved: boolean;
  health: Health;
}

export interface GateInput {
  assignment: Assignment;
  state: RolloutState;
  /** By technical ID; a shoot without an observation is treated as not yet seen (never as healthy). */
  observations: ReadonlyMap<string, Observation>;
  soakMs: number;
  clock: Clock;
}

export interface Entry {
  technicalId: string;
  wave: string;
  target: Phase;
}

export interface GateStep {
  state: RolloutState;
  /** Shoots whose move starts now: the controller writes their target. */
  entered: Entry[];
  /** Set when this step halted the rollout. */
  halted?: Halt;
}

export function advance({ assignment, state, observations, soakMs, clock }: GateInput): GateStep {
  const now = clock.now();
  const shoots: Record<string, ShootProgress> = { ...state.shoots };
  let halt = state.halt;
  let halted: Halt | undefined;
  for (const { shoots: members } of assignment.waves) {
    for (const { technicalId } of members) {
      const progress = shoots[technicalId];
      const observation = observations.get(technicalId);
      if (!progress || !observation) continue;
      const health = observation.health;
      if (health.state === 'unhealthy') {
        if (!halt) {
          halt = { shoot: technicalId, managedResource: health.managedResource, condition: health.condition, reason: health.reason, at: iso(now) };
          halted = halt;
        }
        shoots[technicalId] = withoutHealthySince(progress);
      } else if (health.state === 'healthy' && (progress.movedAt || observation.moved)) {
        shoots[technicalId] = { ...progress, movedAt: progress.movedAt ?? iso(now), healthySince: progress.healthySince ?? iso(now) };
      } else if (progress.healthySince) {
        // A roll or a gap in reporting restarts the soak; only False conditions halt.
        shoots[technicalId] = withoutHealthySince(progress);
      }
    }
  }
  const next: RolloutState = { ...state, shoots, ...(halt ? { halt } : {}) };
  const entered: Entry[] = [];
  if (!halt) {
    for (const { wave, shoots: members } of assignment.waves) {
      for (const { technicalId } of members) {
        // A shoot that is not healthy before its move is left waiting: its trouble would halt the rollout
        // for something the move did not cause. Hold it to let the wave finish without it.
        if (shoots[technicalId] || observations.get(technicalId)?.health.state !== 'healthy') continue;
        shoots[technicalId] = { wave: wave.name, target: wave.target, enteredAt: iso(now) };
        entered.push({ technicalId, wave: wave.name, target: wave.target });
      }
      if (!soaked(members, shoots, soakMs, now)) break;
    }
  }
  return { state: next, entered, ...(halted ? { halted } : {}) };
}

/** An operator's resume: shoots may enter again; a shoot that is still unhealthy halts again at the next step. */
export function resume(state: RolloutState, clock: Clock): RolloutState {
  const { halt: _halt, ...rest } = state;
  return { ...rest, resumedAt: iso(clock.now()) };
}

/** Whether every shoot has moved and stayed healthy for the soak time (an empty wave is soaked). */
export function soaked(members: readonly { technicalId: string }[], shoots: Readonly<Record<string, ShootProgress>>, soakMs: number, now: number): boolean {
  return members.every(({ technicalId }) => {
    const since = shoots[technicalId]?.healthySince;
    return since !== undefined && now - Date.parse(since) >= soakMs;
  });
}

function withoutHealthySince(progress: ShootProgress): ShootProgress {
  const { healthySince: _since, ...rest } = progress;
  return rest;
}
