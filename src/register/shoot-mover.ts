// One shoot's move, one step at a time: read what the step needs (the shoot's webhook ManagedResource in the seed;
// apiserver-proxy, its ConfigMap and vpn-shoot in the shoot), ask the pure decision (observeShoot + nextMoveStep),
// and take exactly that step. Every write is conditional on what was read (resourceVersion, delete preconditions), so
// a step taken on a stale observation fails instead of acting; it is observed again at the next step.
import type { Logger } from '../observability/logger.js';
import { mergePatch, type Json } from '../gardener/merge-patch.js';
import type { MigrationSettings } from '../gardener/settings.js';
import { nextMoveStep, type MoveStep } from '../rollout/move-step.js';
import { observeShoot, type ShootObjects } from '../rollout/observe-shoot.js';
import type { Clock, ShootProgress } from '../rollout/rollout-state.js';
import { clip } from '../util/clip.js';
import { MANAGED_RESOURCE_NAME } from './desired.js';
import { OPERATION_ANNOTATION } from './extension-contract.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import { ApiCallError, GROUPS, type SeedClient } from './seed-client.js';
import { RecreationGuard } from './recreation-guard.js';
import type { ShootMoving } from './rollout-mover.js';
import { ShootAccess } from './shoot-access.js';
import { SHOOT_RESOURCES, ShootClient } from './shoot-client.js';

export interface MoveOutcome {
  step: MoveStep;
  /** step === 'done' */
  moved: boolean;
  /** Why the step could not be read or taken (one line, no object content); the next step tries again. */
  error?: string;
}

export interface ShootMoverOptions {
  seed: SeedClient;
  logger: Logger;
  /** The server's migration settings; a shoot's target phase replaces `phase`. */
  settings: MigrationSettings;
  /** Shoot clients; one is made from `seed` unless given. */
  access?: ShootAccess;
  /** Spaces out deletes of a ConfigMap that keeps coming back unmoved (recreation-guard.ts). */
  clock?: Clock;
}

const KUBE_SYSTEM = 'kube-system';
const APISERVER_PROXY = 'apiserver-proxy';
const VPN_SHOOT = 'vpn-shoot';
const MAX_ERROR_CHARS = 300;

interface Read {
  objects: ShootObjects;
  daemonSet?: KubeObject;
  vpnShoot?: KubeObject;
}

export class ShootMover implements ShootMoving {
  readonly access: ShootAccess;
  private readonly seed: SeedClient;
  private readonly logger: Logger;
  private readonly settings: MigrationSettings;
  private readonly recreations: RecreationGuard;

  constructor(options: ShootMoverOptions) {
    this.seed = options.seed;
    this.logger = options.logger;
    this.settings = options.settings;
    this.recreations = new RecreationGuard(options.clock ?? { now: Date.now });
    this.access = options.access ?? new ShootAccess(options.seed, options.logger);
  }

  /** Observes the shoot, takes at most one step of its move (nextMoveStep), and says where it stands. Leader only. */
  async step(technicalId: string, progress: ShootProgress, cluster: KubeObject): Promise<MoveOutcome> {
    let step: MoveStep | undefined;
    try {
      const connection = await this.access.connect(technicalId, cluster);
      if ('wait' in connection) return this.waiting(technicalId, { step: 'wait', for: connection.wait });
      const shoot = new ShootClient(connection.client);
      const read = await this.read(technicalId, shoot);
      step = nextMoveStep(progress, observeShoot(read.objects, { ...this.settings, phase: progress.target }, technicalId));
      if (step.step === 'delete-configmap') {
        const configMap = step.name;
        const verdict = this.recreations.mayDelete(technicalId, configMap, step.uid, (count) =>
          this.logger.warn(
            { shoot: technicalId, configMap, unmovedRecreations: count },
            'the resource manager re-created the ConfigMap unmoved',
          ),
        );
        if (!verdict.delete) return this.waiting(technicalId, { step: 'wait', for: verdict.wait });
      } else if (step.step === 'restart-daemonset' || step.step === 'done') {
        this.recreations.forget(technicalId);
      }
      if (step.step === 'wait') return this.waiting(technicalId, step);
      if (step.step === 'done') {
        // No longer moving: its connections are not kept.
        this.access.release(technicalId);
        return { step, moved: true };
      }
      const taken = await this.take(technicalId, step, read, shoot);
      if (taken === 'taken' && step.step === 'delete-configmap') this.recreations.deleted(technicalId, step.name, step.uid);
      this.logger.info(
        { shoot: technicalId, step: step.step, ...(taken === 'stale' ? { outcome: 'stale, observed again next step' } : {}) },
        'shoot move step',
      );
      return { step, moved: false };
    } catch (err) {
      if (!(err instanceof ApiCallError)) throw err;
      const error = clip(err.message, MAX_ERROR_CHARS);
      this.logger.warn({ shoot: technicalId, step: step?.step ?? 'observe', err: error }, 'shoot move step failed');
      return { step: step ?? { step: 'wait', for: 'the shoot to be readable' }, moved: false, error };
    }
  }

