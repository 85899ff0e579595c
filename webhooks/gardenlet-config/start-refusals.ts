// What gardenlet's own start refuses in featureGates (featuregate.SetFromMap in cmd/gardenlet/app/options.go),
// for the GEP-30 gates and IstioTLSTermination: a gate that release does not know, whatever its value, and a
// locked gate set against its lock. Other gates are gardenlet's business.
import { GEP30_GATES, gateAt, unknownBecause } from '../../src/gardener/feature-gates.js';
import type { Release } from '../../src/gardener/releases.js';

/** gardenlet's own errors (component-base wording), each with the release that would refuse it. */
export function startRefusals(gates: Readonly<Record<string, boolean>>, release: Release): string[] {
  const refusals: string[] = [];
  for (const gate of GEP30_GATES) {
    const value = gates[gate];
    if (value === undefined) continue;
    const spec = gateAt(gate, release);
    if (!spec)
      refusals.push(`unrecognized feature gate: ${gate} (gardenlet ${release.version} does not know it: ${unknownBecause(gate, release)})`);
    else if (spec.locked && value !== spec.default) {
      refusals.push(
        `cannot set feature gate ${gate} to ${value}, feature is locked to ${spec.default} (gardenlet ${release.version}, ${spec.stage})`,
      );
    }
  }
  return refusals;
}
