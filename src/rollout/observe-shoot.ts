// What a move step needs to know, read from the objects as the API returns them: the shoot's webhook
// ManagedResource in the seed, and apiserver-proxy, its ConfigMap and vpn-shoot in the shoot. Pure, so the
// controller's reads and the decision can be tested apart.
import type { KubeObject } from '../admission/types.js';
import type { MigrationSettings } from '../gardener/settings.js';
import { configMapInTarget, vpnShootInTarget } from './in-target.js';
import { RESTARTED_AT_ANNOTATION, TARGET_ANNOTATION, type ObservedShoot } from './move-step.js';

export interface ShootObjects {
  /** The `register` controller's ManagedResource in the shoot namespace, already pointing at the target paths. */
  webhookManagedResource?: unknown;
  daemonSet?: unknown;
  /** The ConfigMap named by the DaemonSet's `proxy-config` volume, when it exists. */
  configMap?: KubeObject;
  vpnShoot?: unknown;
}

export const PROXY_CONFIG_VOLUME = 'proxy-config';

export function observeShoot(objects: ShootObjects, settings: MigrationSettings, technicalId: string): ObservedShoot {
  const observed: ObservedShoot = { webhookConfigurationApplied: applied(objects.webhookManagedResource) };
  const ds = record(objects.daemonSet);
  if (ds) {
    const spec = record(ds.spec);
    const template = record(spec?.template);
    const status = record(ds.status) ?? {};
    const volumes = record(template?.spec)?.volumes;
    const volume = Array.isArray(volumes) ? volumes.map(record).find((v) => v?.name === PROXY_CONFIG_VOLUME) : undefined;
    const configMapName = record(volume?.configMap)?.name;
    const restartedAt = record(record(template?.metadata)?.annotations)?.[RESTARTED_AT_ANNOTATION];
    observed.daemonSet = {
      ...(typeof configMapName === 'string' ? { configMapName } : {}),
      ...(typeof restartedAt === 'string' ? { restartedAt } : {}),
      generation: num(record(ds.metadata)?.generation),
      observedGeneration: num(status.observedGeneration),
      desired: num(status.desiredNumberScheduled),
      updated: num(status.updatedNumberScheduled),
      available: num(status.numberAvailable),
    };
  }
  const cm = objects.configMap;
  if (cm?.metadata?.name) {
    observed.configMap = {
      name: cm.metadata.name,
      uid: String(cm.metadata.uid ?? ''),
      resourceVersion: String(cm.metadata.resourceVersion ?? ''),
      inTarget: configMapInTarget(cm, settings, technicalId),
    };
  }
  const vpn = record(objects.vpnShoot);
  if (vpn && (vpn.kind === 'Deployment' || vpn.kind === 'StatefulSet')) {
    const annotation = record(record(vpn.metadata)?.annotations)?.[TARGET_ANNOTATION];
    observed.vpnShoot = {
      kind: vpn.kind,
      ...(typeof annotation === 'string' ? { targetAnnotation: annotation } : {}),
      inTarget: vpnShootInTarget(vpn, settings),
      rolledOut: rolledOut(vpn),
    };
  }
  return observed;
}

/** The resource manager has applied the current spec: observedGeneration current and ResourcesApplied True. */
function applied(raw: unknown): boolean {
  const mr = record(raw);
  const status = record(mr?.status);
  if (!mr || !status || status.observedGeneration !== record(mr.metadata)?.generation) return false;
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(record) : [];
  return conditions.some((c) => c?.type === 'ResourcesApplied' && c.status === 'True');
}

/** Deployment or StatefulSet: every replica updated and available at the current generation. */
function rolledOut(workload: Record<string, unknown>): boolean {
  const status = record(workload.status) ?? {};
  const replicas = num(record(workload.spec)?.replicas ?? 1);
  const ready = workload.kind === 'Deployment' ? num(status.availableReplicas) : num(status.readyReplicas);
  return (
    num(status.observedGeneration) >= num(record(workload.metadata)?.generation) &&
    num(status.updatedReplicas) === replicas &&
    ready === replicas &&
    num(status.replicas) === replicas
  );
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
