// The GEP-30 feature gates of gardenlet, release by release, as Gardener declares them in
// pkg/features/features.go (registered for gardenlet in pkg/gardenlet/features/features.go), read at
// every v1.1xx.0 tag from v1.112 to v1.149 and HEAD (v1.150.0-dev); patch releases change none of them.
// Other gardenlet gates are gardenlet's own business and not judged here.
import type { Release } from './releases.js';

export type Stage = 'Alpha' | 'Beta' | 'GA';

export interface GateSpec {
  stage: Stage;
  default: boolean;
  /** LockToDefault: any other value stops gardenlet at start. */
  locked: boolean;
}

/** One row of a gate's history: from this minor on (until the next row), the gate is `spec`, or unknown when null. */
interface StageRow {
  from: number;
  spec: GateSpec | null;
}

const alpha: GateSpec = { stage: 'Alpha', default: false, locked: false };
const beta: GateSpec = { stage: 'Beta', default: true, locked: false };
const ga: GateSpec = { stage: 'GA', default: true, locked: true };
const removed = null;

const GATE_HISTORY: Readonly<Record<string, readonly StageRow[]>> = {
  // #11380 (alpha), #11902 (beta), #12341 (GA), #12406 (removed)
  RemoveAPIServerProxyLegacyPort: [
    { from: 113, spec: alpha },
    { from: 119, spec: beta },
    { from: 122, spec: ga },
    { from: 123, spec: removed },
  ],
  // #11085 (alpha), beta with v1.144
  IstioTLSTermination: [
    { from: 114, spec: alpha },
    { from: 144, spec: beta },
  ],
  // #13003 (alpha), #14422 (beta), #14899 (GA), #14999 (removed)
  UseUnifiedHTTPProxyPort: [
    { from: 130, spec: alpha },
    { from: 140, spec: beta },
    { from: 144, spec: ga },
    { from: 145, spec: removed },
  ],
  // #15132 (alpha)
  RemoveHTTPProxyLegacyPort: [{ from: 148, spec: alpha }],
};

export const GEP30_GATES: readonly string[] = Object.keys(GATE_HISTORY);

/** The gate in that release; undefined when that gardenlet does not know it (not yet added, or removed). */
export function gateAt(gate: string, release: Release): GateSpec | undefined {
  let spec: GateSpec | null = null;
  for (const row of GATE_HISTORY[gate] ?? []) if (row.from <= release.minor) spec = row.spec;
  return spec ?? undefined;
}

/** Why a gate is unknown in a release: "removed in v1.123" or "added in v1.148". */
export function unknownBecause(gate: string, release: Release): string {
  const rows = GATE_HISTORY[gate] ?? [];
  const first = rows[0];
  if (first && release.minor < first.from) return `added in v1.${first.from}`;
  const gone = [...rows].reverse().find((r) => r.spec === null && r.from <= release.minor);
  return gone ? `removed in v1.${gone.from}` : 'not a gardenlet gate';
}

/**
 * The gate's value as gardenlet's featuregate.SetFromMap leaves it (k8s.io/component-base): a named
 * gate has its value; `AllAlpha` / `AllBeta` set the Alpha / Beta gates the map does not name; else the default.
 */
export function effectiveValue(gates: Readonly<Record<string, boolean>>, gate: string, spec: GateSpec): boolean {
  const named = gates[gate];
  if (named !== undefined) return named;
  if (spec.stage === 'Alpha' && gates.AllAlpha !== undefined) return gates.AllAlpha;
  if (spec.stage === 'Beta' && gates.AllBeta !== undefined) return gates.AllBeta;
  return spec.default;
}
