// What the rollout may do in a shoot, as plain objects for the shoot ManagedResource: a Role in kube-system for the
// ServiceAccount the token requestor creates (shoot-access.ts), with exactly the rights a move uses (shoot-mover.ts).
import type { PolicyRule } from './rbac.js';

export const SHOOT_ROLE_NAME = 'http-proxy-migrator';
/**
 * The ServiceAccount the token requestor creates in the shoot for the access Secret's annotations
 * (shoot-access.ts writes them from this), and the RoleBinding's subject: one name for both.
 */
export const SHOOT_SERVICE_ACCOUNT = { name: 'http-proxy-migrator', namespace: 'kube-system' } as const;

/** Each write a move makes, and the reads it observes with. */
export const SHOOT_RULES: readonly PolicyRule[] = [
  // The apiserver-proxy ConfigMap is named after a hash of its content (apiserver-proxy-config-<hash>), so neither
  // get nor delete can be limited by name: RBAC resourceNames are exact names, never prefixes. Every delete carries
  // preconditions on the observed uid and resourceVersion, and only an unmoved apiserver-proxy ConfigMap is deleted.
  // `list` finds the apiserver-proxy-config-* ConfigMaps by label when diagnosing as this account; a move reads by name.
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'delete'] },
  // The pod template's `kubectl.kubernetes.io/restartedAt`, as `kubectl rollout restart` writes it.
  { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get', 'patch'], resourceNames: ['apiserver-proxy'] },
  // One annotation that passes the vpn-shoot webhook (a Deployment, or the HA StatefulSet).
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'patch'], resourceNames: ['vpn-shoot'] },
];

export interface ShootRbacObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  [key: string]: unknown;
}

export function shootRole(): ShootRbacObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: SHOOT_ROLE_NAME, namespace: SHOOT_SERVICE_ACCOUNT.namespace },
    rules: SHOOT_RULES.map((rule) => ({ ...rule })),
  };
}

export function shootRoleBinding(): ShootRbacObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: SHOOT_ROLE_NAME, namespace: SHOOT_SERVICE_ACCOUNT.namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SHOOT_ROLE_NAME },
    subjects: [{ kind: 'ServiceAccount', name: SHOOT_SERVICE_ACCOUNT.name, namespace: SHOOT_SERVICE_ACCOUNT.namespace }],
  };
}

/** Both, in the order they are applied. */
export function shootAccessRbac(): ShootRbacObject[] {
  return [shootRole(), shootRoleBinding()];
}
