// What the rollout loop needs of a shoot's move: one observed step at a time, and whether it is done.
// The shoot mover (shoot access, the writes in the shoot) provides it; the loop only asks.
import type { MoveStep } from '../rollout/move-step.js';
import type { ShootProgress } from '../rollout/rollout-state.js';
import type { StoredObject as KubeObject } from '../admission/types.js';

export interface MoveOutcome {
  step: MoveStep;
  /** step === 'done' */
  moved: boolean;
}

export interface ShootMoving {
  /** Observes the shoot, takes at most one step of its move, and says where it stands. Leader only. */
  step(technicalId: string, progress: ShootProgress, cluster: KubeObject): Promise<MoveOutcome>;
  /** Each step: closes what is kept for shoots no longer moving (held, gone, moved). */
  retain?(moving: ReadonlySet<string>): void;
  /** On stopping (leadership lost, shutdown): closes what is kept for every shoot. */
  close?(): void;
}
