// Brings one shoot namespace to its desired state: write the content-named Secret if the
// ManagedResource does not already point at it, then point the ManagedResource at it; or remove both.
// The ManagedResource is read from the watch cache and changed by merge patch, so a namespace in sync
// costs no request at all. A Secret the ManagedResource references exists: its name is its content
// hash, it is created before the reference, and the resource manager's finalizer keeps it while referenced.
import type * as k8s from '@kubernetes/client-node';
import { isEmptyPatch, mergePatch, type Json } from '../gardener/merge-patch.js';
import type { ShootTarget } from '../gardener/shoot-target.js';
import type { DataFormat } from './manifest-data.js';
import { decodeManifest } from './manifest-data.js';
import { MANAGED_RESOURCE_NAME, desiredResources, managedResourceFor, type DesiredResources, type SecretObject } from './desired.js';
import { REFERENCE_ANNOTATION_PREFIX } from './secret-name.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import { ApiCallError, GROUPS, type SeedClient } from './seed-client.js';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent' | 'deleting';

export interface ReconcileSettings {
  serviceNamespace: string;
  serviceName?: string;
  servicePort?: number;
  format?: DataFormat;
  /** With the rollout: moving shoots get the Role their move uses (ShootWebhookInput.shootAccessRbac). */
  shootAccessRbac?: boolean;
}

/** The object is changing under us (being deleted): try again later, like a conflict. */
export class NotYetError extends Error {
  override name = 'NotYetError';
}

/** Where the reconciler reads ManagedResources (the watch cache) and reports its own writes to. */
export interface ManagedResourceCache {
  get(namespace: string): KubeObject | undefined;
  wrote(object: KubeObject): KubeObject;
}

export class ShootWebhookReconciler {
  /**
   * Per namespace, the secret name the current CA bundle renders to: resyncs compare names without
   * rendering and compressing again, and nothing larger than a name is kept per shoot.
   */
  private readonly rendered = new Map<string, { caBundle: string; target?: ShootTarget; secretName: string }>();
  /** Per namespace, a referenced secret found to hold the desired manifests in other bytes (another brotli build). */
  private readonly equivalent = new Map<string, { referenced: string; desired: string }>();

  constructor(
    private readonly client: SeedClient,
    private readonly settings: ReconcileSettings,
    private readonly cache: ManagedResourceCache,
  ) {}

  /** `target`: the shoot's target in its webhook paths (the rollout's entry or a hold); none for the default. */
  async ensure(namespace: string, caBundle: string, target?: ShootTarget): Promise<Outcome> {
    const current = this.cache.get(namespace);
    if (current?.metadata.deletionTimestamp) {
      throw new NotYetError(`managedresource ${namespace}/${MANAGED_RESOURCE_NAME} is being deleted; recreating it once it is gone`);
    }
    const referenced = secretRefs(current);
    const known = this.rendered.get(namespace);
    // Rendered (YAML, brotli, hash) only when the CA bundle or the target is new to this namespace, and then once.
    let desired = known?.caBundle === caBundle && known.target === target ? undefined : this.render(namespace, caBundle, target);
    let secretName = desired?.secret.metadata.name ?? known!.secretName;
    let wroteSecret = false;
    const equivalent = this.equivalent.get(namespace);
    if (referenced.length === 1 && equivalent?.referenced === referenced[0] && equivalent?.desired === secretName) {
      secretName = referenced[0]!;
    } else if (!referenced.includes(secretName)) {
      desired ??= this.render(namespace, caBundle, target);
      if (referenced.length === 1 && (await this.holdsManifest(namespace, referenced[0]!, desired))) {
        // Same manifests, different bytes (another brotli build compressed them): nothing to roll out.
        secretName = referenced[0]!;
      } else {
        wroteSecret = await this.createSecret(desired.secret);
      }
    }

    const wanted = managedResourceFor(namespace, secretName);
    if (!current) {
      this.cache.wrote(await this.client.createCustom(GROUPS.managedResources, wanted as unknown as KubeObject));
      return 'created';
    }
    const before = { metadata: { annotations: current.metadata.annotations }, spec: current.spec };
    const after = {
      metadata: { annotations: { ...withoutReferences(current.metadata.annotations), ...wanted.metadata.annotations } },
      spec: wanted.spec,
    };
    const changes = mergePatch(before, after);
    if (isEmptyPatch(changes)) return wroteSecret ? 'updated' : 'unchanged';
    // The superseded secret keeps its garbage-collectable label and loses its reference annotation: the
    // shoot's resource manager deletes it once it has applied the new one.
    await this.patch(current, changes);
    return 'updated';
  }

