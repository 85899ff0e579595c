// The CONNECT destination values Gardener computes for a shoot: what the seed's Istio ingress routes on.

/**
 * The kube-apiserver Service of the shoot's control plane: routed by every GEP-30 EnvoyFilter on every
 * seed, whatever Gardener decided about Istio TLS termination for the shoot.
 */
export function kubeApiserverServiceDestination(technicalId: string): string {
  return `outbound|443||kube-apiserver.${technicalId}.svc.cluster.local`;
}

/**
 * The socket cluster of a shoot whose TLS Istio terminates (apiserverexposure.GetAPIServerProxyTargetClusterName,
 * v1.114+). Routes only where the per-shoot EnvoyFilter `<technical-id>-apiserver-proxy` defines that cluster,
 * which Gardener writes for a shoot only when it decides termination for that shoot.
 */
export function istioTlsTerminationDestination(technicalId: string): string {
  return `${technicalId}--kube-apiserver-socket`;
}

/** The VPN seed server a vpn-shoot client reaches (REVERSED_VPN_HEADER); `index` for HA's servers. */
export function vpnSeedServerDestination(technicalId: string, index?: number): string {
  const server = index === undefined ? 'vpn-seed-server' : `vpn-seed-server-${index}`;
  return `outbound|1194||${server}.${technicalId}.svc.cluster.local`;
}
