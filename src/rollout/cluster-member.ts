// A shoot as the rollout sees it, read from its seed's `extensions.gardener.cloud/v1alpha1` Cluster
// (named after the shoot's technical ID, carrying the Shoot as Gardener last reconciled it). Only the
// fields that decide wave membership are kept.
import { technicalIdProblem } from '../gardener/technical-id.js';
import { isHeld } from './hold.js';
import { isRecord } from '../util/is-record.js';

/** `not-registered`: the shoot has no webhook configuration of ours (not opted in), so nothing can move it. */
export type NotCountedReason = 'hibernated' | 'workerless' | 'not-registered';
export type HoldSource = 'shoot' | 'namespace';

export interface ShootMember {
  /** The shoot's namespace in the seed, `shoot--<project>--<name>`. */
  technicalId: string;
  project: string;
  purpose: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** Hibernated and workerless shoots have no pods to move and report no workload health. */
  notCounted?: NotCountedReason;
  heldBy?: HoldSource;
}

/** Gardener defaults `spec.purpose` to evaluation. */
const DEFAULT_PURPOSE = 'evaluation';

/** The member, or why the object cannot be read as a shoot's Cluster. */
export function clusterMember(raw: unknown): ShootMember | { error: string } {
  if (!isRecord(raw)) return { error: 'not an object' };
  if (raw.kind !== 'Cluster' || raw.apiVersion !== 'extensions.gardener.cloud/v1alpha1') {
    return { error: `is ${describeKind(raw)}, not an extensions.gardener.cloud/v1alpha1 Cluster` };
  }
  const name = isRecord(raw.metadata) ? raw.metadata.name : undefined;
  if (typeof name !== 'string') return { error: 'Cluster without metadata.name' };
  const problem = technicalIdProblem(name);
  if (problem) return { error: `Cluster ${JSON.stringify(name.slice(0, 80))}: ${problem}` };
  const spec = isRecord(raw.spec) ? raw.spec : {};
  const shoot = embedded(spec.shoot);
  if (!shoot) return { error: `Cluster ${name} carries no spec.shoot` };
  const metadata = isRecord(shoot.metadata) ? shoot.metadata : {};
  const shootSpec = isRecord(shoot.spec) ? shoot.spec : {};
  const shootStatus = isRecord(shoot.status) ? shoot.status : {};
  const annotations = stringMap(metadata.annotations);
  const member: ShootMember = {
    technicalId: name,
    project: projectOf(name, metadata.namespace),
    purpose: typeof shootSpec.purpose === 'string' ? shootSpec.purpose : DEFAULT_PURPOSE,
    labels: stringMap(metadata.labels),
    annotations,
  };
  const notCounted = notCountedReason(shootSpec, shootStatus);
  if (notCounted) member.notCounted = notCounted;
  if (isHeld(annotations)) member.heldBy = 'shoot';
  return member;
}

/** A hold on the shoot's namespace in the seed wins at once, whatever the Cluster's copy of the Shoot says. */
export function withNamespaceHold(member: ShootMember, namespaceAnnotations: Readonly<Record<string, string>> | undefined): ShootMember {
  return isHeld(namespaceAnnotations) ? { ...member, heldBy: 'namespace' } : member;
}

export function isMemberError(value: ShootMember | { error: string }): value is { error: string } {
  return 'error' in value;
}

function notCountedReason(spec: Record<string, unknown>, status: Record<string, unknown>): NotCountedReason | undefined {
  const provider = isRecord(spec.provider) ? spec.provider : {};
  // Gardener: len(spec.provider.workers) == 0.
  if (!Array.isArray(provider.workers) || provider.workers.length === 0) return 'workerless';
  const hibernation = isRecord(spec.hibernation) ? spec.hibernation : {};
  // Waking up or going to sleep counts as hibernated: the workloads are not all there.
  if (hibernation.enabled === true || status.isHibernated === true) return 'hibernated';
  return undefined;
}

/**
 * The project from the technical ID `shoot--<project>--<name>` (Gardener forbids `--` inside either);
 * for the legacy `shoot-<project>-<name>`, which cannot be split, from the Shoot's namespace `garden-<project>`.
 */
function projectOf(technicalId: string, namespace: unknown): string {
  const parts = technicalId.split('--');
  if (parts.length === 3) return parts[1]!;
  if (typeof namespace === 'string') return namespace === 'garden' ? 'garden' : namespace.replace(/^garden-/, '');
  return '';
}

/** `spec.shoot` is a RawExtension: the object inline, or `{object}` / `{raw}` as some encoders write it. */
function embedded(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.object)) return value.object;
  if (typeof value.raw === 'string') {
    const text = value.raw.trimStart().startsWith('{') ? value.raw : Buffer.from(value.raw, 'base64').toString('utf8');
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return value.kind === 'Shoot' || isRecord(value.metadata) ? value : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function describeKind(raw: Record<string, unknown>): string {
  const kind = typeof raw.kind === 'string' ? raw.kind.slice(0, 60) : 'an object without kind';
  return typeof raw.apiVersion === 'string' ? `${raw.apiVersion.slice(0, 60)} ${kind}` : kind;
}
