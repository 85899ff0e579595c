// Everything the server reads, as data: one rule per need, each with the feature that needs it.
// Add a rule here (and nowhere else) when a feature needs more; verbs stay read-only unless it writes.
import type { IIoK8sApiRbacV1PolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';

export interface RbacNeed {
  /** The feature that needs the access: a rule nobody needs any more can then be found and removed. */
  neededBy: string;
  rule: IIoK8sApiRbacV1PolicyRule;
}

const READ = ['get', 'list', 'watch'];

export const RBAC_NEEDS: RbacNeed[] = [
  {
    neededBy: 'gardenlet-config webhook: shoots per seed, to gate the gardenlet feature gates (--garden-kubeconfig)',
    rule: { apiGroups: ['core.gardener.cloud'], resources: ['shoots'], verbs: READ },
  },
  {
    neededBy:
      "gardenlet-config webhook: each seed's status.gardener.version, the gardenlet release that judges a configuration naming none itself (--garden-kubeconfig)",
    rule: { apiGroups: ['core.gardener.cloud'], resources: ['seeds'], verbs: READ },
  },
  {
    neededBy: 'seed preflight: the Istio ingress objects it judges (--seed-kubeconfig)',
    rule: { apiGroups: ['networking.istio.io'], resources: ['envoyfilters', 'gateways'], verbs: READ },
  },
];
