// Exactly what the shoot webhook registration touches in the seed, as data for the generated RBAC.
import { ROLLOUT_CONFIGMAP as ROLLOUT_CONFIGMAP_NAME } from '../rollout/stored-state.js';
import { DEFAULT_LEASE_NAME } from './defaults.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Cluster-wide (ClusterRole): shoot namespaces are not known in advance. */
export const REGISTRATION_CLUSTER_RULES: readonly PolicyRule[] = [
  // Informer on shoot namespaces (label gardener.cloud/role=shoot).
  { apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'] },
  // Informer on the Extensions that opt shoots in, and patches of their finalizer and operation
  // annotation (Gardener's extension contract).
  { apiGroups: ['extensions.gardener.cloud'], resources: ['extensions'], verbs: ['list', 'watch', 'patch'] },
  // Reporting each operation: lastOperation, lastError, observedGeneration.
  { apiGroups: ['extensions.gardener.cloud'], resources: ['extensions/status'], verbs: ['patch'] },
  // Our ManagedResource per shoot namespace: informer, create, patch, removal.
  { apiGroups: ['resources.gardener.cloud'], resources: ['managedresources'], verbs: ['list', 'watch', 'create', 'patch', 'delete'] },
  // Its immutable, content-named secrets: create, delete on removal (never updated); read only to
  // compare the manifests of a secret written by another build.
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'delete'] },
];

/**
 * Cluster-wide, for the rollout's moves (shoot-mover.ts, shoot-access.ts), beyond what the registration already has:
 * each step reads the shoot's webhook ManagedResource by name. The rest a move does in the seed is covered above:
 * `gardener.cloud/operation=reconcile` on `shoot-core-apiserver-proxy` (managedresources patch), the access Secret
 * (secrets create) and the generic token kubeconfig and the token (secrets get).
 */
export const SHOOT_MOVE_CLUSTER_RULES: readonly PolicyRule[] = [
  { apiGroups: ['resources.gardener.cloud'], resources: ['managedresources'], verbs: ['get'] },
];

/** In the extension's own namespace (Role): the leader-election Lease. `create` cannot be limited by name. */
export function registrationNamespaceRules(leaseName = DEFAULT_LEASE_NAME): PolicyRule[] {
  return [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: [leaseName] },
  ];
}

/**
 * The rollout in waves (`register --waves`), cluster-wide: the seed's Clusters for wave membership, and the
 * halt's Event on a shoot's ManagedResource. ManagedResources (health, progress annotations, entries) and
 * Secrets are covered by the registration's rules; every ManagedResource write is a merge patch.
 */
export const ROLLOUT_CLUSTER_RULES: readonly PolicyRule[] = [
  { apiGroups: ['extensions.gardener.cloud'], resources: ['clusters'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

/** In the extension's own namespace: the rollout ConfigMap (the halt). `create` cannot be limited by name. */
export function rolloutNamespaceRules(): PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch', 'create'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['patch'], resourceNames: [ROLLOUT_CONFIGMAP_NAME] },
  ];
}
