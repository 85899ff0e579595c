// Where a GardenletConfiguration lives, and which seed it is for: the gardenlet chart's ConfigMap in the
// seed's garden namespace, a ManagedSeed or a Gardenlet in the garden cluster (or, for the CLI, a bare
// GardenletConfiguration).
import type { KubeObject } from '../../src/admission/types.js';
import { isRecord } from '../../src/util/is-record.js';
import { readConfigObject, readConfigText, type GardenletConfig } from './config.js';

export type CarrierKind = 'ConfigMap' | 'ManagedSeed' | 'Gardenlet' | 'GardenletConfiguration';

export interface Carrier {
  kind: CarrierKind;
  /** The seed the configured gardenlet is responsible for. */
  seed?: string;
  config: GardenletConfig;
  /** ManagedSeed `mergeWithParent` (default true): a gate it does not set comes from the parent gardenlet. */
  inheritsGates: boolean;
}

export type CarrierReading =
  | { kind: 'carrier'; carrier: Carrier }
  /** Not a gardenlet configuration at all: nothing to judge. */
  | { kind: 'none'; reason: string }
  | { kind: 'invalid'; reason: string };

export const CONFIG_KEY = 'config.yaml';
const SEEDMANAGEMENT_GROUP = 'seedmanagement.gardener.cloud';

/** `kindHint` is the review's request.kind.kind, for objects sent without their own kind. */
export function readCarrier(object: KubeObject, kindHint?: string): CarrierReading {
  const kind = typeof object.kind === 'string' && object.kind ? object.kind : kindHint;
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : undefined;
  switch (kind) {
    case 'ConfigMap':
      return fromConfigMap(object);
    case 'ManagedSeed':
    case 'Gardenlet':
      if (!inGroup(object, SEEDMANAGEMENT_GROUP))
        return { kind: 'none', reason: `${kind} of apiVersion ${String(object.apiVersion)} is not Gardener's` };
      return kind === 'ManagedSeed' ? fromManagedSeed(object, name) : fromGardenlet(object, name);
    case 'GardenletConfiguration':
      return wrap('GardenletConfiguration', readConfigObject(object, 'the GardenletConfiguration'), (config) => config.seedName, false);
    default:
      return { kind: 'none', reason: `a ${kind ?? 'object without kind'} holds no gardenlet configuration` };
  }
}

// The chart's ConfigMap is labelled app=gardener,role=gardenlet, as are its other ConfigMaps (image
// vector overwrites): only the one with config.yaml is a configuration.
function fromConfigMap(object: KubeObject): CarrierReading {
  const data = object.data;
  const text = isRecord(data) ? data[CONFIG_KEY] : undefined;
  if (text === undefined) return { kind: 'none', reason: `the ConfigMap has no data["${CONFIG_KEY}"]` };
  if (typeof text !== 'string') return { kind: 'invalid', reason: `data["${CONFIG_KEY}"] must be a string` };
  return wrap('ConfigMap', readConfigText(text, `data["${CONFIG_KEY}"]`), (config) => config.seedName, false);
}

// The seed is the ManagedSeed's name: validation forbids seedConfig.metadata.name there.
function fromManagedSeed(object: KubeObject, name: string | undefined): CarrierReading {
  const spec = isRecord(object.spec) ? object.spec : {};
  const gardenlet = isRecord(spec.gardenlet) ? spec.gardenlet : {};
  const inherits = gardenlet.mergeWithParent !== false;
  return wrap('ManagedSeed', readConfigObject(gardenlet.config, 'spec.gardenlet.config'), () => name, inherits);
}

function fromGardenlet(object: KubeObject, name: string | undefined): CarrierReading {
  const spec = isRecord(object.spec) ? object.spec : {};
  return wrap('Gardenlet', readConfigObject(spec.config, 'spec.config'), () => name, false);
}

function wrap(
  kind: CarrierKind,
  reading: ReturnType<typeof readConfigObject>,
  seedOf: (config: GardenletConfig) => string | undefined,
  inheritsGates: boolean,
): CarrierReading {
  if (!reading.ok) return { kind: 'invalid', reason: reading.reason };
  return { kind: 'carrier', carrier: { kind, seed: seedOf(reading.config), config: reading.config, inheritsGates } };
}

function inGroup(object: KubeObject, group: string): boolean {
  // Objects in a review always carry apiVersion; one without it (CLI input) is taken at its kind.
  return object.apiVersion === undefined || String(object.apiVersion).startsWith(`${group}/`);
}
