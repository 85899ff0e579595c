// A Shoot reduced to what gardenlet's migration check reads. Everything else (spec, secrets references,
// managed fields) is dropped at once, so 10,000 shoots cost a few megabytes.
import type { ShootSummary } from './services.js';
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
    const state = intern(String(status.lastOperation.state ?? ''));
    summary.lastOperation = { type: intern(String(status.lastOperation.type ?? '')), state };
    // Only a failure's description is kept: it says why the shoot blocks, and it is bounded.
    if (FAILED_STATES.has(state) && typeof status.lastOperation.description === 'string') {
      summary.lastOperation.description = shortDescription(status.lastOperation.description);
    }
  }
  if (Array.isArray(status.constraints)) {
    for (const constraint of status.constraints) {
      if (isRecord(constraint) && typeof constraint.type === 'string' && constraintTypes.has(constraint.type)) {
        const value = intern(String(constraint.status ?? ''));
        summary.constraints[intern(constraint.type)] = value;
        if (value !== 'True' && typeof constraint.reason === 'string' && constraint.reason !== '') {
          (summary.constraintReasons ??= {})[intern(constraint.type)] = intern(shortDescription(constraint.reason, 64));
        }
      }
    }
  }
  const hibernation = isRecord(spec.hibernation) ? spec.hibernation : {};
  // Gardener's HibernationEnabled (what skips the vpn-shoot step) reads the spec: a shoot waking up is reconciled fully.
  if (hibernation.enabled === true) summary.hibernated = true;
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  if (annotations['shoot.gardener.cloud/ignore'] === 'true') summary.ignored = true;
  const gardener = isRecord(status.gardener) ? status.gardener : {};
  if (typeof gardener.version === 'string' && gardener.version !== '') summary.gardenerVersion = intern(gardener.version.slice(0, 64));
  return summary;
}

/** lastOperation states of an operation that did not go through (gardencorev1beta1.LastOperationState). */
export const FAILED_STATES: ReadonlySet<string> = new Set(['Error', 'Failed', 'Aborted']);

/**
 * Operation descriptions quote whatever failed (provider errors, URLs): one line, printable characters
 * only, at most `max` characters, so that 10,000 failing shoots stay small and a message stays readable.
 */
function shortDescription(text: string, max = 160): string {
  const line = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length <= max ? line : `${line.slice(0, max - 3)}...`;
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
