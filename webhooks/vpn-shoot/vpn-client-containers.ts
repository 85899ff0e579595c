// Which containers of the vpn-shoot pod are VPN clients: those configured with the tunnel's endpoint
// variables, whatever their name or position (`vpn-shoot`, or `vpn-shoot-s0`, `vpn-shoot-s1`, ... in
// HA). The `vpn-shoot-init` init container and HA's `tunnel-controller` run the same image without
// them and are left alone.
import { OPENVPN_PORT, REVERSED_VPN_HEADER, nameOf } from './ensure-unified-env.js';

export interface VpnClientContainer {
  index: number;
  container: Record<string, unknown>;
  env: readonly unknown[];
}

export function findVpnClientContainers(containers: readonly unknown[]): VpnClientContainer[] {
  const clients: VpnClientContainer[] = [];
  containers.forEach((container, index) => {
    if (typeof container !== 'object' || container === null) return;
    const env = (container as Record<string, unknown>).env;
    if (!Array.isArray(env)) return;
    if (env.some((entry) => nameOf(entry) === REVERSED_VPN_HEADER || nameOf(entry) === OPENVPN_PORT)) {
      clients.push({ index, container: container as Record<string, unknown>, env });
    }
  });
  return clients;
}

/** The container's name for a warning, or its position when it has none. */
export function containerLabel({ container, index }: VpnClientContainer): string {
  return typeof container.name === 'string' ? container.name : `#${index}`;
}
