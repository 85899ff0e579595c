// The migration settings every webhook reads: which GEP-30 phase to move shoots into, and how.

export const PHASES = ['tls-tunnel', 'unified'] as const;
export type Phase = (typeof PHASES)[number];

export interface MigrationSettings {
  /** The target: objects behind it move to it, objects at or ahead of it are left as they are (src/gardener/renderings.ts). */
  phase: Phase;
  /** The header keys of a legacy apiserver-proxy moved onto the tls-tunnel port; several keys send several headers, in order. */
  destinationHeaders?: string[];
  /** A legacy apiserver-proxy, which has no destination value, gets `<technical-id>--kube-apiserver-socket`. */
  istioTlsTermination: boolean;
  /** Treat vpn-client images whose version cannot be read as new enough (>= 0.42.0). */
  assumeVpnClientCompatible: boolean;
  /**
   * The gardenlet release (e.g. v1.149.0) the gardenlet-config webhook assumes for a configuration that
   * names none itself and whose seed's release is not known (--gardener-version).
   */
  gardenerVersion?: string;
}

export const DEFAULT_SETTINGS: MigrationSettings = {
  phase: 'tls-tunnel',
  istioTlsTermination: false,
  assumeVpnClientCompatible: false,
};

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

/** Header keys are HTTP tokens (RFC 9110); anything else would break Envoy's config or the tunnel. */
export function parseDestinationHeaders(value: string): string[] {
  const keys = value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  if (keys.length === 0) throw new Error('--destination-header needs at least one header key');
  for (const key of keys) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new Error(`--destination-header: ${JSON.stringify(key)} is not a valid HTTP header name`);
    }
  }
  return keys;
}
