// Watches the seed's shoot namespaces, the Extensions that opt them in, and our ManagedResources, and
// keeps each opted-in namespace registered: events queue the namespace, a resync queues all of them
// (re-reading the CA bundle first), and workers reconcile from the queue with per-namespace backoff.
// An Extension that asks for an operation (Gardener's contract) gets it carried out and reported.
// Decisions read the watch caches only, so a namespace in sync costs no request, and what a namespace
// leaves behind (cache entries, metric series) goes with it.
import type { ClusterAccess } from '../gardener/cluster-access.js';
import { SlimInformer, type WatchTuning } from '../gardener/slim-informer.js';
import { EXTENSION_NAME } from '../gardener/extension-identity.js';
import { HOLD, type ShootTarget } from '../gardener/shoot-target.js';
import { isHeld } from '../rollout/hold.js';
import { PROGRESS_ANNOTATION, decodeProgress } from '../rollout/stored-state.js';
import type { Logger } from '../observability/logger.js';
import { readCaBundle } from '../certs/ca-bundle.js';
import { DEFAULT_RESYNC_PERIOD_MS } from './defaults.js';
import { slimExtension, slimManagedResource, slimNamespace } from './cached-objects.js';
import { MANAGED_RESOURCE_NAME } from './desired.js';
import { hasOperationAnnotation, isMigrated, isWaitingForState, needsAction, operationType } from './extension-contract.js';
import { ExtensionLifecycle } from './extension-lifecycle.js';
import type { RegistrationMetrics } from './metrics.js';
import { NotYetError, ShootWebhookReconciler, type Outcome, type ReconcileSettings } from './reconciler.js';
import type { StoredObject as KubeObject } from '../admission/types.js';
import { GROUPS, SeedClient, pathOf } from './seed-client.js';
import { WorkQueue, type Backoff } from './work-queue.js';

export const SHOOT_NAMESPACE_SELECTOR = 'gardener.cloud/role=shoot';
/** The Extension type that opts a shoot in (`spec.extensions[].type` in the Shoot). */
export const EXTENSION_TYPE = EXTENSION_NAME;

export interface ControllerOptions {
  /** The seed: its server, credentials and connection pool. */
  cluster: ClusterAccess;
  caFile: string;
  settings: ReconcileSettings;
  /** Register every shoot namespace, not only those with an Extension of our type. */
  allShoots?: boolean;
  resyncPeriodMs?: number;
  workers?: number;
  backoff?: Backoff;
  /** Watch timeouts and the silence after which a watch is restarted. */
  watch?: Partial<WatchTuning>;
  logger: Logger;
  metrics: RegistrationMetrics;
  /**
   * With a rollout: each namespace is rendered with the target its rollout progress annotation names, or
   * `hold` while the shoot is held, so a resync never reverts an entry or a hold.
   */
  rollout?: RolloutView;
}

export interface RolloutView {
  /** The hold on the Shoot, as the seed's Cluster carries it. */
  heldOnShoot(namespace: string): boolean;
  /** Any change of a shoot namespace or of our ManagedResources: the rollout steps again. */
  changed(): void;
}

export interface ControllerSnapshot {
  registered: number;
  /** Wanted shoot namespaces neither registered nor failing yet. */
  pending: string[];
  failed: { namespace: string; error: string; since: number }[];
  caBundle: string;
  caBundleReadFailed: boolean;
}

export class ShootWebhookController {
  private readonly client: SeedClient;
  private readonly reconciler: ShootWebhookReconciler;
  private readonly lifecycle: ExtensionLifecycle;
  private readonly queue: WorkQueue;
  readonly namespaces: SlimInformer<KubeObject>;
  readonly extensions: SlimInformer<KubeObject>;
  readonly managedResources: SlimInformer<KubeObject>;
  private readonly registered = new Set<string>();
  /** Namespaces whose last sync failed: the error and since when it has been failing. */
  private readonly failing = new Map<string, { error: string; since: number }>();
  private caBundleReadFailed = false;
  /** Last seen generation of each namespace's ManagedResource, to tell spec edits from status updates. */
  private readonly generations = new Map<string, number>();
  /** What of each Extension can ask something of us, as last seen: its status alone never does. */
  private readonly extensionRequests = new Map<string, string>();
  private readonly log: Logger;
  private caBundle = '';
  private resyncTimer?: NodeJS.Timeout;
  private workers: Promise<void>[] = [];
  private started = false;

