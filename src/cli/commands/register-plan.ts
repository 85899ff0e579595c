// `register --dry-run --plan`: the rollout plan for a seed's Clusters and a waves file, offline. Every
// Cluster is read and checked; one that cannot be read refuses the whole plan, so no shoot goes missing.
import { assign } from '../../rollout/assign.js';
import { clusterMember, isMemberError, withNamespaceHold, type ShootMember } from '../../rollout/cluster-member.js';
import { computePlan } from '../../rollout/plan.js';
import { planTable } from '../../rollout/plan-table.js';
import { EMPTY_STATE } from '../../rollout/rollout-state.js';
import { UsageError } from '../errors.js';
import { readWaves } from '../waves-file.js';
import { parseDocuments, readText } from '../../util/input.js';

export interface PlanOptions {
  waves?: string;
  filename?: string;
  output: string;
}

export function printPlan(opts: PlanOptions, explicitOutput: boolean): void {
  if (!opts.waves) throw new UsageError('--plan needs --waves <file>');
  if (!opts.filename)
    throw new UsageError('--plan needs -f <clusters file> (kubectl get clusters -o yaml; add namespaces to see their holds)');
  const output = explicitOutput ? opts.output : 'table';
  if (output !== 'json' && output !== 'table') throw new UsageError(`--plan prints -o json or -o table, not ${output}`);
  const config = readWaves(opts.waves);
  const members = readMembers(opts.filename);
  const plan = computePlan(assign(members, config), EMPTY_STATE, config.soakMs, { now: Date.now });
  process.stdout.write(output === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : planTable(plan));
}

/** Clusters, and Namespaces whose hold annotation applies at once; a List or separate documents. */
function readMembers(file: string): ShootMember[] {
  const members = new Map<string, ShootMember>();
  const namespaceAnnotations = new Map<string, Record<string, string>>();
  const read = (item: unknown, where: string) => {
    const object = item as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; annotations?: Record<string, string> };
    } | null;
    if (object?.kind === 'Namespace' && object.apiVersion === 'v1' && typeof object.metadata?.name === 'string') {
      namespaceAnnotations.set(object.metadata.name, object.metadata.annotations ?? {});
      return;
    }
    const member = clusterMember(item);
    if (isMemberError(member)) throw new UsageError(`${file}: ${where} ${member.error}`);
    if (members.has(member.technicalId)) throw new UsageError(`${file}: ${where} repeats Cluster ${member.technicalId}`);
    members.set(member.technicalId, member);
  };
  parseDocuments(readText(file), file).forEach((doc, i) => {
    const list = doc as { kind?: unknown; items?: unknown };
    if (typeof list?.kind === 'string' && list.kind.endsWith('List')) {
      if (!Array.isArray(list.items)) throw new UsageError(`${file}: document ${i + 1} is a ${list.kind} without items`);
      list.items.forEach((item, j) => read(item, `document ${i + 1} item ${j + 1}`));
    } else read(doc, `document ${i + 1}`);
  });
  return [...members.values()].map((m) => withNamespaceHold(m, namespaceAnnotations.get(m.technicalId)));
}
