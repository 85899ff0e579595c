// The seed and a shoot as a move meets them: two fake API servers over real HTTP (the shoot's on TLS, reached with
// the generic token kubeconfig from a Secret in the seed and a token-requestor token), Gardener's renderings, the real
// webhooks behind a real TLS server as the shoot's admission (real AdmissionReviews), and the Gardener actors a move
// relies on: the token requestor; the resource manager, which on `gardener.cloud/operation=reconcile` re-creates a
// missing ConfigMap from Gardener's rendering through admission and then removes the annotation; and the DaemonSet and
// Deployment controllers, which report a roll in status. Actors run after each change; `settle()` waits for them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastJsonPatch from 'fast-json-patch';
import yaml from 'js-yaml';
import type { KubeObject as AdmittedObject } from '../../src/admission/types.js';
import { kubeconfigAccess } from '../../src/gardener/kubeconfig-access.js';
import { KubeClient } from '../../src/gardener/kube-client.js';
import { DEFAULT_SETTINGS, type MigrationSettings } from '../../src/gardener/settings.js';
import { MANAGED_RESOURCE_NAME } from '../../src/register/desired.js';
import { decodeManifest } from '../../src/register/manifest-data.js';
import type { StoredObject as KubeObject } from '../../src/admission/types.js';
import { SeedClient } from '../../src/register/seed-client.js';
import { GENERIC_TOKEN_KUBECONFIG_ANNOTATION, SHOOT_ACCESS_SECRET_NAME } from '../../src/register/shoot-access.js';
import { configMapInTarget } from '../../src/rollout/in-target.js';
import { APISERVER_PROXY_MANAGED_RESOURCE, RESTARTED_AT_ANNOTATION } from '../../src/rollout/move-step.js';
import type { ShootProgress } from '../../src/rollout/rollout-state.js';
import { webhooks } from '../../webhooks/index.js';
import { APISERVER_PROXY_LABELS } from '../../webhooks/apiserver-proxy/mutate.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { reviewAt } from '../support/client.js';
import { FakeKubeApi, RESOURCES, type AdmissionCall, type Admitted, type Obj, type ResourceType } from '../support/fake-kube-api.js';
import { admissionReview, patchOf } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { LEGACY, loadFixture, TECHNICAL_ID } from '../webhooks/apiserver-proxy/fixtures.js';
import { fixtures } from '../webhooks/vpn-shoot/fixtures.js';

export { TECHNICAL_ID };
// The server stays at the default --phase: the shoot's own target, in its webhook paths, is what moves it.
export const SETTINGS: MigrationSettings = DEFAULT_SETTINGS;
export const PROGRESS: ShootProgress = { wave: 'operators', target: 'unified', enteredAt: '2026-12-01T00:00:00.000Z' };
export const SHOOT_TOKEN = 'shoot-token-1';
const RESOURCE_MANAGER_TOKEN = 'resource-manager';
const KUBECONFIG_SECRET = 'generic-token-kubeconfig-5d9a3c1f';
const OPERATION = 'gardener.cloud/operation';
const NODES = 3;

/** A roll of the apiserver-proxy DaemonSet, as its controller saw the ConfigMap the new pods mount. */
export interface Roll {
  generation: number;
  restartedAt?: string;
  configMap: string;
  exists: boolean;
  moved: boolean;
}

type Template = {
  metadata?: { annotations?: Record<string, string> };
  spec?: { volumes?: { name: string; configMap?: { name: string } }[] };
};
/** What the shoot's resource manager applied of our ManagedResource, and when (the last request sequence number then). */
export interface AppliedWebhooks {
  seq: number;
  generation: number;
  kinds: string[];
  /** The paths of the applied MutatingWebhookConfiguration, by webhook (`apiserver-proxy`, `vpn-shoot`). */
  paths: Record<string, string>;
}

/** Gardener's renderings are for shoot--foo--bar: another shoot's are the same with its technical ID and API server host. */
function forShoot<T>(object: T, technicalId: string): T {
  if (technicalId === TECHNICAL_ID) return object;
  const [, project, name] = technicalId.split('--');
  const text = JSON.stringify(object).replaceAll(TECHNICAL_ID, technicalId).replaceAll('api.bar.foo.', `api.${name}.${project}.`);
  return JSON.parse(text) as T;
}

