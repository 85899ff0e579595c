// What the rollout controller knows after its last step, as plain data for the status page and metrics:
// the plan (waves, their shoots and states, the soak clock, the halt), where each entered shoot stands,
// and the shoots whose stored state could not be read (left alone until an operator fixes them).
import type { Plan } from './plan.js';
import type { ShootProgress } from './rollout-state.js';

export interface RolloutSnapshot {
  /** RFC 3339: when the step that computed this ended. */
  steppedAt: string;
  /** Steps since this replica began leading. */
  steps: number;
  plan: Plan;
  /** Entered shoots by technical ID. */
  progress: Readonly<Record<string, ShootProgress>>;
  /** Shoots whose Cluster or progress annotation does not read: never entered, never written. */
  unreadable: { shoot: string; problem: string }[];
}

/** Where one shoot of a wave stands. */
export type ShootStanding = 'waiting' | 'moving' | 'moved' | 'unreadable';

export function standing(snapshot: RolloutSnapshot, shoot: string): ShootStanding {
  if (snapshot.unreadable.some((u) => u.shoot === shoot)) return 'unreadable';
  const progress = snapshot.progress[shoot];
  if (!progress) return 'waiting';
  return progress.movedAt ? 'moved' : 'moving';
}
