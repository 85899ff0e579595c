// The seed's Istio objects the preflight reads: EnvoyFilters and Gateways, from files, `kubectl get -o yaml`
// Lists, or the live seed. Everything else is counted and left aside.
import { PreflightInputError } from './errors.js';
import { type Json } from './fields.js';
import { isRecord } from '../util/is-record.js';

export type IstioKind = 'EnvoyFilter' | 'Gateway';

export interface IstioObject {
  kind: IstioKind;
  namespace: string;
  name: string;
  spec: Json;
}

export interface IstioObjects {
  objects: IstioObject[];
  /** Objects of other kinds in the input. */
  ignored: number;
}

const ISTIO_GROUP = 'networking.istio.io/';

export function collectIstioObjects(documents: readonly unknown[]): IstioObjects {
  const result: IstioObjects = { objects: [], ignored: 0 };
  documents.forEach((document, index) => addDocument(document, `document ${index + 1}`, result));
  return result;
}

function addDocument(document: unknown, where: string, into: IstioObjects): void {
  if (!isRecord(document)) throw new PreflightInputError(`${where} is not a Kubernetes object`);
  const kind = document.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(document.items)) {
    document.items.forEach((item, index) => addDocument(item, `${where}, item ${index + 1}`, into));
    return;
  }
  if (kind !== 'EnvoyFilter' && kind !== 'Gateway') {
    into.ignored++;
    return;
  }
  const apiVersion = document.apiVersion;
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith(ISTIO_GROUP)) {
    throw new PreflightInputError(`${where}: ${kind} has apiVersion ${JSON.stringify(apiVersion)}, expected ${ISTIO_GROUP}*`);
  }
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') throw new PreflightInputError(`${where}: ${kind} has no metadata.name`);
  if (!isRecord(document.spec)) throw new PreflightInputError(`${where}: ${kind} ${name} has no spec`);
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  into.objects.push({ kind, namespace, name, spec: document.spec });
}

/** Objects grouped by namespace, in first-seen order: each namespace is one ingress gateway to judge. */
export function byNamespace(objects: readonly IstioObject[]): Map<string, IstioObject[]> {
  const groups = new Map<string, IstioObject[]>();
  for (const object of objects) {
    const group = groups.get(object.namespace) ?? [];
    group.push(object);
    groups.set(object.namespace, group);
  }
  return groups;
}
