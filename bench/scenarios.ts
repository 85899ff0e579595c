// The benchmark's scenarios: which webhook, with which settings, against which targets. Plain data,
// shared by the runner and the server process (which must not pay for building review bodies).
import { DEFAULT_SETTINGS, type MigrationSettings } from '../src/gardener/settings.js';

/** Reported against, never asserted: a slow machine should still produce a report. */
export interface Targets {
  /** Minimum req/s as a share of the bare baseline's. */
  minRatio?: number;
  maxP99Ms?: number;
  noFailedRequests?: boolean;
  maxPeakRssMb?: number;
  maxReadyMs?: number;
  maxIdleRssMb?: number;
}

export interface Scenario {
  name: string;
  webhook: string;
  description: string;
  settings: MigrationSettings;
  /** Shoots in the synthetic snapshot the server indexes; 0 for none. */
  shoots: number;
  targets: Targets;
}

// The migration's end state: every webhook has work to do in it (vpn-shoot mutates only here).
const UNIFIED: MigrationSettings = { ...DEFAULT_SETTINGS, phase: 'unified' };

export const DISTINCT_SHOOTS = 2000;
const INDEXED_SHOOTS = 10_000;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'apiserver-proxy-distinct',
    webhook: 'apiserver-proxy',
    description: `CREATE of the legacy apiserver-proxy ConfigMap for ${DISTINCT_SHOOTS} distinct shoots, a fresh uid per request`,
    settings: UNIFIED,
    shoots: 0,
    targets: { minRatio: 0.5, noFailedRequests: true, maxP99Ms: 10 },
  },
  {
    name: 'apiserver-proxy-unified-unchanged',
    webhook: 'apiserver-proxy',
    description: `CREATE of Gardener v1.144's unified ConfigMap for ${DISTINCT_SHOOTS} distinct shoots, phase unified: allowed, unchanged (the common answer on a v1.144+ seed)`,
    settings: UNIFIED,
    shoots: 0,
    targets: { minRatio: 0.8, noFailedRequests: true },
  },
  {
    name: 'apiserver-proxy-repeated',
    webhook: 'apiserver-proxy',
    description: 'the same CREATE review, byte for byte, again and again (the resource manager resyncing one shoot)',
    settings: UNIFIED,
    shoots: 0,
    targets: { noFailedRequests: true },
  },
  {
    name: 'vpn-shoot',
    webhook: 'vpn-shoot',
    description: 'CREATE of the legacy vpn-shoot Deployment, phase unified, a fresh uid per request',
    settings: UNIFIED,
    shoots: 0,
    targets: { minRatio: 0.6, noFailedRequests: true },
  },
  {
    name: 'gardenlet-config',
    webhook: 'gardenlet-config',
    description: `gardenlet ConfigMap turning RemoveHTTPProxyLegacyPort on for one seed, ${INDEXED_SHOOTS} shoots indexed`,
    settings: UNIFIED,
    shoots: INDEXED_SHOOTS,
    targets: { maxP99Ms: 10, maxPeakRssMb: 200, maxReadyMs: 5000, maxIdleRssMb: 80 },
  },
];

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}
