// The server's identity and its read-only ClusterRole, built from RBAC_NEEDS.
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { SERVICE_NAME } from '../config/identity.js';
import { COMMON_LABELS } from './names.js';
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

export function clusterRoleBinding(namespace: string): IClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: SERVICE_NAME, labels: COMMON_LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SERVICE_NAME },
    subjects: [{ kind: 'ServiceAccount', name: SERVICE_NAME, namespace }],
  };
}
