// The webhook Service. Its annotations ask Gardener's resource manager to let every webhook caller
// (the shoots' kube-apiservers in their control-plane namespaces) through the seed's NetworkPolicies.
import type { IService } from 'kubernetes-models/v1/Service';
import { SERVICE_NAME, SERVICE_PORT, WEBHOOK_PORT } from '../gardener/extension-identity.js';
import { COMMON_LABELS, SELECTOR_LABELS } from './names.js';

export function service(namespace: string): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: SERVICE_NAME,
      namespace,
      labels: COMMON_LABELS,
      annotations: {
        'networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports': JSON.stringify([{ protocol: 'TCP', port: WEBHOOK_PORT }]),
        'networking.resources.gardener.cloud/namespace-selectors': JSON.stringify([{ matchLabels: { 'gardener.cloud/role': 'shoot' } }]),
        'networking.resources.gardener.cloud/pod-label-selector-namespace-alias': 'extensions',
      },
    },
    spec: {
      type: 'ClusterIP',
      selector: SELECTOR_LABELS,
      ports: [{ name: 'https', port: SERVICE_PORT, targetPort: 'webhook', protocol: 'TCP' }],
    },
  };
}
