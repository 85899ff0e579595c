// gardenlet's migration check for one shoot, as in VerifyRemoveHTTPProxyLegacyPortMigration (741c12f9)
// and verifyRemoveAPIServerProxyLegacyPortFeatureGate (656b9c23): which shoots count, and which block.
import type { ShootLookup, ShootSummary } from './services.js';

/** Why gardenlet's check passes over a shoot of the seed; undefined when the shoot counts. */
export function skipReason(shoot: ShootSummary): string | undefined {
  // No apiserver-proxy or vpn-shoot runs in a workerless shoot (#11482).
  if (shoot.workerless) return 'workerless';
  // Scheduled but never reconciled: nothing was deployed yet.
  if (!shoot.lastOperation) return 'no last operation (not reconciled yet)';
  const { type, state } = shoot.lastOperation;
  // A creation that has not succeeded has nothing to migrate; a deletion will not finish one (#11482, #11874).
  if ((type === 'Create' || type === 'Delete') && state !== 'Succeeded') {
    return `${type === 'Create' ? 'being created' : 'being deleted'} (${type} ${state || 'without state'})`;
  }
  return undefined;
}

/** The constraint's status on the shoot, or "missing". */
export function constraintStatus(shoot: ShootSummary, constraint: string): string {
  return shoot.constraints[constraint] ?? 'missing';
}

/** A counted shoot blocks unless the constraint is there with status "True" (False and Unknown block). */
export function blocks(shoot: ShootSummary, constraint: string): boolean {
  return skipReason(shoot) === undefined && constraintStatus(shoot, constraint) !== 'True';
}

export function shootKey(shoot: ShootSummary): string {
  return `${shoot.namespace}/${shoot.name}`;
}

/** The blocking shoots as `namespace/name`, sorted. */
export function blockingShoots(shoots: readonly ShootSummary[], constraint: string): string[] {
  const keys: string[] = [];
  for (const shoot of shoots) if (blocks(shoot, constraint)) keys.push(shootKey(shoot));
  return keys.sort();
}

/** The seed's blocking shoots, kept by the index until the seed's shoots change: a large seed is not rescanned per review. */
export function blockingOfSeed(shoots: ShootLookup, seed: string, constraint: string): readonly string[] {
  return shoots.derive(seed, `blocking:${constraint}`, (ofSeed) => blockingShoots(ofSeed, constraint));
}

/** The seed's blocking shoots themselves, sorted by key, kept like blockingOfSeed: the reasons are read from them. */
export function blockingSummariesOfSeed(shoots: ShootLookup, seed: string, constraint: string): readonly ShootSummary[] {
  return shoots.derive(seed, `blocking-summaries:${constraint}`, (ofSeed) =>
    ofSeed
      .filter((shoot) => blocks(shoot, constraint))
      .sort((a, b) => (shootKey(a) < shootKey(b) ? -1 : shootKey(a) > shootKey(b) ? 1 : 0)),
  );
}