  /** Closes the shoot's connections: it no longer moves (held, gone, or another leader took over). */
  forget(technicalId: string): void {
    this.access.release(technicalId);
    this.recreations.forget(technicalId);
  }

  /** Closes the connections of every shoot not in `moving` (each pass of the loop may call it with the shoots it steps). */
  retain(moving: ReadonlySet<string>): void {
    this.access.retain(moving);
    this.recreations.retain(moving);
  }

  /** Closes every shoot's connections (leadership lost, shutdown). */
  close(): void {
    this.access.close();
    this.recreations.retain(new Set());
  }

  private waiting(technicalId: string, step: MoveStep): MoveOutcome {
    this.logger.debug({ shoot: technicalId, step: step.step, ...(step.step === 'wait' ? { for: step.for } : {}) }, 'shoot move waits');
    return { step, moved: false };
  }

  private async read(technicalId: string, shoot: ShootClient): Promise<Read> {
    const [webhookManagedResource, daemonSet, vpnShoot] = await Promise.all([
      this.seed.getCustom(GROUPS.managedResources, technicalId, MANAGED_RESOURCE_NAME),
      shoot.get(SHOOT_RESOURCES.daemonSets, KUBE_SYSTEM, APISERVER_PROXY),
      this.vpnShoot(shoot),
    ]);
    // The volume's ConfigMap name, read the way the decision reads it.
    const configMapName = observeShoot({ daemonSet }, this.settings, technicalId).daemonSet?.configMapName;
    const configMap = configMapName ? await shoot.get(SHOOT_RESOURCES.configMaps, KUBE_SYSTEM, configMapName) : undefined;
    return {
      objects: { webhookManagedResource, daemonSet, configMap: configMap as ShootObjects['configMap'], vpnShoot },
      daemonSet,
      vpnShoot,
    };
  }

  /** The Deployment, else the HA StatefulSet. */
  private async vpnShoot(shoot: ShootClient): Promise<KubeObject | undefined> {
    return (
      (await shoot.get(SHOOT_RESOURCES.deployments, KUBE_SYSTEM, VPN_SHOOT)) ??
      (await shoot.get(SHOOT_RESOURCES.statefulSets, KUBE_SYSTEM, VPN_SHOOT))
    );
  }

  /** 'stale' when a precondition no longer held: nothing was changed. */
  private async take(technicalId: string, step: MoveStep, read: Read, shoot: ShootClient): Promise<'taken' | 'stale'> {
    try {
      switch (step.step) {
        case 'annotate-vpn-shoot': {
          const resource = step.kind === 'Deployment' ? SHOOT_RESOURCES.deployments : SHOOT_RESOURCES.statefulSets;
          const workload = read.vpnShoot!;
          const changed = structuredClone(workload);
          changed.metadata.annotations = { ...changed.metadata.annotations, [step.annotation]: step.value };
          await shoot.mergePatch(resource, KUBE_SYSTEM, VPN_SHOOT, onVersion(mergePatch(workload, changed), workload));
          return 'taken';
        }
        case 'delete-configmap':
          await shoot.delete(SHOOT_RESOURCES.configMaps, KUBE_SYSTEM, step.name, { uid: step.uid, resourceVersion: step.resourceVersion });
          return 'taken';
        case 'reconcile-managed-resource':
          // The resource manager reconciles at once and removes the annotation when done
          // (gardener pkg/resourcemanager/controller/managedresource/add.go: HasOperationAnnotation).
          await this.seed.patchCustom(GROUPS.managedResources, technicalId, step.name, {
            metadata: { annotations: { [OPERATION_ANNOTATION]: 'reconcile' } },
          });
          return 'taken';
        case 'restart-daemonset': {
          const daemonSet = read.daemonSet!;
          const changed = structuredClone(daemonSet) as KubeObject & {
            spec: { template: { metadata?: { annotations?: Record<string, string> } } };
          };
          const template = changed.spec.template;
          template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [step.annotation]: step.value } };
          // On the DaemonSet as read: it still mounts the ConfigMap that was read back in the target.
          await shoot.mergePatch(
            SHOOT_RESOURCES.daemonSets,
            KUBE_SYSTEM,
            APISERVER_PROXY,
            onVersion(mergePatch(daemonSet, changed), daemonSet),
          );
          return 'taken';
        }
        default:
          return 'taken';
      }
    } catch (err) {
      // The object changed or went away since it was read: observe again rather than act on what is gone.
      if (err instanceof ApiCallError && (err.status === 409 || err.status === 404)) return 'stale';
      throw err;
    }
  }
}

/** A merge patch applied only to the version it was computed from (409 otherwise). */
function onVersion(patch: Json, object: KubeObject): Json {
  const diff = patch as { metadata?: Record<string, Json> };
  return { ...diff, metadata: { ...diff.metadata, resourceVersion: object.metadata.resourceVersion ?? null } };
}
