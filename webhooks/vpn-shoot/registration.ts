// Registration of the vpn-shoot webhook: the shoot's VPN client Deployment or HA StatefulSet in kube-system.
import { allowed } from '../../src/admission/response.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';

export const vpnShootWebhook: Webhook = {
  name: 'vpn-shoot',
  path: '/webhooks/vpn-shoot',
  type: 'mutating',
  failurePolicy: 'Ignore',
  timeoutSeconds: 10,
  placements: [
    {
      target: 'shoot',
      rules: [
        { operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'statefulsets'] },
      ],
      namespaceSelector: KUBE_SYSTEM_SELECTOR,
      objectSelector: { matchLabels: { app: 'vpn-shoot' } },
    },
  ],
  handle: () => allowed(),
};
