// The decision, pure: given a submitted gardenlet configuration (and the one it replaces) and the shoot
// index, may it be admitted? The webhook and the `validate` command both answer with this.
import type { KubeObject, Operation } from '../../src/admission/types.js';
import type { ShootLookup } from '../../src/config/services.js';
import { readCarrier, type Carrier, type CarrierKind } from './carriers.js';
import { REMOVAL_GATES, type RemovalGate } from './gates.js';
import { alreadyOnWarning, inheritedWarning, notCountedWarning } from './message.js';
import { blockingOfSeed } from './rule.js';

export interface ConfigChange {
  operation: Operation;
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  /** request.kind.kind, for objects without their own kind. */
  kind?: string;
}

export interface GateBlockers {
  gate: string;
  constraint: string;
  /** Every blocking shoot as `namespace/name`, sorted (shared with the index's cache: read only). */
  shoots: readonly string[];
}

export type Decision =
  /** Admitted. `notApplicable` says why when the object holds no gardenlet configuration. */
  | { outcome: 'admit'; seed?: string; carrier?: CarrierKind; warnings: string[]; notApplicable?: string }
  /** A gate is turned on while shoots of the seed would fail gardenlet's start-up check. */
  | { outcome: 'deny'; seed: string; carrier: CarrierKind; blocking: GateBlockers[]; warnings: string[] }
  /** The configuration cannot be read; refused, never admitted by accident. */
  | { outcome: 'invalid'; carrier?: CarrierKind; reason: string }
  /** The shoots needed to decide are not known (no index, or not synced yet): refused until they are. */
  | { outcome: 'unavailable'; seed: string; carrier: CarrierKind; reason: string };

export const NO_SHOOT_INDEX = 'no shoot index (start with --shoots or --garden-kubeconfig)';
export const NOT_SYNCED = 'shoot index not synced';

export function decide(change: ConfigChange, shoots: ShootLookup | undefined): Decision {
  if (!change.object) return { outcome: 'admit', warnings: [], notApplicable: 'no object' };
  const reading = readCarrier(change.object, change.kind);
  if (reading.kind === 'none') return { outcome: 'admit', warnings: [], notApplicable: reading.reason };
  if (reading.kind === 'invalid') return { outcome: 'invalid', reason: reading.reason };
  const carrier = reading.carrier;
  const old = change.operation === 'UPDATE' ? oldCarrier(change, carrier) : undefined;

  const turnedOn: RemovalGate[] = [];
  const keptOn: RemovalGate[] = [];
  const inherited: RemovalGate[] = [];
  for (const gate of REMOVAL_GATES) {
    const value = carrier.config.featureGates[gate.gate];
    // Off or absent never blocks, whatever the gate's default in some release.
    if (value === true) (old?.config.featureGates[gate.gate] === true ? keptOn : turnedOn).push(gate);
    else if (value === undefined && carrier.inheritsGates) inherited.push(gate);
  }
  const seed = carrier.seed;
  if (turnedOn.length + keptOn.length + inherited.length === 0) return { outcome: 'admit', seed, carrier: carrier.kind, warnings: [] };
  if (!seed) {
    if (turnedOn.length > 0) {
      return { outcome: 'invalid', carrier: carrier.kind, reason: `${turnedOn[0]!.gate} is turned on but the seed is unknown: seedConfig.metadata.name is not set` };
    }
    return { outcome: 'admit', carrier: carrier.kind, warnings: [notCountedWarning('the seed name is not set')] };
  }

  const missing = !shoots ? NO_SHOOT_INDEX : !shoots.synced() ? NOT_SYNCED : undefined;
  if (missing) {
    // Only a gate being turned on needs the shoots; anything else is admitted, so a restarting
    // webhook does not hold up unrelated gardenlet changes.
    if (turnedOn.length > 0) return { outcome: 'unavailable', seed, carrier: carrier.kind, reason: missing };
    return {
      outcome: 'admit',
      seed,
      carrier: carrier.kind,
      warnings: [...inherited.map((g) => inheritedWarning(g, seed, undefined)), notCountedWarning(missing)],
    };
  }

  const blockingOf = (constraint: string): readonly string[] => blockingOfSeed(shoots!, seed, constraint);
  const blockersOf = (gate: RemovalGate): GateBlockers => ({ gate: gate.gate, constraint: gate.constraint, shoots: blockingOf(gate.constraint) });
  const warnings: string[] = [];
  for (const gate of keptOn) {
    const count = blockingOf(gate.constraint).length;
    if (count > 0) warnings.push(alreadyOnWarning(gate, seed, count));
  }
  for (const gate of inherited) {
    const count = blockingOf(gate.constraint).length;
    // With no blocker, whatever the parent sets passes: nothing left unjudged.
    if (count > 0) warnings.push(inheritedWarning(gate, seed, count));
  }
  const blocking = turnedOn.map(blockersOf).filter((b) => b.shoots.length > 0);
  if (blocking.length > 0) return { outcome: 'deny', seed, carrier: carrier.kind, blocking, warnings };
  return { outcome: 'admit', seed, carrier: carrier.kind, warnings };
}

// The old object counts only if it configured the same seed: moving a config to another seed turns
// its gates on there. An unreadable old object had nothing on.
function oldCarrier(change: ConfigChange, carrier: Carrier): Carrier | undefined {
  if (!change.oldObject) return undefined;
  const reading = readCarrier(change.oldObject, change.kind);
  if (reading.kind !== 'carrier' || reading.carrier.seed !== carrier.seed) return undefined;
  return reading.carrier;
}
