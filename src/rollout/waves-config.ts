// The rollout's waves, as an operator writes them: an ordered list, each with a name, a target phase and
// a shoot selector. Parsed once at start; anything wrong is refused with the field that is wrong.
import { PHASES, isPhase, type Phase } from '../gardener/settings.js';
import { parseDuration } from '../util/go-duration.js';

export const WAVES_API_VERSION = 'http-proxy-migrator.gardener.cloud/v1alpha1';
export const WAVES_KIND = 'RolloutWaves';
export const DEFAULT_SOAK_MS = 30 * 60_000;
/** A DaemonSet rolls one node at a time: about 10 s per node, so an hour covers a few hundred nodes. */
export const DEFAULT_MOVE_TIMEOUT_MS = 60 * 60_000;
/** More waves than anyone stages by hand; keeps a bad file from costing unbounded work per shoot. */
const MAX_WAVES = 50;
const MAX_LIST = 1000;
/** Wave names appear in metrics labels, annotations and Events: DNS labels. */
const WAVE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes qualified names with an optional DNS-subdomain prefix, as label and annotation keys are. */
const QUALIFIED_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** Gardener's shoot purposes (`spec.purpose`). */
export const PURPOSES = ['evaluation', 'testing', 'development', 'production', 'infrastructure'] as const;

export interface ShootSelector {
  /** Every pair must equal the Shoot's label. */
  labels?: Readonly<Record<string, string>>;
  /** Every pair must equal the Shoot's annotation. */
  annotations?: Readonly<Record<string, string>>;
  /** `spec.purpose` is one of these (Gardener's default is `evaluation`). */
  purposes?: readonly string[];
  /** The Shoot's project is one of these. */
  projects?: readonly string[];
  /** The shoot's stable bucket (hash of its technical ID) lies below this share of all buckets, 0 < percent <= 100. */
  percent?: number;
}

export interface Wave {
  name: string;
  target: Phase;
  selector: ShootSelector;
}

export interface WavesConfig {
  /** How long every shoot of a wave must have stayed healthy after its move before the next wave opens. */
  soakMs: number;
  /** How long a shoot may take from entering its wave to running the target healthily before the rollout halts. */
  moveTimeoutMs: number;
  waves: readonly Wave[];
}

/** A refused configuration; `field` is the path of the offending field, like `waves[2].selector.percent`. */
export class WavesConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'WavesConfigError';
  }
}

export function parseWavesConfig(raw: unknown): WavesConfig {
  const root = object(raw, '(document)');
  allowOnly(root, ['apiVersion', 'kind', 'soakTime', 'moveTimeout', 'waves'], '');
  if (root.apiVersion !== undefined && root.apiVersion !== WAVES_API_VERSION) {
    throw new WavesConfigError('apiVersion', `must be ${WAVES_API_VERSION}`);
  }
  if (root.kind !== undefined && root.kind !== WAVES_KIND) throw new WavesConfigError('kind', `must be ${WAVES_KIND}`);
  const soakMs = root.soakTime === undefined ? DEFAULT_SOAK_MS : duration(root.soakTime, 'soakTime');
  const moveTimeoutMs = root.moveTimeout === undefined ? DEFAULT_MOVE_TIMEOUT_MS : duration(root.moveTimeout, 'moveTimeout');
  if (!Array.isArray(root.waves) || root.waves.length === 0) throw new WavesConfigError('waves', 'must be a non-empty list of waves');
  if (root.waves.length > MAX_WAVES) throw new WavesConfigError('waves', `at most ${MAX_WAVES} waves`);
  const seen = new Map<string, number>();
  const waves = root.waves.map((item, i) => {
    const wave = parseWave(item, `waves[${i}]`);
    const earlier = seen.get(wave.name);
    if (earlier !== undefined) throw new WavesConfigError(`waves[${i}].name`, `"${wave.name}" is already the name of waves[${earlier}]`);
    seen.set(wave.name, i);
    return wave;
  });
  return { soakMs, moveTimeoutMs, waves };
}

