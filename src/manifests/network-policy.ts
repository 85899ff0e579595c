// Ingress to the webhook pods: the webhook port and the two metrics ports only, from anywhere, since kube-apiservers
// call from shoot namespaces or from outside the cluster. Egress is left to Gardener's labels on the pods.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { METRICS_PORT, REGISTER_METRICS_PORT, SERVICE_NAME, WEBHOOK_PORT } from '../gardener/extension-identity.js';
import { COMMON_LABELS, SELECTOR_LABELS } from './names.js';

export function networkPolicy(namespace: string): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: SERVICE_NAME, namespace, labels: COMMON_LABELS },
    spec: {
      podSelector: { matchLabels: SELECTOR_LABELS },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [
            { protocol: 'TCP', port: WEBHOOK_PORT },
            { protocol: 'TCP', port: METRICS_PORT },
            { protocol: 'TCP', port: REGISTER_METRICS_PORT },
          ],
        },
      ],
    },
  };
}
