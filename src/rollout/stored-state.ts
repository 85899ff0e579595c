// The rollout state as it is kept in the seed: per shoot, one annotation on the shoot namespace's webhook
// ManagedResource; the halt, in a ConfigMap of the extension. Read back by every new leader, so anything
// that does not parse is reported, never guessed.
import { isPhase } from '../gardener/settings.js';
import type { Halt, ShootProgress } from './rollout-state.js';

export const PROGRESS_ANNOTATION = 'http-proxy-migrator.gardener.cloud/rollout';
export const ROLLOUT_CONFIGMAP = 'http-proxy-migrator-rollout';
export const HALT_KEY = 'halt';
/** Its value must be the halt's time, so that a resume meant for one halt never clears a later one. */
export const RESUME_ANNOTATION = 'http-proxy-migrator.gardener.cloud/resume';
/** Far above what the fields take; keeps a tampered annotation from costing unbounded work. */
const MAX_TEXT = 4096;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function encodeProgress(progress: ShootProgress): string {
  const { wave, target, enteredAt, movedAt, healthySince } = progress;
  return JSON.stringify({ wave, target, enteredAt, ...(movedAt ? { movedAt } : {}), ...(healthySince ? { healthySince } : {}) });
}

export function decodeProgress(text: string): ShootProgress | { error: string } {
  const parsed = parseObject(text);
  if ('error' in parsed) return parsed;
  const raw = parsed.object;
  if (typeof raw.wave !== 'string' || raw.wave === '') return { error: 'wave is missing' };
  if (!isPhase(raw.target)) return { error: 'target is not a phase' };
  for (const key of ['enteredAt', 'movedAt', 'healthySince'] as const) {
    const value = raw[key];
    if (
      (key === 'enteredAt' || value !== undefined) &&
      !(typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value)))
    ) {
      return { error: `${key} is not an RFC 3339 time` };
    }
  }
  if (raw.healthySince !== undefined && raw.movedAt === undefined) return { error: 'healthySince without movedAt' };
  return {
    wave: raw.wave,
    target: raw.target,
    enteredAt: raw.enteredAt as string,
    ...(raw.movedAt ? { movedAt: raw.movedAt as string } : {}),
    ...(raw.healthySince ? { healthySince: raw.healthySince as string } : {}),
  };
}

export function encodeHalt(halt: Halt): string {
  return JSON.stringify(halt);
}

export function decodeHalt(text: string): Halt | { error: string } {
  const parsed = parseObject(text);
  if ('error' in parsed) return parsed;
  const raw = parsed.object;
  for (const key of ['shoot', 'managedResource', 'condition', 'reason', 'at'] as const) {
    if (typeof raw[key] !== 'string') return { error: `${key} is missing` };
  }
  if (!RFC3339.test(raw.at as string)) return { error: 'at is not an RFC 3339 time' };
  const { shoot, managedResource, condition, reason, at } = raw as unknown as Halt;
  return { shoot, managedResource, condition, reason, at };
}

/** Whether the operator's resume annotation is meant for this halt. */
export function resumes(annotations: Readonly<Record<string, string>> | undefined, halt: Halt): boolean {
  return annotations?.[RESUME_ANNOTATION] === halt.at;
}

function parseObject(text: string): { object: Record<string, unknown> } | { error: string } {
  if (text.length > MAX_TEXT) return { error: `longer than ${MAX_TEXT} characters` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'not a JSON object' };
  return { object: raw as Record<string, unknown> };
}
