// Registration of the vpn-shoot webhook: the shoot's VPN client Deployment or HA StatefulSet in kube-system,
// at `/webhooks/vpn-shoot/<technical-id>[/<target>]` (the bare path, as older registrations call it, too).
import { fromMutation } from '../../src/admission/mutation.js';
import type { MigrationWebhook } from '../context.js';
import { KUBE_SYSTEM_SELECTOR } from '../selectors.js';
import { SHOOT_PATH_PARAMETERS, shootPathOf } from '../shoot-path.js';
import { UNIFIED_OPENVPN_PORT } from './ensure-unified-env.js';
import { mutateVpnShootRequest } from './mutate.js';
import { MIN_VPN_CLIENT_VERSION } from './vpn-client-version.js';

export const vpnShootWebhook: MigrationWebhook = {
  name: 'vpn-shoot',
  path: '/webhooks/vpn-shoot',
  pathParameters: SHOOT_PATH_PARAMETERS,
  type: 'mutating',
  failurePolicy: 'Ignore',
  timeoutSeconds: 10,
  placements: [
    {
      target: 'shoot',
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'statefulsets'] }],
      namespaceSelector: KUBE_SYSTEM_SELECTOR,
      objectSelector: { matchLabels: { app: 'vpn-shoot' } },
    },
  ],
  // The same answer for dry-run requests: the mutation has no side effects to suppress.
  handle: (request, context) => fromMutation(request.object, mutateVpnShootRequest(request, context.settings, shootPathOf(context))),
  describe: ({ settings }) =>
    settings.phase === 'unified'
      ? `moves the VPN client to port ${UNIFIED_OPENVPN_PORT} with REVERSED_VPN_HEADER_KEY=X-Gardener-Destination (vpn-client ${MIN_VPN_CLIENT_VERSION} or later); clients already there are left as they are`
      : 'leaves vpn-shoot unchanged: the VPN client moves only in the unified phase, and never back',
};