export interface MoveWorldOptions {
  vpnKind?: 'Deployment' | 'StatefulSet';
  /** The shoot's technical ID (default: the renderings' own). */
  technicalId?: string;
  /**
   * A seed shared with other shoots (and the register controller): the world does not own it, and our ManagedResource
   * is the registration's; the world's resource manager applies it into the shoot, and the shoot's admission calls
   * the webhook at the paths it applied.
   */
  seed?: FakeKubeApi;
  /** A webhook server shared with other shoots. */
  webhook?: TestServer;
}

const templateOf = (o: Obj | undefined): Template | undefined => (o?.spec as { template?: Template } | undefined)?.template;
const mountedConfigMap = (o: Obj): string | undefined =>
  templateOf(o)?.spec?.volumes?.find((v) => v.name === 'proxy-config')?.configMap?.name;

export class MoveWorld {
  readonly seed: FakeKubeApi;
  readonly shoot = new FakeKubeApi()
    .register(RESOURCES.configMaps, RESOURCES.daemonSets, RESOURCES.deployments, RESOURCES.statefulSets)
    .trackGenerations();
  /** The rendering Gardener holds in the seed's ManagedResource Secret, as the resource manager applies it. */
  readonly rendering: Obj;
  readonly cluster: KubeObject;
  /** Each application of our ManagedResource in the shoot (shared-seed worlds only). */
  readonly applied: AppliedWebhooks[] = [];
  webhook!: TestServer;
  /** Creations the webhook misses (unreachable; failurePolicy Ignore admits them unchanged). */
  webhookOutages = 0;
  tokenRequestor = true;
  readonly rolls: Roll[] = [];
  /** DaemonSet pod template writes that found the ConfigMap they mount missing or not in the target. */
  readonly unsafeTemplateWrites: string[] = [];
  private pending: Promise<unknown>[] = [];
  private resourceManager!: KubeClient;
  private readonly clients: { destroy(): void }[] = [];

  private readonly sharedSeed: boolean;

  /** vpn-shoot as a Deployment, or as the HA StatefulSet of a highly available control plane. */
  private constructor(
    readonly vpnKind: 'Deployment' | 'StatefulSet',
    readonly id: string,
    seed: FakeKubeApi | undefined,
  ) {
    this.sharedSeed = seed !== undefined;
    this.seed = seed ?? new FakeKubeApi().register(RESOURCES.secrets, RESOURCES.managedResources).trackGenerations();
    this.rendering = forShoot(loadFixture(LEGACY) as Obj, id);
    this.cluster = {
      apiVersion: 'extensions.gardener.cloud/v1alpha1',
      kind: 'Cluster',
      metadata: { name: id, annotations: { [GENERIC_TOKEN_KUBECONFIG_ANNOTATION]: KUBECONFIG_SECRET } },
    };
  }

  static async start(options: MoveWorldOptions = {}): Promise<MoveWorld> {
    const world = new MoveWorld(options.vpnKind ?? 'Deployment', options.technicalId ?? TECHNICAL_ID, options.seed);
    if (!world.sharedSeed) await world.seed.start();
    const tls = await loopbackTlsIdentity();
    await world.shoot.start(0, tls);
    world.webhook = options.webhook ?? (await startTestServer({ webhooks, settings: SETTINGS, logLevel: 'warn' }));
    const rmAccess = kubeconfigAccess(world.shoot.writeKubeconfig(mkdtempSync(join(tmpdir(), 'rm-')), { token: RESOURCE_MANAGER_TOKEN }));
    world.clients.push(rmAccess.pool);
    world.resourceManager = new KubeClient(rmAccess);
    world.populate(tls.ca);
    world.actors();
    return world;
  }

  /** A seed client as the register controller has one. */
  seedClient(): SeedClient {
    const access = kubeconfigAccess(this.seed.writeKubeconfig());
    this.clients.push(access.pool);
    return new SeedClient(access);
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await Promise.all([...(this.sharedSeed ? [] : [this.seed.stop()]), this.shoot.stop()]);
  }

  /** Waits until every actor has finished reacting, including to what the actors themselves changed. */
  async settle(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }

  configMap(): Obj | undefined {
    const name = mountedConfigMap(this.daemonSet());
    return name ? this.shoot.get(RESOURCES.configMaps, 'kube-system', name) : undefined;
  }

