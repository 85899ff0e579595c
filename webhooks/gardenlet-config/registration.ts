// Registration of the gardenlet-config webhook: gardenlet configuration in the seed (ConfigMap) and
// in the garden cluster (ManagedSeed, Gardenlet).
import { allowed } from '../../src/admission/response.js';
import type { Webhook } from '../../src/admission/webhook.js';

export const gardenletConfigWebhook: Webhook = {
  name: 'gardenlet-config',
  path: '/webhooks/gardenlet-config',
  type: 'validating',
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
  placements: [
    {
      target: 'seed',
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'garden' } },
      objectSelector: { matchLabels: { app: 'gardener', role: 'gardenlet' } },
    },
    {
      target: 'garden',
      rules: [
        {
          operations: ['CREATE', 'UPDATE'],
          apiGroups: ['seedmanagement.gardener.cloud'],
          apiVersions: ['v1alpha1'],
          resources: ['managedseeds', 'gardenlets'],
        },
      ],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'garden' } },
    },
  ],
  handle: () => allowed(),
};