function duration(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0) throw new WavesConfigError(field, 'must be a duration like 30m, 1h or 90s');
  return ms;
}

function parseWave(raw: unknown, at: string): Wave {
  const wave = object(raw, at);
  allowOnly(wave, ['name', 'target', 'selector'], at);
  if (typeof wave.name !== 'string' || !WAVE_NAME.test(wave.name)) {
    throw new WavesConfigError(`${at}.name`, 'must be a DNS label: lower-case letters, digits and "-", at most 63 characters');
  }
  if (!isPhase(wave.target)) throw new WavesConfigError(`${at}.target`, `must be one of ${PHASES.join(', ')}`);
  if (wave.selector === undefined)
    throw new WavesConfigError(`${at}.selector`, 'is required ({} selects every shoot not in an earlier wave)');
  return { name: wave.name, target: wave.target, selector: parseSelector(wave.selector, `${at}.selector`) };
}

function parseSelector(raw: unknown, at: string): ShootSelector {
  const selector = object(raw, at);
  allowOnly(selector, ['labels', 'annotations', 'purposes', 'projects', 'percent'], at);
  const out: ShootSelector = {};
  if (selector.labels !== undefined) out.labels = stringMap(selector.labels, `${at}.labels`);
  if (selector.annotations !== undefined) out.annotations = stringMap(selector.annotations, `${at}.annotations`);
  if (selector.purposes !== undefined) {
    out.purposes = stringList(
      selector.purposes,
      `${at}.purposes`,
      (p) => (PURPOSES as readonly string[]).includes(p),
      `one of ${PURPOSES.join(', ')}`,
    );
  }
  if (selector.projects !== undefined) {
    out.projects = stringList(selector.projects, `${at}.projects`, (p) => WAVE_NAME.test(p), 'a project name (a DNS label)');
  }
  if (selector.percent !== undefined) {
    const p = selector.percent;
    // Buckets are hundredths of a percent, so finer shares could not be honoured.
    if (typeof p !== 'number' || !(p > 0 && p <= 100) || Math.round(p * 100) !== p * 100) {
      throw new WavesConfigError(`${at}.percent`, 'must be a number above 0 and at most 100, with at most two decimals');
    }
    out.percent = p;
  }
  return out;
}

function object(raw: unknown, at: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WavesConfigError(at, 'must be a mapping');
  return raw as Record<string, unknown>;
}

function allowOnly(raw: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const key of Object.keys(raw)) {
    if (!keys.includes(key)) throw new WavesConfigError(at ? `${at}.${key}` : key, `unknown field (known: ${keys.join(', ')})`);
  }
}

function stringMap(raw: unknown, at: string): Record<string, string> {
  const map = object(raw, at);
  const entries = Object.entries(map);
  if (entries.length > MAX_LIST) throw new WavesConfigError(at, `at most ${MAX_LIST} entries`);
  for (const [key, value] of entries) {
    if (!QUALIFIED_KEY.test(key)) throw new WavesConfigError(`${at}[${JSON.stringify(key)}]`, 'is not a valid label or annotation key');
    if (typeof value !== 'string')
      throw new WavesConfigError(`${at}[${JSON.stringify(key)}]`, 'must be a string (quote "true" and numbers)');
  }
  return map as Record<string, string>;
}

function stringList(raw: unknown, at: string, valid: (s: string) => boolean, what: string): string[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new WavesConfigError(at, 'must be a non-empty list');
  if (raw.length > MAX_LIST) throw new WavesConfigError(at, `at most ${MAX_LIST} entries`);
  raw.forEach((item, i) => {
    if (typeof item !== 'string' || !valid(item)) throw new WavesConfigError(`${at}[${i}]`, `must be ${what}`);
  });
  return raw as string[];
}
