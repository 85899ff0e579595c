// Registration of the apiserver-proxy webhook: the shoot's apiserver-proxy ConfigMap in kube-system.
import { allowed } from '../../src/admission/response.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';

export const apiserverProxyWebhook: Webhook = {
  name: 'apiserver-proxy',
  path: '/webhooks/apiserver-proxy',
  pathParameter: { name: 'technicalId' },
  type: 'mutating',
  failurePolicy: 'Ignore',
  timeoutSeconds: 10,
  placements: [
    {
      target: 'shoot',
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      namespaceSelector: KUBE_SYSTEM_SELECTOR,
      objectSelector: { matchLabels: { app: 'kubernetes', role: 'apiserver-proxy' } },
    },
  ],
  handle: () => allowed(),
};
