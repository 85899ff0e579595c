// Which GEP-30 rendering an envoy.yaml is, read from the three places GEP-30 changes: whether the
// kube_apiserver listener tunnels (and with which headers), the cluster's port, and whether the cluster
// still speaks the PROXY protocol. Both edits (text and structural) read these and classify them here.
// The headers themselves are read only when a tunnel moves: the common answer, "left as it is", needs
// none of them.
import { phaseOfTunnelPort, type ApiserverProxyRendering } from '../../src/gardener/renderings.js';

export type EnvoyState = { rendering: ApiserverProxyRendering } | { unrecognised: string };

export interface EnvoyFacts {
  tunnels: boolean;
  /** The tunnel sends at least one header, each with a string key and value. */
  sendsDestination: boolean;
  port: unknown;
  proxyProtocol: boolean;
}

/**
 * Without a tunnel the proxy is legacy, whatever else it says (moving it to a tunnel is always forward).
 * A tunnel is the phase of its port, and only a tunnel as Gardener renders one is classified at all: one
 * that still speaks the PROXY protocol, goes to another port or sends no destination is no rendering of
 * Gardener's, and is left alone.
 */
export function classifyEnvoy({ tunnels, sendsDestination, port, proxyProtocol }: EnvoyFacts): EnvoyState {
  if (!tunnels) return LEGACY;
  if (proxyProtocol) return { unrecognised: 'envoy.yaml tunnels and also speaks the PROXY protocol, which no Gardener release renders' };
  const phase = typeof port === 'number' ? phaseOfTunnelPort(port) : undefined;
  if (!phase) return { unrecognised: 'envoy.yaml tunnels to a port no GEP-30 phase uses' };
  if (!sendsDestination) return { unrecognised: 'envoy.yaml tunnels without a destination header with a key and a value' };
  return phase === 'unified' ? UNIFIED : TLS_TUNNEL;
}

// Frozen and shared: classifying allocates nothing.
const LEGACY: EnvoyState = Object.freeze({ rendering: 'legacy' });
const TLS_TUNNEL: EnvoyState = Object.freeze({ rendering: 'tls-tunnel' });
const UNIFIED: EnvoyState = Object.freeze({ rendering: 'unified' });
