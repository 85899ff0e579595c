// What each GEP-30 phase sends to the seed's Istio ingress: the port, the destination header keys and
// the values, for sample shoots of both technical-ID shapes. The preflight asks whether the ingress routes it.
import type { MigrationSettings, Phase } from '../gardener/settings.js';
import { vpnSeedServerDestination } from '../gardener/destinations.js';
import { GARDENER_DESTINATION_HEADER_NAME, PHASE_RENDERINGS } from '../gardener/renderings.js';
import { computedDestinationValue, targetHeaderKeys } from '../../webhooks/apiserver-proxy/destination.js';

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

/**
 * What a legacy apiserver-proxy moved into the phase sends: the phase's keys and the computed value. A
 * rendering that already tunnels keeps its own value, which Gardener made routable for it.
 */
export function phaseTraffic(settings: TrafficSettings, technicalIds: readonly string[] = SAMPLE_TECHNICAL_IDS): PhaseTraffic {
  const headerKeys = [...targetHeaderKeys(settings)];
  const probes: Probe[] = technicalIds.map((technicalId) => {
    const value = computedDestinationValue(settings, technicalId);
    return { client: 'apiserver-proxy', technicalId, headers: Object.fromEntries(headerKeys.map((key) => [key, value])) };
  });
  if (settings.phase === 'unified') {
    // The unified phase moves vpn-shoot to the same port; its destination is the VPN server, HA or not.
    for (const technicalId of technicalIds) {
      for (const index of [undefined, 0, 1]) {
        probes.push({
          client: 'vpn-shoot',
          technicalId,
          headers: { [GARDENER_DESTINATION_HEADER_NAME]: vpnSeedServerDestination(technicalId, index) },
        });
      }
    }
  }
  return { phase: settings.phase, port: PHASE_RENDERINGS[settings.phase].port, headerKeys, probes };
}
