// The server's identity, its read-only ClusterRole built from RBAC_NEEDS, and the register controller's
// writing roles, built from the rules the controller itself declares.
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { SERVICE_NAME } from '../gardener/extension-identity.js';
import { REGISTRATION_CLUSTER_RULES, ROLLOUT_CLUSTER_RULES, SHOOT_MOVE_CLUSTER_RULES, registrationNamespaceRules, rolloutNamespaceRules } from '../register/rbac.js';
import { COMMON_LABELS, REGISTER_ROLE_NAME } from './names.js';
import { RBAC_NEEDS } from './rbac-rules.js';

export function serviceAccount(namespace: string): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: SERVICE_NAME, namespace, labels: COMMON_LABELS },
    // The token is mounted by the Deployment only: nothing else should run as this account.
    automountServiceAccountToken: false,
  };
}

export function clusterRole(): IClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: SERVICE_NAME, labels: COMMON_LABELS },
    rules: RBAC_NEEDS.map((need) => need.rule),
  };
}

export function clusterRoleBinding(namespace: string, role = SERVICE_NAME): IClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: COMMON_LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: SERVICE_NAME, namespace }],
  };
}

/** What the register controller writes in shoot namespaces (ManagedResources, their Secrets, Extension status, a shoot's move), and what its rollout reads and writes. */
export function registerClusterRole(): IClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: REGISTER_ROLE_NAME, labels: COMMON_LABELS },
    rules: [...REGISTRATION_CLUSTER_RULES, ...SHOOT_MOVE_CLUSTER_RULES, ...ROLLOUT_CLUSTER_RULES].map((rule) => ({ ...rule })),
  };
}

/** The register controller's leader-election Lease and the rollout ConfigMap, in the server's own namespace only. */
export function registerRole(namespace: string): IRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: REGISTER_ROLE_NAME, namespace, labels: COMMON_LABELS },
    rules: [...registrationNamespaceRules(), ...rolloutNamespaceRules()],
  };
}

export function registerRoleBinding(namespace: string): IRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: REGISTER_ROLE_NAME, namespace, labels: COMMON_LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: REGISTER_ROLE_NAME },
    subjects: [{ kind: 'ServiceAccount', name: SERVICE_NAME, namespace }],
  };
}
