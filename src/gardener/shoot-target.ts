// The per-shoot target a shoot's webhook paths carry: a phase, or a hold (admitted unchanged).
import { isPhase, type Phase } from './settings.js';
export const HOLD = 'hold';
export type ShootTarget = Phase | typeof HOLD;
export function parseShootTarget(segment: string): ShootTarget | undefined {
  return segment === HOLD || isPhase(segment) ? segment : undefined;
}
