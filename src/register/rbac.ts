// Exactly what the shoot webhook registration touches in the seed, as data for the generated RBAC.
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
  // Informer on the Extensions that opt shoots in; a fresh read before acting on one, and its
  // finalizer and operation annotation (Gardener's extension contract).
  { apiGroups: ['extensions.gardener.cloud'], resources: ['extensions'], verbs: ['get', 'list', 'watch', 'update'] },
  // Reporting each operation: lastOperation, lastError, observedGeneration.
  { apiGroups: ['extensions.gardener.cloud'], resources: ['extensions/status'], verbs: ['update'] },
  // Our ManagedResource per shoot namespace: informer, read before write, create, update, removal.
  { apiGroups: ['resources.gardener.cloud'], resources: ['managedresources'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
  // Its immutable, content-named secrets: read, create, delete on removal (never updated).
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'delete'] },
];

/** In the extension's own namespace (Role): the leader-election Lease. `create` cannot be limited by name. */
export function registrationNamespaceRules(leaseName = DEFAULT_LEASE_NAME): PolicyRule[] {
  return [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: [leaseName] },
  ];
}
