// Registration of the apiserver-proxy webhook: the shoot's apiserver-proxy ConfigMap in kube-system, at
// `/webhooks/apiserver-proxy/<technical-id>[/<target>]`.
import { fromMutation } from '../../src/admission/mutation.js';
import type { Verdict } from '../../src/admission/response.js';
import type { AdmissionRequest } from '../../src/admission/types.js';
import type { Phase } from '../../src/gardener/settings.js';
import type { MigrationWebhook, MigrationWebhookContext } from '../context.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';
import { SHOOT_PATH_PARAMETERS, shootPathOf } from '../shoot-path.js';
import { APISERVER_PROXY_LABELS } from './config-map.js';
import { computedDestinationValue, destinationFor, targetHeaderKeys } from './destination.js';
import { mutateApiserverProxyRequest } from './mutate.js';

export const apiserverProxyWebhook: MigrationWebhook = {
  name: 'apiserver-proxy',
  path: '/webhooks/apiserver-proxy',
  pathParameters: SHOOT_PATH_PARAMETERS,
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
    const { port, headers } = destinationFor(
      settings.phase,
      targetHeaderKeys(settings),
      computedDestinationValue(settings, '<technical-id>'),
    );
    return (
      `moves envoy.yaml to HTTP CONNECT on port ${port}, header ${headers.map((h) => h.key).join(' and ')}: ${headers[0]!.value} ` +
      '(a legacy one; a tunnel keeps its own value, and what is already there or further is left as it is)'
    );
  },
};

// Dry runs get the same answer: the mutation has no side effects, and the readiness check reads the last verdict.
export function handleApiserverProxy(request: AdmissionRequest, context: MigrationWebhookContext): Verdict {
  const { settings, services } = context;
  const { ingress } = services;
  const answers = { ingress: ingress && ((phase: Phase) => ingress.check(phase)) };
  return fromMutation(request.object, mutateApiserverProxyRequest(request, settings, shootPathOf(context), answers));
}
