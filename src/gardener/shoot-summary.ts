// A Shoot reduced to what gardenlet's migration check reads. Everything else (spec, secrets references,
// managed fields) is dropped at once, so 10,000 shoots cost a few megabytes.
import type { ShootSummary } from '../config/services.js';
import { isRecord } from '../util/is-record.js';

/**
 * gardener's GetResponsibleSeedName: no spec.seedName means no seed; during a control-plane migration
 * (status differs from spec) the seed still holding the control plane, status.seedName, is responsible.
 */
export function responsibleSeed(specSeedName: string | undefined, statusSeedName: string | undefined): string | undefined {
  if (specSeedName === undefined) return undefined;
  if (statusSeedName === undefined) return specSeedName;
  return statusSeedName !== specSeedName ? statusSeedName : specSeedName;
}

/** The summary, or why the object is not a shoot that can be summarised. */
export function summarizeShoot(raw: unknown, constraintTypes: ReadonlySet<string>): ShootSummary | { error: string } {
  if (!isRecord(raw)) return { error: 'not an object' };
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  const name = metadata.name;
  const namespace = metadata.namespace;
  if (typeof name !== 'string' || name === '') return { error: 'metadata.name is missing' };
  if (typeof namespace !== 'string' || namespace === '') return { error: `shoot ${name} has no metadata.namespace` };
  const spec = isRecord(raw.spec) ? raw.spec : {};
  const status = isRecord(raw.status) ? raw.status : {};
  const provider = isRecord(spec.provider) ? spec.provider : {};
  const summary: ShootSummary = {
    namespace: intern(namespace),
    name,
    seed: internOptional(responsibleSeed(stringOrUndefined(spec.seedName), stringOrUndefined(status.seedName))),
    // Gardener: len(spec.provider.workers) == 0.
    workerless: !Array.isArray(provider.workers) || provider.workers.length === 0,
    constraints: {},
  };
  if (isRecord(status.lastOperation)) {
    summary.lastOperation = { type: intern(String(status.lastOperation.type ?? '')), state: intern(String(status.lastOperation.state ?? '')) };
  }
  if (Array.isArray(status.constraints)) {
    for (const constraint of status.constraints) {
      if (isRecord(constraint) && typeof constraint.type === 'string' && constraintTypes.has(constraint.type)) {
        summary.constraints[intern(constraint.type)] = intern(String(constraint.status ?? ''));
      }
    }
  }
  return summary;
}

export function isSummary(value: ShootSummary | { error: string }): value is ShootSummary {
  return !('error' in value);
}

// Seed names, namespaces, states and statuses repeat across thousands of shoots; one copy each.
const pool = new Map<string, string>();
function intern(value: string): string {
  const known = pool.get(value);
  if (known !== undefined) return known;
  pool.set(value, value);
  return value;
}

function internOptional(value: string | undefined): string | undefined {
  return value === undefined ? undefined : intern(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
