// What the rollout's caches keep of each watched object: a Cluster's wave membership (and the annotation
// naming its shoot's kubeconfig), the health conditions of the ManagedResources that carry apiserver-proxy
// and vpn-shoot, and the rollout ConfigMap's halt and resume annotation. Nothing else of them is read.
import type { RawObject } from '../gardener/slim-informer.js';
import { clusterMember, type ShootMember } from '../rollout/cluster-member.js';
import { GARDEN_CONDITIONS } from '../rollout/garden-health.js';
import { HALT_KEY, RESUME_ANNOTATION } from '../rollout/stored-state.js';
import type { StoredObject as KubeObject } from '../admission/types.js';

export const CLUSTER_API_VERSION = 'extensions.gardener.cloud/v1alpha1';
/** Names the generic token kubeconfig Secret in the shoot namespace: how an extension reaches its shoot. */
export const GENERIC_KUBECONFIG_ANNOTATION = 'generic-token-kubeconfig.secret.gardener.cloud/name';
const HEALTH_CONDITIONS = ['ResourcesApplied', 'ResourcesHealthy', 'ResourcesProgressing'];

export interface SlimCluster extends KubeObject {
  /** The member, or why the Cluster cannot be read as a shoot's (reported, never guessed). */
  member: ShootMember | { error: string };
}

export function slimCluster(raw: RawObject): SlimCluster {
  const meta = raw.metadata;
  const kubeconfig = (meta?.annotations as Record<string, string> | undefined)?.[GENERIC_KUBECONFIG_ANNOTATION];
  return {
    apiVersion: CLUSTER_API_VERSION,
    kind: 'Cluster',
    metadata: {
      name: String(meta?.name ?? ''),
      resourceVersion: meta?.resourceVersion,
      ...(kubeconfig !== undefined ? { annotations: { [GENERIC_KUBECONFIG_ANNOTATION]: kubeconfig } } : {}),
    },
    // List items may come without apiVersion and kind: the collection says what they are.
    member: clusterMember({ ...raw, apiVersion: CLUSTER_API_VERSION, kind: 'Cluster' }),
  };
}

/** Generation, uid (an Event names it) and the three conditions the health gate reads. */
export function slimHealthManagedResource(raw: RawObject): KubeObject {
  const meta = raw.metadata;
  const status = (raw.status ?? {}) as { observedGeneration?: unknown; conditions?: unknown };
  const conditions = Array.isArray(status.conditions)
    ? (status.conditions as Record<string, unknown>[])
        .filter((c) => typeof c === 'object' && c !== null && HEALTH_CONDITIONS.includes(c.type as string))
        .map(({ type, status, reason, lastTransitionTime }) => ({ type, status, reason, lastTransitionTime }))
    : [];
  return {
    metadata: {
      name: String(meta?.name ?? ''),
      namespace: meta?.namespace,
      resourceVersion: meta?.resourceVersion,
      uid: typeof meta?.uid === 'string' ? meta.uid : undefined,
      generation: meta?.generation as number | undefined,
    },
    status: { observedGeneration: status.observedGeneration, conditions },
  };
}

/** The halt (data.halt) and the operator's resume annotation. */
export function slimRolloutConfigMap(raw: RawObject): KubeObject {
  const meta = raw.metadata;
  const resume = (meta?.annotations as Record<string, string> | undefined)?.[RESUME_ANNOTATION];
  const halt = (raw.data as Record<string, unknown> | undefined)?.[HALT_KEY];
  return {
    metadata: {
      name: String(meta?.name ?? ''),
      namespace: meta?.namespace,
      resourceVersion: meta?.resourceVersion,
      ...(resume !== undefined ? { annotations: { [RESUME_ANNOTATION]: resume } } : {}),
    },
    data: typeof halt === 'string' ? { [HALT_KEY]: halt } : {},
  };
}

/**
 * A garden Shoot, keyed by its technical ID (`status.technicalID`, the seed's Cluster name) so the rollout
 * finds it from the Cluster; only the conditions the health gate adds.
 */
export function slimGardenShoot(raw: RawObject): KubeObject {
  const meta = raw.metadata;
  const status = (raw.status ?? {}) as { technicalID?: unknown; conditions?: unknown };
  const technicalId =
    typeof status.technicalID === 'string' && status.technicalID
      ? status.technicalID
      : `${String(meta?.namespace ?? '')}/${String(meta?.name ?? '')}`;
  const conditions = Array.isArray(status.conditions)
    ? (status.conditions as Record<string, unknown>[])
        .filter((c) => typeof c === 'object' && c !== null && (GARDEN_CONDITIONS as readonly unknown[]).includes(c.type))
        .map(({ type, status, reason, lastTransitionTime }) => ({ type, status, reason, lastTransitionTime }))
    : [];
  return { metadata: { name: technicalId, resourceVersion: meta?.resourceVersion }, status: { conditions } };
}
