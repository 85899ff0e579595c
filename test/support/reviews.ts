// AdmissionReview builders: real wire JSON as kube-apiserver sends it, and decoding of the answers.
import { randomUUID } from 'node:crypto';
import type { Operation as PatchOperation } from 'fast-json-patch';
import {
  ADMISSION_V1,
  type AdmissionApiVersion,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmissionReview,
  type KubeObject,
  type Operation,
} from '../../src/admission/types.js';

export interface ReviewOptions extends Partial<Omit<AdmissionRequest, 'operation'>> {
  apiVersion?: AdmissionApiVersion;
  operation?: Operation;
}

/** A ConfigMap, the simplest object with content worth hiding from logs. */
export function configMap(name: string, namespace: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/**
 * An AdmissionReview for `object` (a ConfigMap by default) with the fields the apiserver fills in;
 * DELETE carries oldObject and a null object, as on the wire.
 */
export function admissionReview(options: ReviewOptions = {}): AdmissionReview {
  const { apiVersion = ADMISSION_V1, operation = 'CREATE', ...fields } = options;
  const object = fields.object === undefined ? configMap('example', 'default', { key: 'value' }) : fields.object;
  const objectless = operation === 'DELETE' || operation === 'CONNECT';
  const request: AdmissionRequest = {
    uid: randomUUID(),
    kind: { group: '', version: 'v1', kind: object?.kind ?? 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    name: object?.metadata?.name,
    namespace: object?.metadata?.namespace,
    operation,
    userInfo: { username: 'system:serviceaccount:kube-system:tester', groups: ['system:serviceaccounts'] },
    object: objectless ? null : object,
    oldObject: operation === 'UPDATE' || operation === 'DELETE' ? object : null,
    dryRun: false,
    options: null,
    ...fields,
  };
  if (objectless) request.object = null;
  return { apiVersion, kind: 'AdmissionReview', request };
}

/** The JSON Patch a response carries, decoded from base64; undefined without one. */
export function patchOf(response: AdmissionResponse): PatchOperation[] | undefined {
  return response.patch === undefined
    ? undefined
    : (JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as PatchOperation[]);
}
