// Registration of the apiserver-proxy webhook: the shoot's apiserver-proxy ConfigMap in kube-system.
import type { MigrationWebhook } from '../context.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';
import { computedDestinationValue, destinationFor, targetHeaderKeys } from './destination.js';
import { handleApiserverProxy } from './handle.js';
import { APISERVER_PROXY_LABELS } from './mutate.js';

export const apiserverProxyWebhook: MigrationWebhook = {
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
      objectSelector: { matchLabels: { ...APISERVER_PROXY_LABELS } },
    },
  ],
  handle: handleApiserverProxy,
  describe: ({ settings }) => {
    const { port, headers } = destinationFor(settings.phase, targetHeaderKeys(settings), computedDestinationValue(settings, '<technical-id>'));
    return (
      `moves envoy.yaml to HTTP CONNECT on port ${port}, header ${headers.map((h) => h.key).join(' and ')}: ${headers[0]!.value} ` +
      '(a legacy one; a tunnel keeps its own value, and what is already there or further is left as it is)'
    );
  },
};
