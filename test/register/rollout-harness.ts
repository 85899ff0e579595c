// A seed on loopback for the rollout: shoot namespaces with their Clusters and the shoot-core
// ManagedResources the health gate reads, our registration (every shoot namespace), the rollout ConfigMap,
// and a fake clock that only tests move.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { pooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { MANAGED_RESOURCE_NAME, desiredResources } from '../../src/register/desired.js';
import { startRegistration, type RolloutOptions, type RunningRegistration } from '../../src/register/registration.js';
import type { ShootMoving } from '../../src/register/rollout-mover.js';
import { decodeProgress, HALT_KEY, PROGRESS_ANNOTATION, RESUME_ANNOTATION, ROLLOUT_CONFIGMAP } from '../../src/rollout/stored-state.js';
import type { ShootProgress } from '../../src/rollout/rollout-state.js';
import { parseWavesConfig, type WavesConfig } from '../../src/rollout/waves-config.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { clusterObject, type ShootShape } from '../support/clusters.js';
import { until } from '../support/until.js';
import { NO_RESYNC_MS, SERVICE_NAMESPACE, afterThisTest, silentLogger, startSeedApi } from './harness.js';

/** Before the fake clock's start: conditions that have not changed since the rollout began. */
const CONDITIONS_SINCE = '2026-01-01T00:00:00Z';
export const START = Date.parse('2026-06-01T08:00:00Z');
export const MINUTE = 60_000;

