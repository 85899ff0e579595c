// Registration of the vpn-shoot webhook: the shoot's VPN client Deployment or HA StatefulSet in kube-system.
import { fromMutation } from '../../src/admission/mutation.js';
import type { MigrationWebhook } from '../context.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';
import { UNIFIED_OPENVPN_PORT } from './ensure-unified-env.js';
import { isOnUnifiedPort, mutateVpnShoot } from './mutate.js';
import { MIN_VPN_CLIENT_VERSION } from './vpn-client-version.js';

const STORED_AHEAD_WARNING = 'vpn-shoot: the stored object is on the unified port; this update is moved there, not back';

export const vpnShootWebhook: MigrationWebhook = {
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
    let mutation = mutateVpnShoot(request.object, settings);
    // Forward only holds for what the shoot runs: an update carrying an earlier rendering over a stored object on
    // the unified port (a lowered --phase, or a webhook outage) is moved to the unified port, not back.
    if (mutation.reason === 'at-target' && settings.phase === 'tls-tunnel' && request.operation === 'UPDATE' && isOnUnifiedPort(request.oldObject, settings)) {
      const unified = mutateVpnShoot(request.object, { ...settings, phase: 'unified' });
      mutation = unified.reason === 'moved' ? { ...unified, warnings: [...unified.warnings, STORED_AHEAD_WARNING] } : unified;
    }
    return fromMutation(request.object, mutation);
  },
  describe: ({ settings }) =>
    settings.phase === 'unified'
      ? `moves the VPN client to port ${UNIFIED_OPENVPN_PORT} with REVERSED_VPN_HEADER_KEY=X-Gardener-Destination (vpn-client ${MIN_VPN_CLIENT_VERSION} or later); clients already there are left as they are`
      : 'leaves vpn-shoot unchanged: the VPN client moves only in the unified phase, and never back',
};