  constructor(private readonly options: ControllerOptions) {
    this.log = options.logger.child({ controller: 'shoot-webhooks' });
    this.client = new SeedClient(options.cluster);
    this.queue = new WorkQueue(options.backoff);
    const common = { client: this.client.kube, logger: this.log, backoff: options.backoff, watch: options.watch };
    this.namespaces = new SlimInformer({
      ...common,
      path: pathOf(GROUPS.namespaces),
      labelSelector: SHOOT_NAMESPACE_SELECTOR,
      slim: slimNamespace,
      onChange: (verb, ns) => {
        if (verb === 'delete') this.forget(ns.metadata.name);
        else this.queue.add(ns.metadata.name);
        options.rollout?.changed();
      },
    });
    this.extensions = new SlimInformer({
      ...common,
      path: pathOf(GROUPS.extensions),
      slim: slimExtension,
      // Only our type matters, but a type edited away from ours must still unregister the namespace.
      onChange: (verb, ext) => {
        const ns = ext.metadata.namespace;
        if (ns && (isOurExtension(ext) || this.registered.has(ns)) && this.extensionRequestChanged(verb, ext)) this.queue.add(ns);
      },
    });
    this.managedResources = new SlimInformer({
      ...common,
      path: pathOf(GROUPS.managedResources),
      fieldSelector: `metadata.name=${MANAGED_RESOURCE_NAME}`,
      slim: slimManagedResource,
      // Status updates by the resource manager are frequent and change nothing of ours: only a deleted
      // or edited (generation bumped) ManagedResource needs a look.
      onChange: (verb, mr) => {
        if (mr.metadata.name !== MANAGED_RESOURCE_NAME || !mr.metadata.namespace) return;
        options.rollout?.changed();
        if (verb === 'delete') this.generations.delete(mr.metadata.namespace);
        if (verb === 'delete' || this.generationChanged(mr)) this.queue.add(mr.metadata.namespace);
      },
    });
    this.reconciler = new ShootWebhookReconciler(this.client, options.settings, {
      get: (namespace) => this.managedResources.get(MANAGED_RESOURCE_NAME, namespace),
      wrote: (written) => this.managedResources.wrote(written),
    });
    this.lifecycle = new ExtensionLifecycle(this.client, this.log, undefined, (written) => this.extensions.wrote(written));
  }

  /** Reads the CA bundle (throws a CaBundleError if it is unusable), syncs the caches, then starts working. */
  async start(): Promise<void> {
    this.caBundle = readCaBundle(this.options.caFile);
    for (const informer of [this.namespaces, this.extensions, this.managedResources]) informer.start();
    await Promise.all([this.namespaces.synced, this.extensions.synced, this.managedResources.synced]);
    this.started = true;
    this.enqueueAll();
    this.workers = Array.from({ length: this.options.workers ?? 5 }, () => this.work());
    this.resyncTimer = setInterval(() => this.resync(), this.options.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS);
    this.log.info({ namespaces: this.queue.length, allShoots: this.options.allShoots ?? false }, 'shoot webhook registration started');
  }

