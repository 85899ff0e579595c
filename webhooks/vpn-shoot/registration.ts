// Registration of the vpn-shoot webhook: the shoot's VPN client Deployment or HA StatefulSet in kube-system.
import { allowed, patchResponseFromObjects, skipped } from '../../src/admission/response.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';
import { UNIFIED_OPENVPN_PORT } from './ensure-unified-env.js';
import { mutateVpnShoot } from './mutate.js';
import { MIN_VPN_CLIENT_VERSION } from './vpn-client-version.js';

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
    const { object, warnings, skipped: reason } = mutateVpnShoot(request.object, settings);
    if (reason) {
      const [why, ...more] = warnings;
      return skipped(reason, why ?? `vpn-shoot: ${reason}`, ...more);
    }
    // Unchanged means the very same object: no diff to walk.
    if (object === request.object) return allowed(...warnings);
    return patchResponseFromObjects(request.object, object, ...warnings);
  },
  describe: (settings) =>
    settings.phase === 'unified'
      ? `moves the VPN client to port ${UNIFIED_OPENVPN_PORT} with REVERSED_VPN_HEADER_KEY=X-Gardener-Destination (vpn-client ${MIN_VPN_CLIENT_VERSION} or later)`
      : 'leaves vpn-shoot unchanged: the VPN client moves only in the unified phase',
};
