// Where a moved apiserver-proxy sends the shoot's API traffic: the target phase's port, its header keys,
// and the destination value. The value is the shoot's own whenever its rendering has one; only a legacy
// rendering, which has none, gets one computed from the settings.
import type { MigrationSettings, Phase } from '../../src/gardener/settings.js';
import { istioTlsTerminationDestination, kubeApiserverServiceDestination } from '../../src/gardener/destinations.js';
import { GARDENER_DESTINATION_HEADER_NAME, PHASE_RENDERINGS, REVERSED_VPN_HEADER_NAME } from '../../src/gardener/renderings.js';

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

/**
 * The header keys a rendering moved into `settings.phase` sends. `--destination-header` applies only to a
 * move onto the tls-tunnel port (where Gardener sent Reversed-VPN, later both headers): the unified port
 * routes only on X-Gardener-Destination, which is what Gardener v1.144 sends there.
 */
export function targetHeaderKeys(settings: Pick<MigrationSettings, 'phase' | 'destinationHeaders'>): readonly string[] {
  if (settings.phase === 'tls-tunnel' && settings.destinationHeaders?.length) return uniqueKeys(settings.destinationHeaders);
  return PHASE_RENDERINGS[settings.phase].headerKeys;
}

/** The value a legacy rendering gets: the kube-apiserver Service unless the settings say Istio terminates TLS. */
export function computedDestinationValue(settings: Pick<MigrationSettings, 'istioTlsTermination'>, technicalId: string): string {
  return settings.istioTlsTermination ? istioTlsTerminationDestination(technicalId) : kubeApiserverServiceDestination(technicalId);
}

export function destinationFor(phase: Phase, keys: readonly string[], value: string): Destination {
  return { port: PHASE_RENDERINGS[phase].port, headers: keys.map((key) => ({ key, value })) };
}

/**
 * The destination value of a tunnel rendering: that of X-Gardener-Destination (what the unified port routes
 * on), else of Reversed-VPN, else of its first header. Gardener sends one value under every key.
 */
export function existingDestinationValue(headers: readonly DestinationHeader[]): string | undefined {
  const byKey = (key: string) => headers.find((h) => h.key.toLowerCase() === key.toLowerCase());
  return (byKey(GARDENER_DESTINATION_HEADER_NAME) ?? byKey(REVERSED_VPN_HEADER_NAME) ?? headers[0])?.value;
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
