// The few seed API calls the registration makes, with errors reduced to status codes and one-line
// messages. Custom objects go through CustomObjectsApi as plain JSON (no client-side type conversion).
import * as k8s from '@kubernetes/client-node';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string | Date;
  [key: string]: unknown;
}
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A failed API call: HTTP status (undefined for network errors) and a message fit for one log line. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export const GROUPS = {
  managedResources: { group: 'resources.gardener.cloud', version: 'v1alpha1', plural: 'managedresources' },
  extensions: { group: 'extensions.gardener.cloud', version: 'v1alpha1', plural: 'extensions' },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' },
} as const;
type Resource = (typeof GROUPS)[keyof typeof GROUPS];

export class SeedClient {
  readonly custom: k8s.CustomObjectsApi;
  readonly core: k8s.CoreV1Api;

  constructor(readonly kubeConfig: k8s.KubeConfig) {
    this.custom = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    this.core = kubeConfig.makeApiClient(k8s.CoreV1Api);
  }

  /** The object, or undefined when it does not exist. */
  async getCustom(resource: Resource, namespace: string, name: string): Promise<KubeObject | undefined> {
    return absentOn404(
      call(`get ${resource.plural} ${namespace}/${name}`, () =>
        this.custom.getNamespacedCustomObject({ ...resource, namespace, name }) as Promise<KubeObject>,
      ),
    );
  }

  async createCustom(resource: Resource, object: KubeObject): Promise<KubeObject> {
    const namespace = object.metadata.namespace!;
    return call(`create ${resource.plural} ${namespace}/${object.metadata.name}`, () =>
      this.custom.createNamespacedCustomObject({ ...resource, namespace, body: object }) as Promise<KubeObject>,
    );
  }

  /** Replaces with optimistic locking: `object.metadata.resourceVersion` must be current, else 409. */
  async replaceCustom(resource: Resource, object: KubeObject): Promise<KubeObject> {
    const { namespace, name } = object.metadata;
    return call(`update ${resource.plural} ${namespace}/${name}`, () =>
      this.custom.replaceNamespacedCustomObject({ ...resource, namespace: namespace!, name, body: object }) as Promise<KubeObject>,
    );
  }

  /** Replaces only `.status` (the status subresource), with the same optimistic locking. */
  async replaceCustomStatus(resource: Resource, object: KubeObject): Promise<KubeObject> {
    const { namespace, name } = object.metadata;
    return call(`update ${resource.plural}/status ${namespace}/${name}`, () =>
      this.custom.replaceNamespacedCustomObjectStatus({ ...resource, namespace: namespace!, name, body: object }) as Promise<KubeObject>,
    );
  }

  /** True when deleted, false when it was already gone. */
  async deleteCustom(resource: Resource, namespace: string, name: string): Promise<boolean> {
    return goneOn404(call(`delete ${resource.plural} ${namespace}/${name}`, () => this.custom.deleteNamespacedCustomObject({ ...resource, namespace, name })));
  }

  async getSecret(namespace: string, name: string): Promise<k8s.V1Secret | undefined> {
    return absentOn404(call(`get secret ${namespace}/${name}`, () => this.core.readNamespacedSecret({ namespace, name })));
  }

  async createSecret(body: k8s.V1Secret & { metadata: { namespace: string } }): Promise<void> {
    await call(`create secret ${body.metadata.namespace}/${body.metadata.name}`, () =>
      this.core.createNamespacedSecret({ namespace: body.metadata.namespace, body }),
    );
  }

  async deleteSecret(namespace: string, name: string): Promise<boolean> {
    return goneOn404(call(`delete secret ${namespace}/${name}`, () => this.core.deleteNamespacedSecret({ namespace, name })));
  }
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiCallError(what, err);
  }
}

export function toApiCallError(what: string, err: unknown): ApiCallError {
  if (err instanceof ApiCallError) return err;
  if (err instanceof k8s.ApiException) {
    const body = parseBody(err.body);
    return new ApiCallError(err.code, `${what}: HTTP ${err.code}${body?.reason ? ` ${body.reason}` : ''}${body?.message ? `: ${body.message}` : ''}`);
  }
  return new ApiCallError(undefined, `${what}: ${(err as Error).message ?? String(err)}`);
}

function parseBody(body: unknown): { reason?: string; message?: string } | undefined {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as { reason?: string; message?: string };
    } catch {
      return { message: body.slice(0, 200) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as { reason?: string; message?: string }) : undefined;
}

async function absentOn404<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiCallError && err.status === 404) return undefined;
    throw err;
  }
}

async function goneOn404(p: Promise<unknown>): Promise<boolean> {
  return (await absentOn404(p.then(() => true))) ?? false;
}