  /** Stops watching and waits for in-flight reconciles; queued work is dropped (the next leader resyncs). */
  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.queue.shutDown();
    await Promise.all([this.namespaces.stop(), this.extensions.stop(), this.managedResources.stop()]);
    await Promise.all(this.workers);
    this.started = false;
  }

  /** Caches synced and workers running. */
  ready(): boolean {
    return this.started;
  }

  /** What this controller knows now, for the status page: it reads the caches and changes nothing. */
  snapshot(): ControllerSnapshot {
    const pending: string[] = [];
    for (const ns of this.namespaces.list()) {
      const name = ns.metadata.name;
      if (!this.registered.has(name) && !this.failing.has(name) && this.wanted(name, ns) && !isTerminating(ns)) pending.push(name);
    }
    return {
      registered: this.registered.size,
      pending: pending.sort(),
      failed: [...this.failing].map(([namespace, f]) => ({ namespace, ...f })).sort((a, b) => (a.namespace < b.namespace ? -1 : 1)),
      caBundle: this.caBundle,
      caBundleReadFailed: this.caBundleReadFailed,
    };
  }

  /** The CA bundle in force: what every shoot's webhook configuration is rendered with. */
  currentCaBundle(): string {
    return this.caBundle;
  }

  /** Queues one namespace, for example when the hold on its Shoot changed. */
  enqueue(namespace: string): void {
    if (this.started) this.queue.add(namespace);
  }

  /** Re-reads the CA bundle, then queues every namespace so a rotation reaches all shoots in one period. */
  resync(): void {
    this.options.metrics.resyncs.inc();
    try {
      const bundle = readCaBundle(this.options.caFile);
      if (bundle !== this.caBundle) this.log.info({ caFile: this.options.caFile }, 'CA bundle changed; updating every registered shoot');
      this.caBundle = bundle;
      this.caBundleReadFailed = false;
    } catch (err) {
      this.caBundleReadFailed = true;
      this.options.metrics.caBundleReadFailures.inc();
      this.log.error({ err: (err as Error).message }, 'cannot re-read the CA bundle; keeping the last good one');
    }
    this.enqueueAll();
  }

  private enqueueAll(): void {
    for (const ns of this.namespaces.list()) this.queue.add(ns.metadata.name);
    for (const mr of this.managedResources.list()) if (mr.metadata.namespace) this.queue.add(mr.metadata.namespace);
  }

  private async work(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        const outcome = await this.reconcile(key);
        this.queue.forget(key);
        this.failing.delete(key);
        this.record(key, outcome);
      } catch (err) {
        const retryInMs = this.queue.addRateLimited(key);
        // A namespace deleted meanwhile fails its last sync: that must not bring its series back.
        if (this.namespaces.get(key)) {
          this.options.metrics.failures.inc({ namespace: key });
          // Only the first line: API errors can carry whole response bodies.
          const error = String((err as Error).message ?? err)
            .split('\n')[0]!
            .slice(0, 300);
          this.failing.set(key, { error, since: this.failing.get(key)?.since ?? Date.now() });
        }
        const level = err instanceof NotYetError || (err as { status?: number }).status === 409 ? 'info' : 'error';
        this.log[level]({ namespace: key, err: (err as Error).message, retryInMs }, 'shoot webhook sync failed; retrying');
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcile(namespace: string): Promise<Outcome | 'skipped'> {
    const ns = this.namespaces.get(namespace);
    const ext = this.extensionAskingUs(namespace);
    const wanted = this.wanted(namespace, ns);
    const sync = async (): Promise<Outcome | 'skipped'> => {
      if (!wanted) return this.reconciler.remove(namespace);
      // Updates in a terminating namespace are rejected anyway, and the shoot is going away (as Gardener skips it).
      if (isTerminating(ns!)) return 'skipped';
      return this.reconciler.ensure(namespace, this.caBundle, this.targetOf(namespace, ns));
    };
    if (!ext) return sync();
    // Waiting for its state to be restored, or moved to another seed: this seed must not touch it (nor its shoot).
    if (isWaitingForState(ext)) return 'skipped';
    const type = operationType(ext);
    if (isMigrated(ext) && type !== 'Migrate' && type !== 'Restore') return 'skipped';
    if (type === 'Migrate') return this.lifecycle.migrate(ext, () => this.reconciler.release(namespace));
    // Without allShoots a deleting Extension no longer opts the namespace in, so sync removes the webhooks.
    if (type === 'Delete') return this.lifecycle.delete(ext, sync);
    if (!wanted || isTerminating(ns!)) return sync();
    return this.lifecycle.reconcile(ext, type, sync);
  }

  /**
   * The target the rollout keeps in this namespace's paths: `hold` while held, else the one its entry
   * recorded. A progress annotation that does not decode fails the sync: the shoot is left alone, never guessed.
   */
  private targetOf(namespace: string, ns: KubeObject | undefined): ShootTarget | undefined {
    const rollout = this.options.rollout;
    if (!rollout) return undefined;
    if (isHeld(ns?.metadata.annotations) || rollout.heldOnShoot(namespace)) return HOLD;
    const text = this.managedResources.get(MANAGED_RESOURCE_NAME, namespace)?.metadata.annotations?.[PROGRESS_ANNOTATION];
    if (text === undefined) return undefined;
    const progress = decodeProgress(text);
    if ('error' in progress)
      throw new Error(`annotation ${PROGRESS_ANNOTATION} unreadable (${progress.error}); leaving the shoot as it is`);
    return progress.target;
  }

  /** Our Extension in the namespace if it needs an operation (or stays migrated away). */
  private extensionAskingUs(namespace: string): KubeObject | undefined {
    const ours = this.extensions.list(namespace).filter(isOurExtension);
    // gardenlet creates one Extension per type and shoot, named after the type.
    const ext = ours.find((e) => e.metadata.name === EXTENSION_TYPE) ?? ours[0];
    return ext && (needsAction(ext) || isMigrated(ext)) ? ext : undefined;
  }

  private wanted(namespace: string, ns: KubeObject | undefined): boolean {
    if (ns?.metadata.labels?.['gardener.cloud/role'] !== 'shoot') return false;
    if (this.options.allShoots) return true;
    return this.extensions.list(namespace).some((e) => isOurExtension(e) && !e.metadata.deletionTimestamp);
  }

  /** The namespace is gone: nothing of it stays in memory or in the metrics. */
  private forget(namespace: string): void {
    this.registered.delete(namespace);
    this.generations.delete(namespace);
    this.reconciler.forget(namespace);
    this.options.metrics.forgetNamespace(namespace);
    this.options.metrics.registered.set(this.registered.size);
  }

  private record(namespace: string, outcome: Outcome | 'skipped'): void {
    const { metrics } = this.options;
    if (outcome === 'created' || outcome === 'updated' || outcome === 'deleted') {
      metrics.changes.inc({ outcome });
      this.log.info({ namespace, outcome }, 'shoot webhook ManagedResource changed');
    } else this.log.debug({ namespace, outcome }, 'shoot webhook ManagedResource in sync');
    if ((outcome === 'created' || outcome === 'updated' || outcome === 'unchanged') && this.namespaces.get(namespace)) {
      this.registered.add(namespace);
      metrics.lastSync.set({ namespace }, Date.now() / 1000);
    } else if (outcome !== 'skipped') {
      this.registered.delete(namespace);
      metrics.lastSync.remove({ namespace });
    }
    metrics.registered.set(this.registered.size);
  }

  /**
   * Gardener's predicates for update events: a request (operation annotation), a spec change
   * (generation), deletion, or a changed type. Status updates, our own included, ask nothing; a failed
   * operation is retried by the queue's backoff and by resyncs instead.
   */
  private extensionRequestChanged(verb: 'add' | 'update' | 'delete', ext: KubeObject): boolean {
    const key = `${ext.metadata.namespace}/${ext.metadata.name}`;
    if (verb === 'delete') {
      this.extensionRequests.delete(key);
      return true;
    }
    const request = JSON.stringify([
      (ext.spec as { type?: string } | undefined)?.type,
      ext.metadata.generation,
      ext.metadata.deletionTimestamp ?? null,
    ]);
    const before = this.extensionRequests.get(key);
    this.extensionRequests.set(key, request);
    return verb === 'add' || before !== request || hasOperationAnnotation(ext);
  }

  private generationChanged(mr: KubeObject): boolean {
    const key = mr.metadata.namespace!;
    const before = this.generations.get(key);
    const now = mr.metadata.generation ?? 0;
    this.generations.set(key, now);
    return before !== now;
  }
}

function isOurExtension(ext: KubeObject): boolean {
  return (ext.spec as { type?: string } | undefined)?.type === EXTENSION_TYPE;
}

function isTerminating(ns: KubeObject): boolean {
  return Boolean(ns.metadata.deletionTimestamp) || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating';
}
