// The next step of one shoot's move, decided from what was observed in the seed and the shoot. Pure: the
// controller observes, asks, takes the one step, and observes again, so a restart at any point repeats at
// most a step that changes nothing. The order is what makes the move safe: the shoot's webhook
// configuration carries the target before anything is re-admitted, and the DaemonSet rolls only once the
// ConfigMap it mounts exists and is in the target.
import type { ShootProgress } from './rollout-state.js';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
export const TARGET_ANNOTATION = 'http-proxy-migrator.gardener.cloud/target';
export const APISERVER_PROXY_MANAGED_RESOURCE = 'shoot-core-apiserver-proxy';

export interface ObservedShoot {
  /** The shoot's webhook configuration names this target and the resource manager has applied it in the shoot. */
  webhookConfigurationApplied: boolean;
  /** kube-system/apiserver-proxy in the shoot. */
  daemonSet?: {
    /** The ConfigMap its `proxy-config` volume mounts. */
    configMapName?: string;
    restartedAt?: string;
    generation: number;
    observedGeneration: number;
    desired: number;
    updated: number;
    available: number;
  };
  /** The ConfigMap the DaemonSet mounts, when it exists. */
  configMap?: { name: string; uid: string; resourceVersion: string; inTarget: boolean };
  /** kube-system/vpn-shoot (Deployment or StatefulSet). */
  vpnShoot?: { kind: 'Deployment' | 'StatefulSet'; targetAnnotation?: string; inTarget: boolean; rolledOut: boolean };
}

export type MoveStep =
  | { step: 'wait'; for: string }
  /** One metadata write that passes the webhook, which moves the pod template; the workload rolls itself. */
  | { step: 'annotate-vpn-shoot'; kind: 'Deployment' | 'StatefulSet'; annotation: string; value: string }
  /** With these preconditions, so that only the observed, unmoved ConfigMap is ever deleted. */
  | { step: 'delete-configmap'; name: string; uid: string; resourceVersion: string }
  /** `gardener.cloud/operation=reconcile` on the seed ManagedResource: the resource manager re-creates the ConfigMap now. */
  | { step: 'reconcile-managed-resource'; name: string }
  | { step: 'restart-daemonset'; annotation: string; value: string }
  | { step: 'done' };

export function nextMoveStep(progress: ShootProgress, shoot: ObservedShoot): MoveStep {
  if (!shoot.webhookConfigurationApplied)
    return { step: 'wait', for: 'the shoot webhook configuration with the target to be applied in the shoot' };
  const vpn = shoot.vpnShoot;
  if (vpn && !vpn.inTarget) {
    if (vpn.targetAnnotation !== progress.target)
      return { step: 'annotate-vpn-shoot', kind: vpn.kind, annotation: TARGET_ANNOTATION, value: progress.target };
    // Annotated, yet not moved: the webhook left it alone (for example an old vpn-client); the move timeout decides.
  }
  const ds = shoot.daemonSet;
  if (!ds?.configMapName) return { step: 'wait', for: 'the apiserver-proxy DaemonSet' };
  const cm = shoot.configMap;
  if (!cm || cm.name !== ds.configMapName) return { step: 'reconcile-managed-resource', name: APISERVER_PROXY_MANAGED_RESOURCE };
  if (!cm.inTarget) return { step: 'delete-configmap', name: cm.name, uid: cm.uid, resourceVersion: cm.resourceVersion };
  // The value is the shoot's entry time: written again after a restart, it is the same and rolls nothing.
  if (ds.restartedAt !== progress.enteredAt)
    return { step: 'restart-daemonset', annotation: RESTARTED_AT_ANNOTATION, value: progress.enteredAt };
  const rolled = ds.observedGeneration >= ds.generation && ds.updated === ds.desired && ds.available === ds.desired;
  if (!rolled) return { step: 'wait', for: 'the apiserver-proxy DaemonSet to roll' };
  if (vpn && !(vpn.inTarget && vpn.rolledOut))
    return { step: 'wait', for: `vpn-shoot to ${vpn.inTarget ? 'roll' : 'be moved by the webhook'}` };
  return { step: 'done' };
}
