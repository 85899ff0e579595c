// The gardenlet feature gates that remove a legacy istio ingress port, each with the shoot constraint
// gardenlet's start-up check requires on every relevant shoot of its seed (cmd/gardenlet/app/migration.go).
// A later removal gate is one more entry.

export interface RemovalGate {
  /** The gardenlet feature gate that removes the port. */
  gate: string;
  /** The shoot constraint (status.constraints[].type) that must be "True" on every relevant shoot. */
  constraint: string;
  /** gardenlet's own error for a failed check, verbatim, so operators recognise it. */
  gardenletError: string;
}

export const REMOVAL_GATES: readonly RemovalGate[] = [
  {
    gate: 'RemoveAPIServerProxyLegacyPort',
    constraint: 'APIServerProxyUsesHTTPProxy',
    gardenletError:
      'the `proxy` port on the istio ingress gateway cannot be removed until all api server proxies in all shoots on this seed have been reconfigured to use the `tls-tunnel` port instead, i.e., the `RemoveAPIServerProxyLegacyPort` feature gate can only be enabled once all shoots have the `APIServerProxyUsesHTTPProxy` constraint with status `true`',
  },
  {
    gate: 'RemoveHTTPProxyLegacyPort',
    constraint: 'UsesUnifiedHTTPProxyPort',
    gardenletError:
      'the `tls-tunnel` port on the istio ingress gateway cannot be removed until the api server proxy and vpn client in all shoots on this seed have been reconfigured to use the unified `http-proxy` port instead, i.e., the `RemoveHTTPProxyLegacyPort` feature gate can only be enabled once all shoots have the `UsesUnifiedHTTPProxyPort` constraint with status `true`',
  },
];

/** The constraint types the rule reads: the shoot index keeps these and no others. */
export const GATE_CONSTRAINTS: ReadonlySet<string> = new Set(REMOVAL_GATES.map((g) => g.constraint));
