// What Gardener renders on the shoot in each GEP-30 step, in the order it moved through them: the
// istio ingress ports and the CONNECT header keys of the apiserver-proxy (envoy.yaml) and of vpn-shoot.
// The one place these facts are written; webhooks, preflight and the CLI read them from here.
//
//   release                              apiserver-proxy                           vpn-shoot
//   <= v1.112                            legacy: 8443, PROXY protocol, no tunnel   8132, Reversed-VPN
//   v1.113 - v1.129                      8132, Reversed-VPN                        8132, Reversed-VPN
//   v1.130 - v1.143, unified gate off    8132, Reversed-VPN + X-Gardener-Dest.     8132, Reversed-VPN
//   v1.130 - v1.143, unified gate on     8443, Reversed-VPN + X-Gardener-Dest.     8443, X-Gardener-Destination
//   v1.144 and later                     8443, X-Gardener-Destination              8443, X-Gardener-Destination
// (pkg/component/networking/apiserverproxy/apiserver_proxy.go and templates/envoy.yaml.tpl,
// pkg/component/networking/vpn/shoot/shoot.go; the gate is gardenlet's UseUnifiedHTTPProxyPort.)
import type { Phase } from './settings.js';

/** Istio's `tls-tunnel` port: HTTP CONNECT routed by `Reversed-VPN`. */
const TLS_TUNNEL_PORT = 8132;
/** Istio's unified `http-proxy` port (vpnseedserver.HTTPProxyGatewayPort): HTTP CONNECT routed by `X-Gardener-Destination`. */
export const HTTP_PROXY_PORT = 8443;

export const REVERSED_VPN_HEADER_NAME = 'Reversed-VPN';
export const GARDENER_DESTINATION_HEADER_NAME = 'X-Gardener-Destination';

/** The apiserver-proxy's renderings, earliest first. */
const APISERVER_PROXY_RENDERINGS = ['legacy', 'tls-tunnel', 'unified'] as const;
export type ApiserverProxyRendering = (typeof APISERVER_PROXY_RENDERINGS)[number];

/** vpn-shoot's renderings, earliest first: it always used HTTP CONNECT. */
const VPN_SHOOT_RENDERINGS = ['tls-tunnel', 'unified'] as const;
export type VpnShootRendering = (typeof VPN_SHOOT_RENDERINGS)[number];

/** A rendering's place in the migration: a shoot may only ever move to a higher one. */
export function apiserverProxyOrder(rendering: ApiserverProxyRendering): number {
  return APISERVER_PROXY_RENDERINGS.indexOf(rendering);
}

export function vpnShootOrder(rendering: VpnShootRendering): number {
  return VPN_SHOOT_RENDERINGS.indexOf(rendering);
}

/** What a target phase means on the wire: its port, and the header keys Gardener's rendering of it sends. */
export interface PhaseRendering {
  port: number;
  /** As the release that made the phase its end state rendered it: v1.113 for tls-tunnel, v1.144 for unified. */
  headerKeys: readonly string[];
}

export const PHASE_RENDERINGS: Readonly<Record<Phase, PhaseRendering>> = {
  // v1.113 sent Reversed-VPN, not the GEP's X-Gardener-Destination: the ACL extension filters on it (gardener#11429).
  'tls-tunnel': { port: TLS_TUNNEL_PORT, headerKeys: [REVERSED_VPN_HEADER_NAME] },
  unified: { port: HTTP_PROXY_PORT, headerKeys: [GARDENER_DESTINATION_HEADER_NAME] },
};

/** The tunnel port of each phase, for reading a rendering's port back into its phase. */
export function phaseOfTunnelPort(port: number): Phase | undefined {
  if (port === TLS_TUNNEL_PORT) return 'tls-tunnel';
  if (port === HTTP_PROXY_PORT) return 'unified';
  return undefined;
}
