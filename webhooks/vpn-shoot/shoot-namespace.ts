// Which shoot a vpn-shoot workload belongs to: REVERSED_VPN_HEADER names the shoot's vpn-seed-server
// Service in its control-plane namespace (`outbound|1194||vpn-seed-server[-<i>].<technical-id>.svc.cluster.local`),
// so a per-shoot webhook path can be checked against the object, as the apiserver-proxy webhook checks the
// API server host.
import { REVERSED_VPN_HEADER, nameOf } from './ensure-unified-env.js';
import { findVpnClientContainers } from './vpn-client-containers.js';

const HEADER_VALUE = /^outbound\|1194\|\|vpn-seed-server(?:-\d{1,2})?\.([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\.svc\.cluster\.local$/;

/** The namespace the header value names, or undefined when it is not Gardener's form. */
export function namespaceFromReversedVpnHeader(value: string): string | undefined {
  return HEADER_VALUE.exec(value)?.[1];
}

/** The one shoot namespace every VPN client container of the pod template names, or why there is none. */
export function vpnShootNamespace(workload: unknown): { namespace: string } | { problem: string } {
  const containers = (workload as { spec?: { template?: { spec?: { containers?: unknown } } } } | null)?.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return { problem: 'spec.template.spec.containers is missing' };
  const found = new Set<string>();
  for (const { env } of findVpnClientContainers(containers)) {
    const entry = env.find((e) => nameOf(e) === REVERSED_VPN_HEADER) as { value?: unknown } | undefined;
    if (!entry) continue;
    const namespace = typeof entry.value === 'string' ? namespaceFromReversedVpnHeader(entry.value) : undefined;
    if (!namespace) return { problem: `${REVERSED_VPN_HEADER} is not outbound|1194||vpn-seed-server[-<i>].<namespace>.svc.cluster.local` };
    found.add(namespace);
  }
  if (found.size === 0) return { problem: `no VPN client container sets ${REVERSED_VPN_HEADER}` };
  if (found.size > 1) return { problem: `the VPN client containers name ${found.size} different shoot namespaces` };
  return { namespace: [...found][0]! };
}
