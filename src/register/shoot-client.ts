// The few calls a move makes in a shoot, over the shoot's pooled connection, with errors reduced to status codes
// and one-line messages (as SeedClient does for the seed). Metadata changes are merge patches, so a write never
// carries a whole object another client also writes.
import type { KubeClient } from '../gardener/kube-client.js';
import type { Json } from '../gardener/merge-patch.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import { pathOf, toApiCallError, type ApiResource } from './seed-client.js';

export const SHOOT_RESOURCES = {
  configMaps: { group: '', version: 'v1', plural: 'configmaps' },
  daemonSets: { group: 'apps', version: 'v1', plural: 'daemonsets' },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  statefulSets: { group: 'apps', version: 'v1', plural: 'statefulsets' },
} as const satisfies Record<string, ApiResource>;

/** Only this very object is deleted: the API answers 409 when its uid or resourceVersion has changed. */
export interface DeletePreconditions {
  uid: string;
  resourceVersion: string;
}

export class ShootClient {
  constructor(private readonly kube: KubeClient) {}

  /** The object, or undefined when it does not exist. */
  async get(resource: ApiResource, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.call<KubeObject>(`get ${resource.plural} ${namespace}/${name}`, 'GET', pathOf(resource, namespace, name));
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw err;
    }
  }

  async mergePatch(resource: ApiResource, namespace: string, name: string, patch: Json): Promise<void> {
    await this.call(
      `patch ${resource.plural} ${namespace}/${name}`,
      'PATCH',
      pathOf(resource, namespace, name),
      patch,
      'application/merge-patch+json',
    );
  }

  async delete(resource: ApiResource, namespace: string, name: string, preconditions: DeletePreconditions): Promise<void> {
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions };
    await this.call(`delete ${resource.plural} ${namespace}/${name}`, 'DELETE', pathOf(resource, namespace, name), body);
  }

  private async call<T = unknown>(what: string, method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    try {
      return await this.kube.request<T>(method, path, { body, contentType });
    } catch (err) {
      throw toApiCallError(what, err);
    }
  }
}
