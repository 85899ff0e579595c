// Registration of the vpn-shoot webhook: the shoot's VPN client Deployment or HA StatefulSet in kube-system.
import { because, leftAsIs, patchResponseFromObjects, skipped } from '../../src/admission/response.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';
import { mutateVpnShoot } from './mutate.js';

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
  // The same answer for dry-run requests: the mutation has no side effects to suppress.
  handle: (request, { settings }) => {
    const { object, reason, warnings, skipped: skipReason } = mutateVpnShoot(request.object, settings);
    if (skipReason) {
      const [why, ...more] = warnings;
      return skipped(skipReason, why ?? `vpn-shoot: ${skipReason}`, ...more);
    }
    // Unchanged means the very same object: no diff to walk.
    if (reason !== 'moved') return leftAsIs(reason, warnings);
    return because(reason, patchResponseFromObjects(request.object, object, ...warnings));
  },
};
