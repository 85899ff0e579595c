// Which gardenlet release will read a gardenlet configuration: not the one running now, but the one
// that its carrier deploys (during an upgrade the two differ, and that is when gates change meaning).
// In order: what the object itself names; then the gardenlet that runs the seed (or, for a ManagedSeed
// without an image, the gardenlet that deploys it); then the operator's --gardener-version.
import type { SeedLookup, ShootLookup } from './services.js';
import { parseRelease, quote, type Release } from './releases.js';
import { isRecord } from '../util/is-record.js';

export type CarrierKindName = 'ConfigMap' | 'ManagedSeed' | 'Gardenlet' | 'GardenletConfiguration';

export type ReleaseLearning =
  | { kind: 'learned'; release: Release; source: string }
  /** Nothing names the release: `tried` says what was looked at. */
  | { kind: 'unknown'; tried: string }
  /** A field names a release that cannot be read: refused, naming the field. */
  | { kind: 'invalid'; field: string; reason: string };

export interface ReleaseInputs {
  shoots?: ShootLookup;
  seeds?: SeedLookup;
  /** --gardener-version, already parsed: applies only where nothing else names the release. */
  fallback?: Release;
}

/** A field's own answer: a release, nothing ("reveals nothing"), or an unreadable version. */
type FieldAnswer = { release: Release; source: string } | { invalid: string; field: string } | undefined;

export function learnRelease(
  kind: CarrierKindName,
  object: Record<string, unknown>,
  seed: string | undefined,
  inputs: ReleaseInputs,
): ReleaseLearning {
  const tried: string[] = [];
  const own = fromObject(kind, object, tried);
  if (own && 'invalid' in own) return { kind: 'invalid', field: own.field, reason: own.invalid };
  if (own) return { kind: 'learned', ...own };

  // A ManagedSeed's gardenlet is deployed by the gardenlet of the seed its shoot runs on, with that
  // gardenlet's own image unless the ManagedSeed names one (gardenletdeployer getParentGardenletDeployment).
  const running = kind === 'ManagedSeed' ? parentSeed(object, inputs.shoots, tried) : seed;
  if (running !== undefined && !(kind === 'ManagedSeed' && imageSet(object))) {
    const version = inputs.seeds?.gardenletVersion(running);
    const field = `${kind === 'ManagedSeed' ? 'parent ' : ''}Seed ${running} status.gardener.version`;
    if (version !== undefined) {
      const parsed = parseRelease(version);
      if (!parsed.ok) return { kind: 'invalid', field, reason: parsed.reason };
      return { kind: 'learned', release: parsed.release, source: field };
    }
    tried.push(inputs.seeds ? `${field} (not set)` : `${field} (seeds not read)`);
  }
  if (inputs.fallback) return { kind: 'learned', release: inputs.fallback, source: '--gardener-version' };
  tried.push('--gardener-version (not given)');
  return { kind: 'unknown', tried: tried.join('; ') };
}

function fromObject(kind: CarrierKindName, object: Record<string, unknown>, tried: string[]): FieldAnswer {
  switch (kind) {
    case 'Gardenlet': {
      const oci = at(object, 'spec', 'deployment', 'helm', 'ociRepository');
      const base = 'spec.deployment.helm.ociRepository';
      // OCIRepository.GetURL: ref takes precedence, then a digest (which names no release), then the tag.
      if (typeof oci.ref === 'string' && oci.ref !== '') return fromReference(oci.ref, `${base}.ref`, tried);
      if (typeof oci.digest === 'string' && oci.digest !== '') return none(tried, `${base}.digest (pins no release)`);
      if (typeof oci.tag === 'string' && oci.tag !== '') return fromVersionField(oci.tag, `${base}.tag`);
      return none(tried, `${base} (no ref or tag)`);
    }
    case 'ManagedSeed': {
      const image = at(object, 'spec', 'gardenlet', 'deployment', 'image');
      const base = 'spec.gardenlet.deployment.image';
      if (typeof image.ref === 'string' && image.ref !== '') return fromReference(image.ref, `${base}.ref`, tried);
      if (typeof image.tag === 'string' && image.tag !== '') return fromVersionField(image.tag, `${base}.tag`);
      return none(tried, `${base} (not set)`);
    }
    case 'ConfigMap': {
      // charts/gardener/gardenlet configmap-componentconfig.yaml: chart: "<name>-<version with + as _>".
      const chart = at(object, 'metadata', 'labels').chart;
      const field = 'metadata.labels.chart';
      if (typeof chart !== 'string' || !chart.startsWith('gardenlet-')) return none(tried, `${field} (no gardenlet chart)`);
      const version = chart.slice('gardenlet-'.length);
      const parsed = parseRelease(version);
      // The chart in the repository is 0.1.0; only released charts carry the release (hack/push-helm.sh).
      if (!parsed.ok && /^0\./.test(version)) return none(tried, `${field} ${quote(chart)} (a chart from the repository)`);
      if (!parsed.ok) return { invalid: `${quote(chart)}: ${parsed.reason}`, field };
      return { release: parsed.release, source: `ConfigMap ${field} ${quote(chart)}` };
    }
    case 'GardenletConfiguration':
      return undefined;
  }
}

function fromVersionField(value: string, field: string): FieldAnswer {
  const parsed = parseRelease(value);
  if (!parsed.ok) return { invalid: parsed.reason, field };
  return { release: parsed.release, source: field };
}

/** `registry[:port]/path:tag[@digest]`: the tag, unless a digest pins the artifact. */
function fromReference(ref: string, field: string, tried: string[]): FieldAnswer {
  if (ref.includes('@')) return none(tried, `${field} (pinned by digest)`);
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return none(tried, `${field} (no tag)`);
  return fromVersionField(last.slice(colon + 1), `${field} tag`);
}

function none(tried: string[], what: string): undefined {
  tried.push(what);
  return undefined;
}

function imageSet(object: Record<string, unknown>): boolean {
  const image = at(object, 'spec', 'gardenlet', 'deployment', 'image');
  return (typeof image.ref === 'string' && image.ref !== '') || (typeof image.tag === 'string' && image.tag !== '');
}

/** The seed whose gardenlet deploys a ManagedSeed: the responsible seed of its shoot (garden/<spec.shoot.name>). */
function parentSeed(object: Record<string, unknown>, shoots: ShootLookup | undefined, tried: string[]): string | undefined {
  const name = at(object, 'spec', 'shoot').name;
  const namespace = typeof at(object, 'metadata').namespace === 'string' ? (at(object, 'metadata').namespace as string) : 'garden';
  if (typeof name !== 'string' || name === '') return none(tried, 'spec.shoot.name (not set)');
  const shoot = shoots?.synced() ? shoots.shoot(namespace, name) : undefined;
  if (!shoot?.seed) return none(tried, `shoot ${namespace}/${name} ${shoots ? '(not found or not scheduled)' : '(shoots not read)'}`);
  return shoot.seed;
}

function at(object: Record<string, unknown>, ...path: string[]): Record<string, unknown> {
  let value: unknown = object;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return isRecord(value) ? value : {};
}
