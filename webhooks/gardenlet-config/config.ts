// Reading the two fields of a GardenletConfiguration the check needs: featureGates and the seed name.
// Nothing here copies any other part of the configuration, which carries kubeconfigs and tokens.
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { clip } from '../../src/util/clip.js';
import { isRecord } from '../../src/util/is-record.js';

export interface GardenletConfig {
  /** featureGates as gardenlet reads it: gate name -> on/off. */
  featureGates: Readonly<Record<string, boolean>>;
  /** seedConfig.metadata.name, when set. */
  seedName?: string;
}

export type ConfigReading = { ok: true; config: GardenletConfig } | { ok: false; reason: string };

// gardenlet decodes its config file through sigs.k8s.io/yaml (YAML 1.1), where a plain `on` or `yes`
// is a boolean; js-yaml's default YAML 1.2 reading would make them strings and refuse a valid gate.
const YAML11_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const YAML11_FALSE = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
const YAML11_BOOLEANS = new Set([...YAML11_TRUE, ...YAML11_FALSE]);
const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && YAML11_BOOLEANS.has(data),
  construct: (data: string) => YAML11_TRUE.includes(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: (value: object) => String(value),
});
// The core schema plus merge keys (which go-yaml also reads): the default schema's timestamp, binary and
// set types only cost time on every review, and none of them can change a gate or the seed name.
// (js-yaml exports its built-in types as `types`; its type declarations do not list them.)
const MERGE = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
const GARDENLET_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, MERGE] });

// Parsing config.yaml is most of a review's cost, and the same text comes again and again (every UPDATE
// carries the old one, re-applies repeat the new one). Readings are kept by the text's digest: the cache
// holds gate names and a seed name, never the configuration itself.
const READINGS_KEPT = 64;
const readings = new Map<string, ConfigReading>();

/** A config.yaml text. A parse error is reported by position and reason only: js-yaml's own message quotes the source. */
export function readConfigText(text: string, where: string): ConfigReading {
  const key = `${where}\0${createHash('sha256').update(text).digest('base64')}`;
  const known = readings.get(key);
  if (known) return known;
  const reading = parseConfigText(text, where);
  if (readings.size >= READINGS_KEPT) readings.delete(readings.keys().next().value!);
  readings.set(key, reading);
  return reading;
}

function parseConfigText(text: string, where: string): ConfigReading {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { schema: GARDENLET_SCHEMA });
  } catch (err) {
    const { mark, reason } = err as { mark?: { line: number; column: number }; reason?: string };
    const position = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    return { ok: false, reason: `${where} is not valid YAML${position}: ${shortReason(reason)}` };
  }
  return readConfigObject(parsed, where);
}

/** An already decoded configuration (ManagedSeed and Gardenlet carry it as an embedded object). */
export function readConfigObject(value: unknown, where: string): ConfigReading {
  if (value === undefined || value === null) return { ok: true, config: { featureGates: {} } };
  if (!isRecord(value)) return { ok: false, reason: `${where} must be a GardenletConfiguration object, not ${typeName(value)}` };
  const gates = value.featureGates;
  const featureGates: Record<string, boolean> = {};
  if (gates !== undefined && gates !== null) {
    if (!isRecord(gates))
      return { ok: false, reason: `${where}: featureGates must map gate names to true or false, not ${typeName(gates)}` };
    for (const [gate, on] of Object.entries(gates)) {
      // The value is never quoted back: only its type, which is all the operator needs to fix it.
      if (typeof on !== 'boolean') {
        return { ok: false, reason: `${where}: featureGates.${clip(gate, 64)} must be true or false, not ${typeName(on)}` };
      }
      featureGates[gate] = on;
    }
  }
  const seedConfig = value.seedConfig;
  const metadata = isRecord(seedConfig) ? seedConfig.metadata : undefined;
  const name = isRecord(metadata) ? metadata.name : undefined;
  return { ok: true, config: { featureGates, seedName: typeof name === 'string' && name.length > 0 ? name : undefined } };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

// js-yaml reasons name the construct ("bad indentation of a mapping entry"); a few quote a tag or
// alias name, so keep them to one short line.
function shortReason(reason: string | undefined): string {
  return clip((reason ?? 'parse error').replace(/\s+/g, ' '), 100);
}
