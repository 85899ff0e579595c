// Brings one shoot namespace to its desired state: write the content-named Secret if it is missing,
// then point the ManagedResource at it; or remove both. Reads first and writes only on a difference,
// so a resync that changes nothing issues GETs only.
import type * as k8s from '@kubernetes/client-node';
import type { DataFormat } from './manifest-data.js';
import { decodeManifest } from './manifest-data.js';
import { MANAGED_RESOURCE_NAME, desiredResources, managedResourceFor, type DesiredResources, type SecretObject } from './desired.js';
import { REFERENCE_ANNOTATION_PREFIX } from './secret-name.js';
import { ApiCallError, GROUPS, type KubeObject, type SeedClient } from './seed-client.js';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent' | 'deleting';

export interface ReconcileSettings {
  serviceNamespace: string;
  serviceName?: string;
  servicePort?: number;
  format?: DataFormat;
}

/** The object is changing under us (being deleted): try again later, like a conflict. */
export class NotYetError extends Error {
  override name = 'NotYetError';
}

export class ShootWebhookReconciler {
  /** The last desired state per namespace: the CA bundle rarely changes, so resyncs skip rendering and compressing. */
  private readonly rendered = new Map<string, { caBundle: string; desired: DesiredResources }>();

  constructor(
    private readonly client: SeedClient,
    private readonly settings: ReconcileSettings,
  ) {}

  async ensure(namespace: string, caBundle: string): Promise<Outcome> {
    const desired = this.render(namespace, caBundle);
    const current = await this.client.getCustom(GROUPS.managedResources, namespace, MANAGED_RESOURCE_NAME);
    if (current?.metadata.deletionTimestamp) {
      throw new NotYetError(`managedresource ${namespace}/${MANAGED_RESOURCE_NAME} is being deleted; recreating it once it is gone`);
    }
    const referenced = secretRefs(current);
    let secretName = desired.secret.metadata.name;
    let wroteSecret = false;
    if (referenced.length === 1 && referenced[0] !== secretName && (await this.holdsManifest(namespace, referenced[0]!, desired.secret, desired.manifest))) {
      // Same manifests, different bytes (another brotli build compressed them): nothing to roll out.
      secretName = referenced[0]!;
    } else {
      wroteSecret = await this.ensureSecret(desired.secret);
    }

    const wanted = managedResourceFor(namespace, secretName);
    if (!current) {
      await this.client.createCustom(GROUPS.managedResources, wanted as unknown as KubeObject);
      return 'created';
    }
    const next = structuredClone(current);
    next.metadata.annotations = { ...withoutReferences(current.metadata.annotations), ...wanted.metadata.annotations };
    next.spec = wanted.spec;
    if (canonical(next.metadata.annotations) === canonical(current.metadata.annotations ?? {}) && canonical(next.spec) === canonical(current.spec)) {
      return wroteSecret ? 'updated' : 'unchanged';
    }
    // The superseded secret keeps its garbage-collectable label and loses its reference annotation: the
    // shoot's resource manager deletes it once it has applied the new one.
    await this.client.replaceCustom(GROUPS.managedResources, next);
    return 'updated';
  }

  /** Removes the ManagedResource (its objects leave the shoot: keepObjects is false) and its secrets. */
  async remove(namespace: string): Promise<Outcome> {
    this.rendered.delete(namespace);
    const current = await this.client.getCustom(GROUPS.managedResources, namespace, MANAGED_RESOURCE_NAME);
    if (!current) return 'absent';
    if (current.metadata.deletionTimestamp) return 'deleting';
    // Secrets first, as Gardener's managedresources.Delete does: the resource manager's finalizer keeps
    // them until the ManagedResource is gone, and no secret is orphaned if we fail in between.
    for (const name of secretRefs(current)) await this.client.deleteSecret(namespace, name);
    await this.client.deleteCustom(GROUPS.managedResources, namespace, MANAGED_RESOURCE_NAME);
    return 'deleted';
  }

  /**
   * For a migration to another seed: the ManagedResource goes but, with keepObjects set first, the
   * shoot keeps its webhook configuration until the new seed's ManagedResource adopts it.
   */
  async release(namespace: string): Promise<Outcome> {
    const current = await this.client.getCustom(GROUPS.managedResources, namespace, MANAGED_RESOURCE_NAME);
    if (current && !current.metadata.deletionTimestamp && (current.spec as { keepObjects?: boolean } | undefined)?.keepObjects !== true) {
      await this.client.replaceCustom(GROUPS.managedResources, { ...current, spec: { ...(current.spec as object), keepObjects: true } });
    }
    return this.remove(namespace);
  }

  private render(namespace: string, caBundle: string): DesiredResources {
    const cached = this.rendered.get(namespace);
    if (cached?.caBundle === caBundle) return cached.desired;
    const desired = desiredResources({ namespace, caBundle, ...this.settings });
    this.rendered.set(namespace, { caBundle, desired });
    return desired;
  }

  /** Creates the secret unless it exists; true when it wrote. Its name is its content hash, so existing means equal. */
  private async ensureSecret(secret: SecretObject): Promise<boolean> {
    const { namespace, name } = secret.metadata;
    if (await this.client.getSecret(namespace, name)) return false;
    try {
      await this.client.createSecret(secret as unknown as k8s.V1Secret & { metadata: { namespace: string } });
      return true;
    } catch (err) {
      if (err instanceof ApiCallError && err.status === 409) return false; // created concurrently: same name, same content
      throw err;
    }
  }

  /** Same data keys (so the same format) and the same manifests once decoded. */
  private async holdsManifest(namespace: string, name: string, desired: SecretObject, manifest: string): Promise<boolean> {
    const secret = await this.client.getSecret(namespace, name);
    const keys = (data: object | undefined): string => Object.keys(data ?? {}).sort().join(',');
    return secret?.immutable === true && keys(secret.data) === keys(desired.data) && decodeManifest(secret.data) === manifest;
  }
}

function secretRefs(mr: KubeObject | undefined): string[] {
  const refs = (mr?.spec as { secretRefs?: { name?: string }[] } | undefined)?.secretRefs ?? [];
  return refs.map((r) => r.name).filter((n): n is string => typeof n === 'string');
}

function withoutReferences(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith(REFERENCE_ANNOTATION_PREFIX)));
}

/** JSON with object keys sorted, so that key order from the API never reads as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
