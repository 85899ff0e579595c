// The garden's view of a shoot, added to the seed's: the Shoot's `APIServerAvailable` and
// `SystemComponentsHealthy` conditions, read from the garden cluster where a garden kubeconfig is given.
// Only False is harm (the Shoot's status lags its reconcile; Progressing and Unknown are no evidence);
// the seed's ManagedResource conditions stay the fresh signal, so the garden can only make a shoot
// unhealthy, never healthy.
import type { Health } from './health.js';
import { isRecord } from '../util/is-record.js';

export const GARDEN_CONDITIONS = ['APIServerAvailable', 'SystemComponentsHealthy'] as const;

/** `shoot`: the garden Shoot (or what a cache keeps of it: `status.conditions`); undefined when not known. */
export function withGardenHealth(seed: Health, shoot: unknown): Health {
  if (seed.state === 'unhealthy' || !isRecord(shoot)) return seed;
  for (const c of gardenConditions(shoot)) {
    if (c.status === 'False') {
      const reason = typeof c.reason === 'string' ? c.reason.slice(0, 100) : '';
      return {
        state: 'unhealthy',
        managedResource: '',
        condition: c.type as string,
        status: 'False',
        reason: `Shoot in the garden${reason ? `: ${reason}` : ''}`,
      };
    }
  }
  return seed;
}

/** The latest transition of the garden conditions, in ms: a flap there restarts the soak too. */
export function gardenStableSince(shoot: unknown): number | undefined {
  let latest: number | undefined;
  for (const c of isRecord(shoot) ? gardenConditions(shoot) : []) {
    const at = typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : NaN;
    if (!Number.isNaN(at) && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

function gardenConditions(shoot: Record<string, unknown>): Record<string, unknown>[] {
  const status = isRecord(shoot.status) ? shoot.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.filter((c): c is Record<string, unknown> => isRecord(c) && (GARDEN_CONDITIONS as readonly unknown[]).includes(c.type));
}
