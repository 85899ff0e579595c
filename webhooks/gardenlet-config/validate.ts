// The decision, pure: given a submitted gardenlet configuration (and the one it replaces), the shoot
// index and the seeds' releases, may it be admitted? The webhook and the `validate` command both answer
// with this. Judged as the gardenlet release that will read it judges its own configuration at start.
import type { KubeObject, Operation } from '../../src/admission/types.js';
import type { SeedLookup, ShootLookup } from '../../src/gardener/services.js';
import { reasonsOfSeed, type ReasonGroup } from '../../src/gardener/blocking-reasons.js';
import { effectiveValue, gateAt } from '../../src/gardener/feature-gates.js';
import { learnRelease, type ReleaseLearning } from '../../src/gardener/gardenlet-release.js';
import { blockingOfSeed } from '../../src/gardener/migration-check.js';
import { NEWEST_KNOWN_MINOR, minorName, type Release } from '../../src/gardener/releases.js';
import { REMOVAL_GATES, type RemovalGate } from '../../src/gardener/removal-gates.js';
import { readCarrier, type Carrier, type CarrierKind } from './carriers.js';
import { alreadyOnWarning, inheritedWarning, notCountedWarning, releaseWarning } from './message.js';
import { startRefusals } from './start-refusals.js';

export interface ConfigChange {
  operation: Operation;
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  /** request.kind.kind, for objects without their own kind. */
  kind?: string;
}

export interface DecisionInputs {
  shoots?: ShootLookup;
  seeds?: SeedLookup;
  /** --gardener-version: the release where nothing else names one. */
  fallback?: Release;
}

export interface GateBlockers {
  gate: string;
  constraint: string;
  /** Every blocking shoot as `namespace/name`, sorted (shared with the index's cache: read only). */
  shoots: readonly string[];
  /** Why they block, grouped by reason, with the first shoots of each. */
  reasons: ReasonGroup[];
}

/** Which release the configuration was judged for, and from where; `version` undefined: not release-aware. */
export interface AssumedRelease {
  version?: string;
  source: string;
}

export type Decision =
  /** Admitted. `notApplicable` says why when the object holds no gardenlet configuration. */
  | { outcome: 'admit'; seed?: string; carrier?: CarrierKind; release?: AssumedRelease; warnings: string[]; notApplicable?: string }
  /**
   * gardenlet would refuse to start with it (`refusals`: an unknown or locked gate), or a gate is on while
   * shoots of the seed would fail gardenlet's start-up check (`blocking`).
   */
  | {
      outcome: 'deny';
      seed?: string;
      carrier: CarrierKind;
      release: AssumedRelease;
      refusals: string[];
      blocking: GateBlockers[];
      warnings: string[];
    }
  /** The configuration cannot be read; refused, never admitted by accident. */
  | { outcome: 'invalid'; carrier?: CarrierKind; reason: string }
  /** The shoots needed to decide are not known (no index, or not synced yet): refused until they are. */
  | { outcome: 'unavailable'; seed: string; carrier: CarrierKind; release: AssumedRelease; reason: string };

export const NO_SHOOT_INDEX = 'no shoot index (start with --shoots or --garden-kubeconfig)';
export const NOT_SYNCED = 'shoot index not synced';
/** Blocking shoots named per reason; the CLI lists them all besides. */
export const SHOOTS_PER_REASON = 10;

/** How one removal gate stands in a configuration. */
type GateState = 'on' | 'off' | 'inherited';

