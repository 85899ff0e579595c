// The rollout's writes to the seed, each locked to the resourceVersion of the object it was computed
// from (another writer in between means 409, and the next step decides again from fresh caches):
// a shoot's entry, its progress, the halt and its clearing, and the halt's Event.
import { encodeHalt, encodeProgress, HALT_KEY, PROGRESS_ANNOTATION, ROLLOUT_CONFIGMAP } from '../rollout/stored-state.js';
import type { Halt, ShootProgress } from '../rollout/rollout-state.js';
import { desiredResources, MANAGED_RESOURCE_NAME } from './desired.js';
import type { ReconcileSettings } from './reconciler.js';
import { createContentSecret } from './reconciler.js';
import { REFERENCE_ANNOTATION_PREFIX, referenceAnnotationKey } from './secret-name.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import { GROUPS, type SeedClient } from './seed-client.js';

export class RolloutWriter {
  constructor(
    private readonly client: SeedClient,
    private readonly settings: ReconcileSettings,
    /** The extension's namespace, where the rollout ConfigMap lives. */
    private readonly namespace: string,
  ) {}

  /**
   * A shoot enters its wave: ONE update of its webhook ManagedResource records the entry and points it
   * at the configuration rendered with the target (its content-named Secret is created first, so the
   * reference never names a missing Secret).
   */
  async enter(current: KubeObject, progress: ShootProgress, caBundle: string): Promise<KubeObject> {
    const namespace = current.metadata.namespace!;
    const { secret } = desiredResources({ namespace, caBundle, ...this.settings, target: progress.target });
    const name = secret.metadata.name;
    const referenced = ((current.spec as { secretRefs?: { name?: string }[] } | undefined)?.secretRefs ?? []).map((r) => r.name);
    if (!referenced.includes(name)) await createContentSecret(this.client, secret);
    const annotations: Record<string, string | null> = {};
    // The superseded reference goes, as the reconciler does it: the resource manager collects that Secret.
    for (const key of Object.keys(current.metadata.annotations ?? {}))
      if (key.startsWith(REFERENCE_ANNOTATION_PREFIX)) annotations[key] = null;
    annotations[referenceAnnotationKey('secret', name)] = name;
    annotations[PROGRESS_ANNOTATION] = encodeProgress(progress);
    return this.client.patchCustom(GROUPS.managedResources, namespace, MANAGED_RESOURCE_NAME, {
      metadata: { resourceVersion: current.metadata.resourceVersion ?? null, annotations },
      spec: { secretRefs: [{ name }] },
    });
  }

  /** movedAt or healthySince changed: the annotation alone. */
  progress(current: KubeObject, progress: ShootProgress): Promise<KubeObject> {
    return this.client.patchCustom(GROUPS.managedResources, current.metadata.namespace!, MANAGED_RESOURCE_NAME, {
      metadata: {
        resourceVersion: current.metadata.resourceVersion ?? null,
        annotations: { [PROGRESS_ANNOTATION]: encodeProgress(progress) },
      },
    });
  }

  /** Creates the ConfigMap if it does not exist yet; otherwise sets data.halt on the version seen. */
  halt(current: KubeObject | undefined, halt: Halt): Promise<KubeObject> {
    if (!current) {
      return this.client.createCustom(GROUPS.configMaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ROLLOUT_CONFIGMAP, namespace: this.namespace },
        data: { [HALT_KEY]: encodeHalt(halt) },
      });
    }
    return this.client.patchCustom(GROUPS.configMaps, this.namespace, ROLLOUT_CONFIGMAP, {
      metadata: { resourceVersion: current.metadata.resourceVersion ?? null },
      data: { [HALT_KEY]: encodeHalt(halt) },
    });
  }

  /** The operator resumed: data.halt goes (the resume annotation stays; it names a halt that is gone). */
  clearHalt(current: KubeObject): Promise<KubeObject> {
    return this.client.patchCustom(GROUPS.configMaps, this.namespace, ROLLOUT_CONFIGMAP, {
      metadata: { resourceVersion: current.metadata.resourceVersion ?? null },
      data: { [HALT_KEY]: null },
    });
  }

  async event(event: KubeObject): Promise<void> {
    await this.client.createCustom(GROUPS.events, event);
  }
}
