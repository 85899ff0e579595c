// The two environment variables GEP-30 changes in a VPN client container, brought to the unified
// http-proxy port whatever their start, in the order Gardener v1.144 renders them.
import { GARDENER_DESTINATION_HEADER_NAME, HTTP_PROXY_PORT } from '../../src/gardener/renderings.js';

/** Istio's unified `http-proxy` port on the seed, as the variable's value. */
export const UNIFIED_OPENVPN_PORT = String(HTTP_PROXY_PORT);

export const OPENVPN_PORT = 'OPENVPN_PORT';
export const REVERSED_VPN_HEADER = 'REVERSED_VPN_HEADER';
export const REVERSED_VPN_HEADER_KEY = 'REVERSED_VPN_HEADER_KEY';

export type EnsuredEnv =
  /** `env` is the input array itself when nothing had to change: the container is on the unified port already. */
  { ok: true; env: readonly unknown[]; changed: boolean } | { ok: false; why: string };

/**
 * OPENVPN_PORT becomes 8443 and REVERSED_VPN_HEADER_KEY=X-Gardener-Destination follows
 * REVERSED_VPN_HEADER. Existing entries are updated where they stand (a v1.130 rendering appends the
 * key at the end; moving it would roll the pods for nothing), never duplicated. REVERSED_VPN_HEADER
 * itself stays: it names the seed server and the shoot namespace. The input is never modified.
 */
export function ensureUnifiedHttpProxyEnv(env: readonly unknown[]): EnsuredEnv {
  const headerIndex = env.findIndex((entry) => nameOf(entry) === REVERSED_VPN_HEADER);
  // Without it the client sends `invalid-host`, which no port routes: not a shape to migrate.
  if (headerIndex < 0) return { ok: false, why: `no ${REVERSED_VPN_HEADER}` };

  let result: unknown[] | undefined;
  let hasPort = false;
  let hasKey = false;
  for (let i = 0; i < env.length; i++) {
    const entry = env[i];
    const name = nameOf(entry);
    const desired =
      name === OPENVPN_PORT ? UNIFIED_OPENVPN_PORT : name === REVERSED_VPN_HEADER_KEY ? GARDENER_DESTINATION_HEADER_NAME : undefined;
    if (desired === undefined) continue;
    const record = entry as Record<string, unknown>;
    // A reference cannot be replaced by a literal without losing it.
    if (record.valueFrom !== undefined) return { ok: false, why: `${name} is set by valueFrom` };
    if (name === OPENVPN_PORT) hasPort = true;
    else hasKey = true;
    // Every duplicate is set: the kubelet lets the last one win.
    if (record.value !== desired) {
      result ??= [...env];
      result[i] = { ...record, value: desired };
    }
  }

  if (!hasKey) {
    result ??= [...env];
    result.splice(headerIndex + 1, 0, { name: REVERSED_VPN_HEADER_KEY, value: GARDENER_DESTINATION_HEADER_NAME });
  }
  // vpn2 defaults to 8132 when the variable is absent; Gardener renders it just before the header.
  if (!hasPort) {
    result ??= [...env];
    result.splice(headerIndex, 0, { name: OPENVPN_PORT, value: UNIFIED_OPENVPN_PORT });
  }
  return result ? { ok: true, env: result, changed: true } : { ok: true, env, changed: false };
}

export function nameOf(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).name : undefined;
}