export class FakeClock {
  constructor(public ms = START) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function waves(spec: Record<string, unknown>): WavesConfig {
  return parseWavesConfig({ soakTime: '30m', moveTimeout: '1h', ...spec });
}

export interface Rollout {
  registration: RunningRegistration;
  registry: Registry;
  /** Resolves after `count` more complete steps of the running rollout. */
  steps(count: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RolloutSeed {
  api: FakeKubeApi;
  caFile: string;
  /** A shoot namespace, its Cluster, and healthy shoot-core ManagedResources (unless `healthy: false`). */
  addShoot(shape: ShootShape, options?: { healthy?: boolean; namespaceAnnotations?: Record<string, string> }): string;
  /** Sets one condition of a shoot-core ManagedResource. */
  setCondition(shoot: string, managedResource: string, type: string, status: string, reason?: string): void;
  progress(shoot: string): ShootProgress | undefined;
  /** Accepted writes to our ManagedResource that record an entry: the progress annotation and the secret references in one. */
  entryWrites(shoot?: string): number;
  configMap(): { metadata: { annotations?: Record<string, string> }; data?: Record<string, string> } | undefined;
  setResume(value: string): void;
  events(): { reason: string; type: string; message: string; involvedObject: { name: string; namespace: string; kind: string } }[];
  /** `mover`: one for every leadership, or the factory the registration calls on the leader's seed client. */
  start(
    mover: ShootMoving | RolloutOptions['mover'],
    config: WavesConfig,
    clock: FakeClock,
    options?: { garden?: FakeKubeApi; shootAccessRbac?: boolean },
  ): Promise<Rollout>;
}

export async function startRolloutSeed(): Promise<RolloutSeed> {
  const { api, dir, kubeConfig, caFile } = await startSeedApi('hpm-rollout-');

  const condition = (type: string, status: string, reason = 'Fine') => ({ type, status, reason, lastTransitionTime: CONDITIONS_SINCE });
  const seed: RolloutSeed = {
    api,
    caFile,
    addShoot(shape, options = {}) {
      const id = `shoot--${shape.project}--${shape.name}`;
      api.put(RESOURCES.namespaces, {
        metadata: {
          name: id,
          labels: { 'gardener.cloud/role': 'shoot' },
          ...(options.namespaceAnnotations ? { annotations: options.namespaceAnnotations } : {}),
        },
        status: { phase: 'Active' },
      });
      api.put(RESOURCES.clusters, clusterObject(shape) as never);
      if (options.healthy ?? true) {
        for (const name of ['shoot-core-apiserver-proxy', 'shoot-core-vpn-shoot']) {
          const stored = api.put(RESOURCES.managedResources, {
            metadata: { name, namespace: id },
            spec: { secretRefs: [{ name: `${name}-abc` }] },
          });
          const conditions = [
            condition('ResourcesApplied', 'True'),
            condition('ResourcesHealthy', 'True'),
            condition('ResourcesProgressing', 'False'),
          ];
          api.put(RESOURCES.managedResources, { ...stored, status: { observedGeneration: stored.metadata.generation, conditions } });
        }
      }
      return id;
    },
    setCondition(shoot, managedResource, type, status, reason = 'Fine') {
      const mr = api.get(RESOURCES.managedResources, shoot, managedResource)!;
      const old = (mr.status as { conditions: { type: string }[] }).conditions;
      const conditions = old.map((c) =>
        c.type === type
          ? { ...condition(type, status, reason), lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }
          : c,
      );
      api.put(RESOURCES.managedResources, { ...mr, status: { ...(mr.status as object), conditions } });
    },
    progress(shoot) {
      const text = (
        api.get(RESOURCES.managedResources, shoot, MANAGED_RESOURCE_NAME)?.metadata.annotations as Record<string, string> | undefined
      )?.[PROGRESS_ANNOTATION];
      if (text === undefined) return undefined;
      const progress = decodeProgress(text);
      if ('error' in progress) throw new Error(progress.error);
      return progress;
    },
    entryWrites(shoot) {
      return api.requests.filter((r) => {
        // Refused writes (a conflict, retried by the next step) record nothing.
        if (r.method !== 'PATCH' || r.status !== 200 || !r.path.endsWith(`/managedresources/${MANAGED_RESOURCE_NAME}`)) return false;
        if (shoot && !r.path.includes(`/namespaces/${shoot}/`)) return false;
        const body = r.body as { metadata?: { annotations?: Record<string, string> }; spec?: { secretRefs?: unknown } };
        return body.metadata?.annotations?.[PROGRESS_ANNOTATION] !== undefined && body.spec?.secretRefs !== undefined;
      }).length;
    },
    configMap: () => api.get(RESOURCES.configMaps, SERVICE_NAMESPACE, ROLLOUT_CONFIGMAP) as never,
    setResume(value) {
      const cm = api.get(RESOURCES.configMaps, SERVICE_NAMESPACE, ROLLOUT_CONFIGMAP)!;
      api.put(RESOURCES.configMaps, {
        ...cm,
        metadata: { ...cm.metadata, annotations: { ...(cm.metadata.annotations as object), [RESUME_ANNOTATION]: value } },
      });
    },
    events: () => api.list(RESOURCES.events) as never,
    async start(mover, config, clock, options = {}) {
      const garden = options.garden ? new k8s.KubeConfig() : undefined;
      if (garden) garden.loadFromFile(options.garden!.writeKubeconfig(mkdtempSync(join(dir, 'garden-'))));
      const registry = new Registry();
      const registration = await startRegistration({
        cluster: pooledKubeConfig(kubeConfig),
        caFile,
        settings: { serviceNamespace: SERVICE_NAMESPACE, ...(options.shootAccessRbac ? { shootAccessRbac: true } : {}) },
        allShoots: true,
        resyncPeriodMs: NO_RESYNC_MS,
        backoff: { baseMs: 20, maxMs: 200 },
        registry,
        logger: silentLogger,
        rollout: {
          config,
          mover: typeof mover === 'function' ? mover : () => mover,
          clock,
          stepIntervalMs: 20,
          eventDelayMs: 5,
          ...(garden ? { garden: pooledKubeConfig(garden) } : {}),
        },
      });
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await registration.stop();
      };
      afterThisTest(stop);
      const stepsNow = () => registration.rolloutSnapshot()?.steps ?? 0;
      return {
        registration,
        registry,
        async steps(count) {
          const from = stepsNow();
          await until(() => stepsNow() >= from + count, `${count} more rollout steps`);
        },
        stop,
      };
    },
  };
  return seed;
}

/** Shoots registered as a previous run left them (Secret and ManagedResource in place): a start writes nothing for them. */
export function preRegister(api: FakeKubeApi, shoots: readonly string[], caBundle: string): void {
  for (const namespace of shoots) {
    const { secret, managedResource } = desiredResources({ namespace, caBundle, serviceNamespace: SERVICE_NAMESPACE });
    api.put(RESOURCES.secrets, secret as never);
    api.put(RESOURCES.managedResources, managedResource as never);
  }
}

export const haltOf = (seed: RolloutSeed): string | undefined => seed.configMap()?.data?.[HALT_KEY];
