// The gardenlet feature gates that remove a legacy istio ingress port, each with the shoot constraint
// gardenlet's start-up check requires on every relevant shoot of its seed (cmd/gardenlet/app/migration.go),
// and the reconcile step that sets that constraint. A later removal gate is one more entry.

export interface ConstraintSetter {
  /** The shoot reconcile step (botanist) that sets the constraint to True. */
  step: string;
  /** The first release whose gardenlet sets it with a default configuration. */
  byDefaultFrom: number;
  /** How it came to be set, for operators. */
  history: string;
  /** Gardener skips the step while the shoot is hibernated (spec.hibernation.enabled). */
  skippedWhileHibernated: boolean;
}

export interface RemovalGate {
  /** The gardenlet feature gate that removes the port. */
  gate: string;
  /** The shoot constraint (status.constraints[].type) that must be "True" on every relevant shoot. */
  constraint: string;
  setter: ConstraintSetter;
  /** gardenlet's own error for a failed check, verbatim, so operators recognise it. */
  gardenletError: string;
}

export const REMOVAL_GATES: readonly RemovalGate[] = [
  {
    gate: 'RemoveAPIServerProxyLegacyPort',
    constraint: 'APIServerProxyUsesHTTPProxy',
    // botanist/apiserverproxy.go; its task is skipped only for workerless shoots.
    setter: { step: 'DeployAPIServerProxy', byDefaultFrom: 113, history: 'set from v1.113 to v1.122', skippedWhileHibernated: false },
    gardenletError:
      'the `proxy` port on the istio ingress gateway cannot be removed until all api server proxies in all shoots on this seed have been reconfigured to use the `tls-tunnel` port instead, i.e., the `RemoveAPIServerProxyLegacyPort` feature gate can only be enabled once all shoots have the `APIServerProxyUsesHTTPProxy` constraint with status `true`',
  },
  {
    gate: 'RemoveHTTPProxyLegacyPort',
    constraint: 'UsesUnifiedHTTPProxyPort',
    // botanist/vpnshoot.go; reconciler_reconcile.go skips "Deploying vpn-shoot" for workerless,
    // hibernated and self-hosted shoots.
    setter: {
      step: 'DeployVPNShoot',
      byDefaultFrom: 140,
      history: 'set from v1.130 with UseUnifiedHTTPProxyPort on, by default from v1.140, always from v1.144',
      skippedWhileHibernated: true,
    },
    gardenletError:
      'the `tls-tunnel` port on the istio ingress gateway cannot be removed until the api server proxy and vpn client in all shoots on this seed have been reconfigured to use the unified `http-proxy` port instead, i.e., the `RemoveHTTPProxyLegacyPort` feature gate can only be enabled once all shoots have the `UsesUnifiedHTTPProxyPort` constraint with status `true`',
  },
];

/** The constraint types the rule reads: the shoot index keeps these and no others. */
export const GATE_CONSTRAINTS: ReadonlySet<string> = new Set(REMOVAL_GATES.map((g) => g.constraint));

export function removalGate(gate: string): RemovalGate | undefined {
  return REMOVAL_GATES.find((g) => g.gate === gate);
}
