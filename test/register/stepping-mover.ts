// A stand-in for the shoot mover that behaves like one: each call is one step of the shoot's move, and
// the shoot is moved after a given number of steps (never, for shoots marked stuck). It refuses a call
// without the shoot's Cluster, as the real mover needs it to reach the shoot.
import type { MoveOutcome, ShootMoving } from '../../src/register/rollout-mover.js';
import type { StoredObject as KubeObject } from '../../src/admission/types.js';
import type { ShootProgress } from '../../src/rollout/rollout-state.js';

export class SteppingMover implements ShootMoving {
  /** Steps taken per shoot, with the progress each was asked with. */
  readonly calls = new Map<string, ShootProgress[]>();
  readonly stuck = new Set<string>();

  constructor(private readonly stepsToMove = 2) {}

  step(technicalId: string, progress: ShootProgress, cluster: KubeObject): Promise<MoveOutcome> {
    if (cluster.metadata.name !== technicalId) return Promise.reject(new Error(`Cluster ${cluster.metadata.name} is not ${technicalId}'s`));
    const calls = [...(this.calls.get(technicalId) ?? []), progress];
    this.calls.set(technicalId, calls);
    if (this.stuck.has(technicalId) || calls.length < this.stepsToMove) {
      return Promise.resolve({ step: { step: 'wait', for: 'the apiserver-proxy DaemonSet to roll' }, moved: false });
    }
    return Promise.resolve({ step: { step: 'done' }, moved: true });
  }
}
