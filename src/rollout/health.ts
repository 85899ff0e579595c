// A shoot's health as the seed reports it now: the conditions gardener-resource-manager keeps on the
// ManagedResources that carry apiserver-proxy and vpn-shoot into the shoot (its health of the DaemonSet
// and the Deployment / StatefulSet there). The Shoot status inside a Cluster can be an hour old, so it is
// never read here.
import { isRecord } from '../util/is-record.js';

export const WATCHED_MANAGED_RESOURCES = ['shoot-core-apiserver-proxy', 'shoot-core-vpn-shoot'] as const;

export type Health =
  | { state: 'healthy' }
  /** A roll is under way, or the resource manager has not yet looked at the latest spec. */
  | { state: 'progressing'; managedResource: string }
  /** Not reported (missing object or condition): not healthy, but no evidence of harm either. */
  | { state: 'unknown'; managedResource: string; why: string }
  | { state: 'unhealthy'; managedResource: string; condition: string; status: string; reason: string };

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
}

/** `managedResources` maps a ManagedResource name to the object (or undefined when it does not exist). */
export function shootHealth(managedResources: ReadonlyMap<string, unknown>): Health {
  let pending: Health | undefined;
  for (const name of WATCHED_MANAGED_RESOURCES) {
    const verdict = managedResourceHealth(name, managedResources.get(name));
    if (verdict.state === 'unhealthy') return verdict;
    if (verdict.state !== 'healthy') pending ??= verdict;
  }
  return pending ?? { state: 'healthy' };
}

/**
 * The latest lastTransitionTime of the conditions the gate reads, in ms: the shoot cannot have been
 * continuously healthy since before it. A leader that starts after a flap it did not see restarts the
 * soak from here instead of trusting the stored time.
 */
export function stableSince(managedResources: ReadonlyMap<string, unknown>): number | undefined {
  let latest: number | undefined;
  for (const name of WATCHED_MANAGED_RESOURCES) {
    const raw = managedResources.get(name);
    const status = isRecord(raw) && isRecord(raw.status) ? raw.status : {};
    const conditions = Array.isArray(status.conditions) ? (status.conditions as (Condition & { lastTransitionTime?: unknown })[]) : [];
    for (const c of conditions) {
      if (!isRecord(c) || !['ResourcesApplied', 'ResourcesHealthy', 'ResourcesProgressing'].includes(c.type as string)) continue;
      const at = typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : NaN;
      if (!Number.isNaN(at) && (latest === undefined || at > latest)) latest = at;
    }
  }
  return latest;
}

function managedResourceHealth(name: string, raw: unknown): Health {
  if (!isRecord(raw)) return { state: 'unknown', managedResource: name, why: 'no such ManagedResource' };
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  const status = isRecord(raw.status) ? raw.status : {};
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
  const find = (type: string) => conditions.find((c) => isRecord(c) && c.type === type);
  for (const type of ['ResourcesApplied', 'ResourcesHealthy'] as const) {
    const c = find(type);
    if (!c) return { state: 'unknown', managedResource: name, why: `no ${type} condition` };
    if (c.status !== 'True') {
      // Unknown is what the resource manager reports while it cannot tell; only False is harm.
      if (c.status !== 'False') return { state: 'unknown', managedResource: name, why: `${type} is ${String(c.status)}` };
      return { state: 'unhealthy', managedResource: name, condition: type, status: 'False', reason: text(c.reason) };
    }
  }
  const generation = metadata.generation;
  if (typeof generation === 'number' && status.observedGeneration !== generation) return { state: 'progressing', managedResource: name };
  const progressing = find('ResourcesProgressing');
  if (!progressing) return { state: 'unknown', managedResource: name, why: 'no ResourcesProgressing condition' };
  if (progressing.status !== 'False') return { state: 'progressing', managedResource: name };
  return { state: 'healthy' };
}

/** Reasons are CamelCase words from the resource manager; anything else is cut, never echoed whole. */
function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 100) : '';
}
