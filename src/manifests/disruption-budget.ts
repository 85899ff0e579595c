// Gardener's rule for webhook servers: at most one replica down by eviction, and a broken pod may always be evicted.
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { SERVICE_NAME } from '../gardener/extension-identity.js';
import { COMMON_LABELS, SELECTOR_LABELS } from './names.js';

export function podDisruptionBudget(namespace: string): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: SERVICE_NAME, namespace, labels: COMMON_LABELS },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: SELECTOR_LABELS },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
