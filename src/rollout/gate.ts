// The health gate: one pure step of the rollout. A wave opens only when every counted shoot of every
// earlier wave has moved and stayed healthy for the soak time. A moved shoot turning unhealthy halts the
// rollout, and so does a move that has not finished within the move timeout (a bad configuration stalls a
// DaemonSet roll as Progressing, not as unhealthy); while halted no further shoot enters until an operator
// resumes. A halt moves no shoot back.
import type { Assignment } from './assign.js';
import type { Health } from './health.js';
import type { Phase } from '../gardener/settings.js';
import { iso, type Clock, type Halt, type RolloutState, type ShootProgress } from './rollout-state.js';

export interface Observation {
  /** The shoot's apiserver-proxy pods run the target ConfigMap and vpn-shoot has the target settings. */
  moved: boolean;
  health: Health;
  /** ms: the latest transition of the health conditions (see stableSince); the soak never starts before it. */
  stableSince?: number;
}

export interface GateInput {
  assignment: Assignment;
  state: RolloutState;
  /** By technical ID; a shoot without an observation is treated as not yet seen (never as healthy). */
  observations: ReadonlyMap<string, Observation>;
  soakMs: number;
  moveTimeoutMs: number;
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

export function advance({ assignment, state, observations, soakMs, moveTimeoutMs, clock }: GateInput): GateStep {
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
      const stop = (found: Omit<Halt, 'shoot' | 'at'>) => {
        if (halt) return;
        halt = { shoot: technicalId, ...found, at: iso(now) };
        halted = halt;
      };
      if (!progress.movedAt) {
        if (health.state === 'healthy' && observation.moved) {
          shoots[technicalId] = { ...progress, movedAt: iso(now), healthySince: iso(now) };
        } else if (now - Date.parse(progress.enteredAt) >= moveTimeoutMs) {
          // During the move a False condition is expected for a moment (the resource manager re-creating the
          // ConfigMap); only a move that does not finish is a failure.
          stop(moveTimedOut(health));
        }
      } else if (health.state === 'unhealthy') {
        stop({ managedResource: health.managedResource, condition: health.condition, reason: health.reason });
        shoots[technicalId] = withoutHealthySince(progress);
      } else if (health.state === 'healthy') {
        const since = soakStart(progress.healthySince, observation.stableSince, now);
        if (since !== progress.healthySince) shoots[technicalId] = { ...progress, healthySince: since };
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
export function soaked(
  members: readonly { technicalId: string }[],
  shoots: Readonly<Record<string, ShootProgress>>,
  soakMs: number,
  now: number,
): boolean {
  return members.every(({ technicalId }) => {
    const since = shoots[technicalId]?.healthySince;
    return since !== undefined && now - Date.parse(since) >= soakMs;
  });
}

export const MOVE_TIMED_OUT = 'MoveTimedOut';

/** The stored soak start, moved later when the conditions changed since (a flap no step saw); never in the future. */
function soakStart(stored: string | undefined, stableSince: number | undefined, now: number): string {
  if (stored === undefined) return iso(now);
  if (stableSince === undefined || stableSince <= Date.parse(stored)) return stored;
  return iso(Math.min(stableSince, now));
}

function moveTimedOut(health: Health): Omit<Halt, 'shoot' | 'at'> {
  switch (health.state) {
    case 'unhealthy':
      return { managedResource: health.managedResource, condition: MOVE_TIMED_OUT, reason: `${health.condition} False: ${health.reason}` };
    case 'healthy':
      return { managedResource: '', condition: MOVE_TIMED_OUT, reason: 'workloads not yet on the target' };
    case 'progressing':
      return { managedResource: health.managedResource, condition: MOVE_TIMED_OUT, reason: 'ResourcesProgressing' };
    case 'unknown':
      return { managedResource: health.managedResource, condition: MOVE_TIMED_OUT, reason: health.why };
  }
}

function withoutHealthySince(progress: ShootProgress): ShootProgress {
  const { healthySince: _since, ...rest } = progress;
  return rest;
}
