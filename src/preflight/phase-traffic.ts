// What each GEP-30 phase sends to the seed's Istio ingress: the port, the destination header keys and
// the values, for sample shoots of both technical-ID shapes. The preflight asks whether the ingress routes it.
import type { MigrationSettings, Phase } from '../config/settings.js';

const PHASE_PORT: Record<Phase, number> = { 'tls-tunnel': 8132, unified: 8443 };
const PHASE_HEADER: Record<Phase, string> = { 'tls-tunnel': 'Reversed-VPN', unified: 'X-Gardener-Destination' };

/** vpn-shoot's header key once it moves to the unified port (REVERSED_VPN_HEADER_KEY). */
const VPN_SHOOT_UNIFIED_HEADER = 'X-Gardener-Destination';

/**
 * Both shapes Gardener computes (`shoot--<project>--<name>` and the legacy `shoot-<project>-<name>`), with and
 * without inner hyphens: Gardener's own regexes once accepted only the first shape (fixed in v1.141).
 */
export const SAMPLE_TECHNICAL_IDS = ['shoot--foo--bar', 'shoot--my-project--my-shoot-1', 'shoot-foo-bar', 'shoot-my-project-my-shoot-1'];

// The apiserver-proxy's CONNECT authority is the shoot's internal API FQDN (trailing dot) and port 443;
// only the virtual host's domain match reads it, and Gardener's vhosts match `*` or `api.*`.
export const SAMPLE_AUTHORITY = 'api.bar.foo.internal.example.com.:443';

export interface Probe {
  /** Which shoot component sends this CONNECT. */
  client: 'apiserver-proxy' | 'vpn-shoot';
  technicalId: string;
  /** Header key -> value, every key sent on the same request. */
  headers: Record<string, string>;
}

export interface PhaseTraffic {
  phase: Phase;
  port: number;
  headerKeys: string[];
  probes: Probe[];
}

export type TrafficSettings = Pick<MigrationSettings, 'phase' | 'destinationHeaders' | 'istioTlsTermination'>;

function apiserverProxyDestination(technicalId: string, istioTlsTermination: boolean): string {
  return istioTlsTermination
    ? `${technicalId}--kube-apiserver-socket`
    : `outbound|443||kube-apiserver.${technicalId}.svc.cluster.local`;
}

export function phaseTraffic(settings: TrafficSettings, technicalIds: readonly string[] = SAMPLE_TECHNICAL_IDS): PhaseTraffic {
  const headerKeys = settings.destinationHeaders?.length ? settings.destinationHeaders : [PHASE_HEADER[settings.phase]];
  const probes: Probe[] = technicalIds.map((technicalId) => {
    const value = apiserverProxyDestination(technicalId, settings.istioTlsTermination);
    return { client: 'apiserver-proxy', technicalId, headers: Object.fromEntries(headerKeys.map((key) => [key, value])) };
  });
  if (settings.phase === 'unified') {
    // The unified phase moves vpn-shoot to the same port; its destination is the VPN server, HA or not.
    for (const technicalId of technicalIds) {
      for (const server of ['vpn-seed-server', 'vpn-seed-server-0', 'vpn-seed-server-1']) {
        probes.push({
          client: 'vpn-shoot',
          technicalId,
          headers: { [VPN_SHOOT_UNIFIED_HEADER]: `outbound|1194||${server}.${technicalId}.svc.cluster.local` },
        });
      }
    }
  }
  return { phase: settings.phase, port: PHASE_PORT[settings.phase], headerKeys, probes };
}

const TECHNICAL_ID = /^shoot-[-a-z0-9]*[a-z0-9]$/;

/** A shoot's control-plane namespace: a DNS label starting with `shoot-` (either shape). */
export function technicalIdProblem(id: string): string | undefined {
  if (!TECHNICAL_ID.test(id) || id.length > 63) {
    return `${JSON.stringify(id)} is not a shoot technical ID (shoot--<project>--<name> or shoot-<project>-<name>)`;
  }
  return undefined;
}