  daemonSet(): Obj {
    return this.shoot.get(RESOURCES.daemonSets, 'kube-system', 'apiserver-proxy')!;
  }

  vpnShoot(): Obj {
    return this.shoot.get(this.vpnType(), 'kube-system', 'vpn-shoot')!;
  }

  private vpnType(): ResourceType {
    return this.vpnKind === 'Deployment' ? RESOURCES.deployments : RESOURCES.statefulSets;
  }

  inTarget(configMap: Obj | undefined): boolean {
    return configMap !== undefined && configMapInTarget(configMap as AdmittedObject, { ...SETTINGS, phase: PROGRESS.target }, this.id);
  }

  private populate(ca: string): void {
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': this.id,
      clusters: [{ name: this.id, cluster: { server: this.shoot.url, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
      // As Gardener renders it: a token file the access Secret is mounted at in a pod.
      users: [{ name: this.id, user: { tokenFile: '/var/run/secrets/gardener.cloud/shoot/generic-kubeconfig/token' } }],
      contexts: [{ name: this.id, context: { cluster: this.id, user: this.id } }],
    };
    this.seed.put(RESOURCES.secrets, {
      metadata: { name: KUBECONFIG_SECRET, namespace: this.id },
      immutable: true,
      data: { kubeconfig: Buffer.from(JSON.stringify(kubeconfig)).toString('base64') },
    });
    if (this.sharedSeed) {
      // The seed's Cluster names the kubeconfig Secret, as gardenlet writes it.
      const cluster = this.seed.get(RESOURCES.clusters, undefined, this.id);
      if (cluster)
        this.seed.put(RESOURCES.clusters, {
          ...cluster,
          metadata: { ...cluster.metadata, annotations: { ...annotations(cluster), ...this.cluster.metadata.annotations } },
        });
    } else {
      // The shoot's webhook configuration, already carrying the target and applied in the shoot.
      this.seed.put(RESOURCES.managedResources, {
        metadata: { name: MANAGED_RESOURCE_NAME, namespace: this.id },
        spec: { secretRefs: [{ name: `${MANAGED_RESOURCE_NAME}-1` }] },
        status: { observedGeneration: 1, conditions: [{ type: 'ResourcesApplied', status: 'True' }] },
      });
    }
    if (!this.seed.get(RESOURCES.managedResources, this.id, APISERVER_PROXY_MANAGED_RESOURCE)) {
      this.seed.put(RESOURCES.managedResources, {
        metadata: { name: APISERVER_PROXY_MANAGED_RESOURCE, namespace: this.id },
        spec: { secretRefs: [{ name: 'shoot-core-apiserver-proxy-0a1b2c3d' }] },
      });
    }
    this.shoot.put(RESOURCES.configMaps, structuredClone(this.rendering));
    const daemonSet = forShoot(loadFixture('apiserver-proxy/daemonset.legacy-v1.112.yaml') as Obj, this.id);
    this.shoot.put(RESOURCES.daemonSets, { ...daemonSet, status: this.daemonSetStatus(1) });
    const vpn = forShoot((this.vpnKind === 'Deployment' ? fixtures.legacyDeployment() : fixtures.legacyStatefulSet()) as Obj, this.id);
    this.shoot.put(this.vpnType(), { ...vpn, status: workloadStatus(1, replicasOf(vpn)) });
  }

  private actors(): void {
    this.shoot.admit(RESOURCES.configMaps, (call) =>
      this.review(call, this.pathOf('apiserver-proxy'), APISERVER_PROXY_LABELS, RESOURCES.configMaps),
    );
    for (const type of [RESOURCES.deployments, RESOURCES.statefulSets])
      this.shoot.admit(type, (call) => this.review(call, this.pathOf('vpn-shoot'), { app: 'vpn-shoot' }, type));
    this.shoot.admit(RESOURCES.daemonSets, (call) => Promise.resolve(this.checkTemplateWrite(call)));
    this.seed.onChange((type, event, object) => {
      if (event === 'DELETED' || object.metadata.namespace !== this.id) return;
      if (type === RESOURCES.secrets && object.metadata.name === SHOOT_ACCESS_SECRET_NAME) this.later(() => this.requestToken(object));
      if (
        type === RESOURCES.managedResources &&
        object.metadata.name === APISERVER_PROXY_MANAGED_RESOURCE &&
        annotations(object)[OPERATION] === 'reconcile'
      ) {
        this.later(() => this.reconcileApiserverProxy());
      }
      if (this.sharedSeed && type === RESOURCES.managedResources && object.metadata.name === MANAGED_RESOURCE_NAME)
        this.later(() => this.applyWebhooks());
    });
    this.shoot.onChange((type, event, object) => {
      if (event === 'DELETED') return;
      const generation = Number(object.metadata.generation);
      const observed = Number((object.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0);
      if (generation <= observed) return;
      if (type === RESOURCES.daemonSets) this.later(() => this.rollDaemonSet(object));
      // The Deployment or StatefulSet controller: replaces the pods at its pace and reports them ready.
      if (type === this.vpnType())
        this.later(() => void this.shoot.put(type, { ...this.vpnShoot(), status: workloadStatus(generation, replicasOf(object)) }));
    });
  }

  private later(work: () => unknown): void {
    this.pending.push(Promise.resolve().then(work));
  }

  /** The token requestor: writes a token into a new access Secret labelled for it. */
  private requestToken(secret: Obj): void {
    if (!this.tokenRequestor || (secret.data as Record<string, string> | undefined)?.token) return;
    if ((secret.metadata.labels as Record<string, string> | undefined)?.['resources.gardener.cloud/purpose'] !== 'token-requestor') return;
    const current = this.seed.get(RESOURCES.secrets, this.id, SHOOT_ACCESS_SECRET_NAME)!;
    this.seed.put(RESOURCES.secrets, { ...current, data: { token: Buffer.from(SHOOT_TOKEN).toString('base64') } });
  }

  /**
   * The resource manager: applies Gardener's rendering in kind order (the ConfigMap before the DaemonSet, which is
   * unchanged here), creating what is missing through the shoot's admission, then removes the annotation.
   */
  private async reconcileApiserverProxy(): Promise<void> {
    const mr = this.seed.get(RESOURCES.managedResources, this.id, APISERVER_PROXY_MANAGED_RESOURCE)!;
    if (annotations(mr)[OPERATION] !== 'reconcile') return;
    if (!this.shoot.get(RESOURCES.configMaps, 'kube-system', this.rendering.metadata.name)) {
      await this.resourceManager.request('POST', '/api/v1/namespaces/kube-system/configmaps', { body: structuredClone(this.rendering) });
    }
    const current = this.seed.get(RESOURCES.managedResources, this.id, APISERVER_PROXY_MANAGED_RESOURCE)!;
    const rest = { ...annotations(current) };
    delete rest[OPERATION];
    this.seed.put(RESOURCES.managedResources, { ...current, metadata: { ...current.metadata, annotations: rest } });
  }

  /** The webhook path the shoot's API server calls: the applied configuration's (shared seed), else the target's. */
  private pathOf(webhook: 'apiserver-proxy' | 'vpn-shoot'): string | undefined {
    if (!this.sharedSeed) return `/webhooks/${webhook}/${this.id}/${PROGRESS.target}`;
    return this.applied.at(-1)?.paths[webhook];
  }

  /**
   * The shoot's resource manager for our class-less ManagedResource: at a new generation it applies the objects of
   * the referenced Secret in the shoot (here: remembers them) and reports ResourcesApplied at that generation.
   */
  private applyWebhooks(): void {
    const mr = this.seed.get(RESOURCES.managedResources, this.id, MANAGED_RESOURCE_NAME);
    const generation = Number(mr?.metadata.generation ?? 0);
    if (!mr || generation <= Number((mr.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0)) return;
    const [ref] = (mr.spec as { secretRefs: { name: string }[] }).secretRefs;
    const secret = this.seed.get(RESOURCES.secrets, this.id, ref!.name);
    const documents = yaml.loadAll(decodeManifest(secret?.data as Record<string, string>) ?? '') as Obj[];
    const paths: Record<string, string> = {};
    for (const doc of documents.filter((d) => d.kind === 'MutatingWebhookConfiguration')) {
      for (const entry of (doc as { webhooks?: { clientConfig: { url: string } }[] }).webhooks ?? []) {
        const path = new URL(entry.clientConfig.url).pathname;
        paths[path.split('/')[2]!] = path;
      }
    }
    // After every request recorded so far, before any later one.
    const seq = Math.max(this.seed.requests.at(-1)?.seq ?? 0, this.shoot.requests.at(-1)?.seq ?? 0);
    this.applied.push({ seq, generation, kinds: documents.map((d) => d.kind!), paths });
    this.seed.put(RESOURCES.managedResources, {
      ...mr,
      status: { observedGeneration: generation, conditions: [{ type: 'ResourcesApplied', status: 'True' }] },
    });
  }

  /** The DaemonSet controller: new pods mount the ConfigMap the template names; they roll node by node. */
  private rollDaemonSet(object: Obj): void {
    const generation = Number(object.metadata.generation);
    const name = mountedConfigMap(object) ?? '';
    const configMap = this.shoot.get(RESOURCES.configMaps, 'kube-system', name);
    const restartedAt = templateOf(object)?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
    this.rolls.push({
      generation,
      configMap: name,
      exists: configMap !== undefined,
      moved: this.inTarget(configMap),
      ...(restartedAt ? { restartedAt } : {}),
    });
    this.shoot.put(RESOURCES.daemonSets, { ...this.daemonSet(), status: this.daemonSetStatus(generation) });
  }

  private daemonSetStatus(generation: number): Record<string, number> {
    return {
      observedGeneration: generation,
      desiredNumberScheduled: NODES,
      currentNumberScheduled: NODES,
      updatedNumberScheduled: NODES,
      numberAvailable: NODES,
      numberReady: NODES,
    };
  }

  /** Every pod template write is checked at the moment it is stored. */
  private checkTemplateWrite(call: AdmissionCall): Admitted {
    if (call.oldObject && JSON.stringify(templateOf(call.oldObject)) !== JSON.stringify(templateOf(call.object))) {
      const name = mountedConfigMap(call.object) ?? '';
      const configMap = this.shoot.get(RESOURCES.configMaps, 'kube-system', name);
      if (!configMap) this.unsafeTemplateWrites.push(`${name} missing`);
      else if (!this.inTarget(configMap)) this.unsafeTemplateWrites.push(`${name} not in the target`);
    }
    return { object: call.object };
  }

  /** The shoot's kube-apiserver calling a mutating webhook (failurePolicy Ignore: unreachable admits unchanged). */
  private async review(
    call: AdmissionCall,
    path: string | undefined,
    selector: Record<string, string>,
    type: ResourceType,
  ): Promise<Admitted> {
    const labels = (call.object.metadata.labels ?? {}) as Record<string, string>;
    // No webhook configuration in the shoot yet: nothing to call.
    if (
      path === undefined ||
      call.object.metadata.namespace !== 'kube-system' ||
      Object.entries(selector).some(([k, v]) => labels[k] !== v)
    )
      return { object: call.object };
    if (call.operation === 'CREATE' && this.webhookOutages > 0) {
      this.webhookOutages--;
      return { object: call.object };
    }
    const review = admissionReview({
      operation: call.operation,
      object: call.object as AdmittedObject,
      oldObject: (call.oldObject ?? null) as AdmittedObject | null,
      kind: { group: type.group, version: type.version, kind: type.kind },
      resource: { group: type.group, version: type.version, resource: type.plural },
      userInfo: { username: 'system:serviceaccount:kube-system:gardener-resource-manager', groups: ['system:serviceaccounts'] },
    });
    const answer = (await reviewAt(`${this.webhook.url}${path}?timeout=10s`, this.webhook.agent, review)).response!;
    if (!answer.allowed) return { refuse: answer.status?.message ?? 'denied' };
    const patch = patchOf(answer);
    return {
      object: patch ? (fastJsonPatch.applyPatch(structuredClone(call.object), patch, false, false).newDocument as Obj) : call.object,
    };
  }
}

function annotations(object: Obj): Record<string, string> {
  return (object.metadata.annotations ?? {}) as Record<string, string>;
}

function replicasOf(workload: Obj): number {
  return Number((workload.spec as { replicas?: number } | undefined)?.replicas ?? 1);
}

function workloadStatus(generation: number, replicas: number): Record<string, number> {
  return { observedGeneration: generation, replicas, updatedReplicas: replicas, availableReplicas: replicas, readyReplicas: replicas };
}
