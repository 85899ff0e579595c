// Where the apiserver-proxy sends the shoot's API traffic in each GEP-30 phase, and how the seed's
// Istio ingress recognises the shoot: the port of the cluster endpoint and the CONNECT request's headers.
import type { MigrationSettings, Phase } from '../../src/config/settings.js';

export interface DestinationHeader {
  key: string;
  value: string;
}

export interface Destination {
  /** The Istio ingress port of the phase (`tls-tunnel` or the unified `http-proxy`). */
  port: number;
  /** Sent in this order with every CONNECT; at least one. */
  headers: DestinationHeader[];
}

export const PHASE_PORT: Readonly<Record<Phase, number>> = { 'tls-tunnel': 8132, unified: 8443 };

/** Phase 1 keeps `Reversed-VPN` because the ACL extension filters on it (gardener#11429, as v1.113 shipped). */
export const PHASE_HEADER_KEYS: Readonly<Record<Phase, readonly string[]>> = {
  'tls-tunnel': ['Reversed-VPN'],
  unified: ['X-Gardener-Destination'],
};

export function destinationFor(settings: MigrationSettings, technicalId: string): Destination {
  const value = settings.istioTlsTermination
    ? `${technicalId}--kube-apiserver-socket`
    : `outbound|443||kube-apiserver.${technicalId}.svc.cluster.local`;
  const configured = settings.destinationHeaders?.length ? settings.destinationHeaders : PHASE_HEADER_KEYS[settings.phase];
  return { port: PHASE_PORT[settings.phase], headers: uniqueKeys(configured).map((key) => ({ key, value })) };
}

/** HTTP header names are case-insensitive: a key given twice would only send the same header twice. */
function uniqueKeys(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    const folded = key.toLowerCase();
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  });
}
