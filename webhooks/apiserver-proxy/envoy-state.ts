// Which GEP-30 rendering an envoy.yaml is, read from the three places GEP-30 changes: whether the
// kube_apiserver listener tunnels (and with which headers), the cluster's port, and whether the cluster
// still speaks the PROXY protocol. Both edits (text and structural) read these and classify them here.
import { phaseOfTunnelPort, type ApiserverProxyRendering } from '../../src/gardener/renderings.js';
import type { DestinationHeader } from './destination.js';

export type EnvoyState =
  | { rendering: 'legacy' }
  | { rendering: Exclude<ApiserverProxyRendering, 'legacy'>; headers: DestinationHeader[] }
  | { unrecognised: string };

export interface EnvoyFacts {
  /** undefined when the listener does not tunnel. */
  tunnelHeaders: DestinationHeader[] | undefined;
  port: unknown;
  proxyProtocol: boolean;
}

/**
 * Without a tunnel the proxy is legacy, whatever else it says (moving it to a tunnel is always forward).
 * A tunnel is the phase of its port, and only a tunnel as Gardener renders one is classified at all: one
 * that still speaks the PROXY protocol, goes to another port or sends no destination is no rendering of
 * Gardener's, and is left alone.
 */
export function classifyEnvoy({ tunnelHeaders, port, proxyProtocol }: EnvoyFacts): EnvoyState {
  if (tunnelHeaders === undefined) return LEGACY;
  if (proxyProtocol) return { unrecognised: 'envoy.yaml tunnels and also speaks the PROXY protocol, which no Gardener release renders' };
  const phase = typeof port === 'number' ? phaseOfTunnelPort(port) : undefined;
  if (!phase) return { unrecognised: 'envoy.yaml tunnels to a port no GEP-30 phase uses' };
  if (tunnelHeaders.length === 0) return { unrecognised: 'envoy.yaml tunnels without a destination header' };
  return { rendering: phase, headers: tunnelHeaders };
}

const LEGACY: EnvoyState = { rendering: 'legacy' };
