// The shoot Role: exactly the rights of a move, limited by name wherever the name is fixed, bound to the
// ServiceAccount the token requestor creates for the access Secret. (The e2e move test checks every call against it.)
import { describe, expect, it } from 'vitest';
import { SHOOT_SERVICE_ACCOUNT, shootAccessSecret } from '../../src/register/shoot-access.js';
import { SHOOT_ROLE_NAME, shootAccessRbac, shootRole, shootRoleBinding } from '../../src/register/shoot-access-rbac.js';

describe('shoot access RBAC', () => {
  it('grants ConfigMaps get/list/delete, apiserver-proxy and vpn-shoot get/patch by name, nothing else', () => {
    expect(shootRole()).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: SHOOT_ROLE_NAME, namespace: 'kube-system' },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'delete'] },
        { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get', 'patch'], resourceNames: ['apiserver-proxy'] },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'patch'], resourceNames: ['vpn-shoot'] },
      ],
    });
    const rules = shootRole().rules as { verbs: string[]; resources: string[] }[];
    for (const rule of rules) expect([...rule.verbs, ...rule.resources]).not.toContain('*');
    expect(rules.flatMap((r) => r.verbs)).not.toContain('create');
    expect(rules.flatMap((r) => r.verbs)).not.toContain('update');
  });

  it('binds the ServiceAccount the access Secret asks the token requestor for', () => {
    const annotations = shootAccessSecret('shoot--foo--bar').metadata.annotations!;
    const binding = shootRoleBinding();
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: annotations['serviceaccount.resources.gardener.cloud/name'],
        namespace: annotations['serviceaccount.resources.gardener.cloud/namespace'],
      },
    ]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', ...SHOOT_SERVICE_ACCOUNT }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SHOOT_ROLE_NAME });
    expect(binding.metadata.namespace).toBe('kube-system');
  });

  it('are plain objects, Role first, ready for the shoot ManagedResource', () => {
    const objects = shootAccessRbac();
    expect(objects.map((o) => o.kind)).toEqual(['Role', 'RoleBinding']);
    expect(JSON.parse(JSON.stringify(objects))).toEqual(objects);
  });
});
