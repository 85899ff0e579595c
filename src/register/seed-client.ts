// The few seed API calls the registration makes, over the seed's connection pool, with errors reduced
// to status codes and one-line messages. Objects travel as plain JSON; changes to objects other
// clients also write (Extensions, ManagedResources) are merge patches, so we never need the whole object.
import type * as k8s from '@kubernetes/client-node';
import type { ClusterAccess } from '../gardener/cluster-access.js';
import { KubeApiError, KubeClient } from '../gardener/kube-client.js';
import type { Json } from '../gardener/merge-patch.js';
import type { StoredObject } from '../admission/types.js';

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

export interface ApiResource {
  group: string;
  version: string;
  plural: string;
}

export const GROUPS = {
  managedResources: { group: 'resources.gardener.cloud', version: 'v1alpha1', plural: 'managedresources' },
  extensions: { group: 'extensions.gardener.cloud', version: 'v1alpha1', plural: 'extensions' },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' },
  namespaces: { group: '', version: 'v1', plural: 'namespaces' },
  secrets: { group: '', version: 'v1', plural: 'secrets' },
  configMaps: { group: '', version: 'v1', plural: 'configmaps' },
  events: { group: '', version: 'v1', plural: 'events' },
  clusters: { group: 'extensions.gardener.cloud', version: 'v1alpha1', plural: 'clusters' },
  /** In the garden cluster. */
  gardenShoots: { group: 'core.gardener.cloud', version: 'v1beta1', plural: 'shoots' },
} as const satisfies Record<string, ApiResource>;

/** The collection path, cluster-wide or in one namespace, or one object's path (and subresource). */
export function pathOf(resource: ApiResource, namespace?: string, name?: string, subresource?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name ? `/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}` : '';
  return `${base}${scope}/${resource.plural}${object}`;
}

const MERGE_PATCH = 'application/merge-patch+json';

export class SeedClient {
  readonly kube: KubeClient;

  constructor(cluster: ClusterAccess) {
    this.kube = new KubeClient(cluster);
  }

  /** The object, or undefined when it does not exist. */
  async getCustom(resource: ApiResource, namespace: string, name: string): Promise<StoredObject | undefined> {
    return absentOn404(this.call(`get ${resource.plural} ${namespace}/${name}`, 'GET', pathOf(resource, namespace, name)));
  }

  async createCustom(resource: ApiResource, object: StoredObject): Promise<StoredObject> {
    const namespace = object.metadata.namespace!;
    return this.call(`create ${resource.plural} ${namespace}/${object.metadata.name}`, 'POST', pathOf(resource, namespace), object);
  }

  /** Replaces with optimistic locking: `object.metadata.resourceVersion` must be current, else 409. */
  async replaceCustom(resource: ApiResource, object: StoredObject): Promise<StoredObject> {
    const { namespace, name } = object.metadata;
    return this.call(`update ${resource.plural} ${namespace}/${name}`, 'PUT', pathOf(resource, namespace, name), object);
  }

  /**
   * A JSON merge patch of the object (`status`: of its status subresource). A patch that carries
   * `metadata.resourceVersion` is applied only to that version, else 409.
   */
  async patchCustom(
    resource: ApiResource,
    namespace: string,
    name: string,
    patch: Json,
    options: { status?: boolean } = {},
  ): Promise<StoredObject> {
    const sub = options.status ? 'status' : undefined;
    return this.call(
      `patch ${resource.plural}${sub ? `/${sub}` : ''} ${namespace}/${name}`,
      'PATCH',
      pathOf(resource, namespace, name, sub),
      patch,
      MERGE_PATCH,
    );
  }

  /** True when deleted, false when it was already gone. */
  async deleteCustom(resource: ApiResource, namespace: string, name: string): Promise<boolean> {
    return goneOn404(this.call(`delete ${resource.plural} ${namespace}/${name}`, 'DELETE', pathOf(resource, namespace, name)));
  }

  async getSecret(namespace: string, name: string): Promise<k8s.V1Secret | undefined> {
    return absentOn404(this.call<k8s.V1Secret>(`get secret ${namespace}/${name}`, 'GET', pathOf(GROUPS.secrets, namespace, name)));
  }

  async createSecret(body: k8s.V1Secret & { metadata: { namespace: string } }): Promise<void> {
    await this.call(
      `create secret ${body.metadata.namespace}/${body.metadata.name}`,
      'POST',
      pathOf(GROUPS.secrets, body.metadata.namespace),
      body,
    );
  }

  async deleteSecret(namespace: string, name: string): Promise<boolean> {
    return goneOn404(this.call(`delete secret ${namespace}/${name}`, 'DELETE', pathOf(GROUPS.secrets, namespace, name)));
  }

  private async call<T = StoredObject>(what: string, method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    try {
      return await this.kube.request<T>(method, path, { body, contentType });
    } catch (err) {
      throw toApiCallError(what, err);
    }
  }
}

export function toApiCallError(what: string, err: unknown): ApiCallError {
  if (err instanceof ApiCallError) return err;
  if (err instanceof KubeApiError) return new ApiCallError(err.status, `${what}: ${err.message}`);
  return new ApiCallError(undefined, `${what}: ${(err as Error).message ?? String(err)}`);
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