export function decide(change: ConfigChange, inputs: DecisionInputs): Decision {
  if (!change.object) return { outcome: 'admit', warnings: [], notApplicable: 'no object' };
  const reading = readCarrier(change.object, change.kind);
  if (reading.kind === 'none') return { outcome: 'admit', warnings: [], notApplicable: reading.reason };
  if (reading.kind === 'invalid') return { outcome: 'invalid', reason: reading.reason };
  const carrier = reading.carrier;
  const learning = learnRelease(carrier.kind, change.object as Record<string, unknown>, carrier.seed, inputs);
  if (learning.kind === 'invalid') return { outcome: 'invalid', carrier: carrier.kind, reason: `${learning.field}: ${learning.reason}` };
  const release = learning.kind === 'learned' ? learning.release : undefined;
  const assumed = assumedRelease(learning);
  const old = change.operation === 'UPDATE' ? oldCarrier(change, carrier, inputs) : undefined;

  const warnings: string[] = [
    releaseWarning(assumed, release !== undefined && release.minor > NEWEST_KNOWN_MINOR ? minorName(NEWEST_KNOWN_MINOR) : undefined),
  ];
  const refusals = release ? startRefusals(carrier.config.featureGates, release) : [];
  const turnedOn: RemovalGate[] = [];
  const keptOn: RemovalGate[] = [];
  const inherited: RemovalGate[] = [];
  for (const gate of REMOVAL_GATES) {
    const state = gateState(carrier, release, gate.gate);
    if (state === 'on') (old && gateState(old.carrier, old.release, gate.gate) === 'on' ? keptOn : turnedOn).push(gate);
    else if (state === 'inherited') inherited.push(gate);
  }
  const seed = carrier.seed;
  const base = { seed, carrier: carrier.kind, release: assumed };
  if (turnedOn.length + keptOn.length + inherited.length === 0) {
    return refusals.length > 0 ? { outcome: 'deny', ...base, refusals, blocking: [], warnings } : { outcome: 'admit', ...base, warnings };
  }
  if (!seed) {
    if (turnedOn.length > 0) {
      return {
        outcome: 'invalid',
        carrier: carrier.kind,
        reason: `${turnedOn[0]!.gate} is on but the seed is unknown: seedConfig.metadata.name is not set`,
      };
    }
    warnings.push(notCountedWarning('the seed name is not set'));
    return refusals.length > 0 ? { outcome: 'deny', ...base, refusals, blocking: [], warnings } : { outcome: 'admit', ...base, warnings };
  }

  const shoots = inputs.shoots;
  const missing = !shoots ? NO_SHOOT_INDEX : !shoots.synced() ? NOT_SYNCED : undefined;
  if (missing) {
    // Only a gate being turned on needs the shoots; anything else is admitted, so a restarting
    // webhook does not hold up unrelated gardenlet changes. What gardenlet refuses is refused anyway.
    if (refusals.length > 0) return { outcome: 'deny', ...base, seed, refusals, blocking: [], warnings };
    if (turnedOn.length > 0) return { outcome: 'unavailable', seed, carrier: carrier.kind, release: assumed, reason: missing };
    warnings.push(...inherited.map((g) => inheritedWarning(g, seed, undefined, defaultOn(g, release))), notCountedWarning(missing));
    return { outcome: 'admit', ...base, warnings };
  }

  const blockingOf = (constraint: string): readonly string[] => blockingOfSeed(shoots!, seed, constraint);
  for (const gate of keptOn) {
    const count = blockingOf(gate.constraint).length;
    if (count > 0) warnings.push(alreadyOnWarning(gate, seed, count));
  }
  for (const gate of inherited) {
    const count = blockingOf(gate.constraint).length;
    // With no blocker, whatever the parent sets passes: nothing left unjudged.
    if (count > 0) warnings.push(inheritedWarning(gate, seed, count, defaultOn(gate, release)));
  }
  const blocking = turnedOn
    .map((gate) => ({
      gate: gate.gate,
      constraint: gate.constraint,
      shoots: blockingOf(gate.constraint),
      reasons: reasonsOfSeed(shoots!, seed, gate, SHOOTS_PER_REASON),
    }))
    .filter((b) => b.shoots.length > 0);
  if (blocking.length + refusals.length > 0) return { outcome: 'deny', ...base, seed, refusals, blocking, warnings };
  return { outcome: 'admit', ...base, warnings };
}

/**
 * On, off, or left to the parent gardenlet. With the release known, as gardenlet reads it (a Beta gate
 * not named is on; an Alpha gate only when set; a gate that release does not know is off, and refused
 * when named); without it, as before: on only when set to true.
 */
function gateState(carrier: Carrier, release: Release | undefined, gate: string): GateState {
  const gates = carrier.config.featureGates;
  const spec = release ? gateAt(gate, release) : undefined;
  // A gate that release does not know is off whoever would set it (and refused where it is named).
  if (release && !spec) return 'off';
  if (gates[gate] === undefined && carrier.inheritsGates) return 'inherited';
  if (!spec) return gates[gate] === true ? 'on' : 'off';
  return effectiveValue(gates, gate, spec) ? 'on' : 'off';
}

function defaultOn(gate: RemovalGate, release: Release | undefined): string | undefined {
  const spec = release ? gateAt(gate.gate, release) : undefined;
  return spec?.default ? 'on by default' : undefined;
}

function assumedRelease(learning: ReleaseLearning): AssumedRelease {
  if (learning.kind === 'learned') return { version: learning.release.version, source: learning.source };
  return { source: learning.kind === 'unknown' ? learning.tried : learning.field };
}

// The old object counts only if it configured the same seed: moving a config to another seed turns
// its gates on there. An unreadable old object had nothing on; its own release is learned the same way
// (an upgrade that makes a Beta gate's default apply turns it on).
function oldCarrier(change: ConfigChange, carrier: Carrier, inputs: DecisionInputs): { carrier: Carrier; release?: Release } | undefined {
  if (!change.oldObject) return undefined;
  const reading = readCarrier(change.oldObject, change.kind);
  if (reading.kind !== 'carrier' || reading.carrier.seed !== carrier.seed) return undefined;
  const learning = learnRelease(reading.carrier.kind, change.oldObject as Record<string, unknown>, reading.carrier.seed, inputs);
  return { carrier: reading.carrier, release: learning.kind === 'learned' ? learning.release : undefined };
}