  /** Removes the ManagedResource (its objects leave the shoot: keepObjects is false) and its secrets. */
  async remove(namespace: string): Promise<Outcome> {
    this.forget(namespace);
    const current = this.cache.get(namespace);
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
    const current = this.cache.get(namespace);
    if (current && !current.metadata.deletionTimestamp && (current.spec as { keepObjects?: boolean } | undefined)?.keepObjects !== true) {
      await this.patch(current, { spec: { keepObjects: true } });
    }
    return this.remove(namespace);
  }

  /** Drops what is remembered of a namespace (it went away, or no longer wants the webhooks). */
  forget(namespace: string): void {
    this.rendered.delete(namespace);
    this.equivalent.delete(namespace);
  }

  /** Locked to the version the patch was computed from: another writer in between means 409 and a retry. */
  private async patch(current: KubeObject, changes: Json): Promise<void> {
    const patch = { ...(changes as Record<string, Json>) };
    patch.metadata = { ...(patch.metadata as Record<string, Json> | undefined), resourceVersion: current.metadata.resourceVersion ?? null };
    this.cache.wrote(await this.client.patchCustom(GROUPS.managedResources, current.metadata.namespace!, MANAGED_RESOURCE_NAME, patch));
  }

  private render(namespace: string, caBundle: string, target: ShootTarget | undefined): DesiredResources {
    const desired = desiredResources({ namespace, caBundle, ...this.settings, ...(target ? { target } : {}) });
    this.rendered.set(namespace, { caBundle, ...(target ? { target } : {}), secretName: desired.secret.metadata.name });
    return desired;
  }

  private createSecret(secret: SecretObject): Promise<boolean> {
    return createContentSecret(this.client, secret);
  }

  /** Same data keys (so the same format) and the same manifests once decoded; the verdict is remembered. */
  private async holdsManifest(namespace: string, name: string, desired: DesiredResources): Promise<boolean> {
    const secret = await this.client.getSecret(namespace, name);
    const keys = (data: object | undefined): string =>
      Object.keys(data ?? {})
        .sort()
        .join(',');
    const holds =
      secret?.immutable === true && keys(secret.data) === keys(desired.secret.data) && decodeManifest(secret.data) === desired.manifest;
    if (holds) this.equivalent.set(namespace, { referenced: name, desired: desired.secret.metadata.name });
    return holds;
  }
}

function secretRefs(mr: KubeObject | undefined): string[] {
  const refs = (mr?.spec as { secretRefs?: { name?: string }[] } | undefined)?.secretRefs ?? [];
  return refs.map((r) => r.name).filter((n): n is string => typeof n === 'string');
}

function withoutReferences(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith(REFERENCE_ANNOTATION_PREFIX)));
}

/** Creates the secret; true when it wrote. Its name is its content hash, so one that exists already is equal. */
export async function createContentSecret(client: SeedClient, secret: SecretObject): Promise<boolean> {
  try {
    await client.createSecret(secret as unknown as k8s.V1Secret & { metadata: { namespace: string } });
    return true;
  } catch (err) {
    if (err instanceof ApiCallError && err.status === 409) return false;
    throw err;
  }
}
