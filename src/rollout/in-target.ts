// Whether a shoot's live object already runs the target: the webhook's own pure mutation, applied with the
// target's settings, would leave it unchanged. One definition of "moved" for the webhook and the rollout.
import type { KubeObject } from '../admission/types.js';
import type { MigrationSettings } from '../gardener/settings.js';
import { mutateApiserverProxyConfigMap } from '../../webhooks/apiserver-proxy/mutate.js';
import { mutateVpnShoot } from '../../webhooks/vpn-shoot/mutate.js';

/** A ConfigMap the webhook skips (not recognised, another shoot's) is not in the target: it cannot be moved. */
export function configMapInTarget(configMap: KubeObject, settings: MigrationSettings, technicalId: string): boolean {
  const result = mutateApiserverProxyConfigMap(configMap, settings, technicalId);
  return !result.skipped && result.object === configMap;
}

/** vpn-shoot that the webhook would leave alone for a reason (an old vpn-client) is not in the target either. */
export function vpnShootInTarget(workload: unknown, settings: MigrationSettings): boolean {
  const result = mutateVpnShoot(workload, settings);
  return !result.skipped && result.object === workload;
}
