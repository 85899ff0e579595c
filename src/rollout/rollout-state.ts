// What the rollout remembers, in the shape the controller keeps in the seed (never only in memory):
// per shoot, when it entered its wave, when it was seen moved and since when it has been healthy; and the
// halt, if any. Times are RFC 3339 strings, as Kubernetes writes them.
import type { Phase } from '../gardener/settings.js';

export interface ShootProgress {
  wave: string;
  target: Phase;
  enteredAt: string;
  /** First seen running the target with healthy workloads. */
  movedAt?: string;
  /** Healthy without interruption since; cleared whenever the shoot is seen not healthy. */
  healthySince?: string;
}

export interface Halt {
  shoot: string;
  managedResource: string;
  condition: string;
  reason: string;
  at: string;
}

export interface RolloutState {
  shoots: Readonly<Record<string, ShootProgress>>;
  halt?: Halt;
  resumedAt?: string;
}

export const EMPTY_STATE: RolloutState = { shoots: {} };

/** The time source, injected so that the gate is a pure function of its inputs. */
export interface Clock {
  now(): number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
