// Watches the seed's shoot namespaces, the Extensions that opt them in, and our ManagedResources, and
// keeps each opted-in namespace registered: events queue the namespace, a resync queues all of them
// (re-reading the CA bundle first), and workers reconcile from the queue with per-namespace backoff.
import type * as k8s from '@kubernetes/client-node';
import { EXTENSION_NAME } from '../config/identity.js';
import type { Logger } from '../observability/logger.js';
import { readCaBundle } from './ca-bundle.js';
import { DEFAULT_RESYNC_PERIOD_MS } from './defaults.js';
import { MANAGED_RESOURCE_NAME } from './desired.js';
import { SelfHealingInformer } from './informer.js';
import type { RegistrationMetrics } from './metrics.js';
import { NotYetError, ShootWebhookReconciler, type Outcome, type ReconcileSettings } from './reconciler.js';
import { GROUPS, SeedClient, type KubeObject } from './seed-client.js';
import { WorkQueue, type Backoff } from './work-queue.js';

export const SHOOT_NAMESPACE_SELECTOR = 'gardener.cloud/role=shoot';
/** The Extension type that opts a shoot in (`spec.extensions[].type` in the Shoot). */
export const EXTENSION_TYPE = EXTENSION_NAME;

export interface ControllerOptions {
  kubeConfig: k8s.KubeConfig;
  caFile: string;
  settings: ReconcileSettings;
  /** Register every shoot namespace, not only those with an Extension of our type. */
  allShoots?: boolean;
  resyncPeriodMs?: number;
  workers?: number;
  backoff?: Backoff;
  logger: Logger;
  metrics: RegistrationMetrics;
}

export class ShootWebhookController {
  private readonly client: SeedClient;
  private readonly reconciler: ShootWebhookReconciler;
  private readonly queue: WorkQueue;
  private readonly namespaces: SelfHealingInformer;
  private readonly extensions: SelfHealingInformer;
  private readonly managedResources: SelfHealingInformer;
  private readonly registered = new Set<string>();
  /** Last seen generation of each namespace's ManagedResource, to tell spec edits from status updates. */
  private readonly generations = new Map<string, number>();
  private readonly log: Logger;
  private caBundle = '';
  private resyncTimer?: NodeJS.Timeout;
  private workers: Promise<void>[] = [];
  private started = false;

  constructor(private readonly options: ControllerOptions) {
    this.log = options.logger.child({ controller: 'shoot-webhooks' });
    this.client = new SeedClient(options.kubeConfig);
    this.reconciler = new ShootWebhookReconciler(this.client, options.settings);
    this.queue = new WorkQueue(options.backoff);
    const common = { kubeConfig: options.kubeConfig, logger: this.log, backoff: options.backoff };
    this.namespaces = new SelfHealingInformer({
      ...common,
      path: '/api/v1/namespaces',
      labelSelector: SHOOT_NAMESPACE_SELECTOR,
      list: (s) => this.client.core.listNamespace(s),
      onChange: (_verb, ns) => this.queue.add(ns.metadata.name),
    });
    this.extensions = new SelfHealingInformer({
      ...common,
      path: `/apis/${GROUPS.extensions.group}/${GROUPS.extensions.version}/${GROUPS.extensions.plural}`,
      list: (s) => this.client.custom.listClusterCustomObject({ ...GROUPS.extensions, ...s }),
      // Only our type matters, but a type edited away from ours must still unregister the namespace.
      onChange: (_verb, ext) => {
        const ns = ext.metadata.namespace;
        if (ns && (isOurExtension(ext) || this.registered.has(ns))) this.queue.add(ns);
      },
    });
    this.managedResources = new SelfHealingInformer({
      ...common,
      path: `/apis/${GROUPS.managedResources.group}/${GROUPS.managedResources.version}/${GROUPS.managedResources.plural}`,
      fieldSelector: `metadata.name=${MANAGED_RESOURCE_NAME}`,
      list: (s) => this.client.custom.listClusterCustomObject({ ...GROUPS.managedResources, ...s }),
      // Status updates by the resource manager are frequent and change nothing of ours: only a deleted
      // or edited (generation bumped) ManagedResource needs a look.
      onChange: (verb, mr) => {
        if (mr.metadata.name !== MANAGED_RESOURCE_NAME || !mr.metadata.namespace) return;
        if (verb === 'delete') this.generations.delete(mr.metadata.namespace);
        if (verb === 'delete' || this.generationChanged(mr)) this.queue.add(mr.metadata.namespace);
      },
    });
  }

  /** Reads the CA bundle (throws a CaBundleError if it is unusable), syncs the caches, then starts working. */
  async start(): Promise<void> {
    this.caBundle = readCaBundle(this.options.caFile);
    await Promise.all([this.namespaces.start(), this.extensions.start(), this.managedResources.start()]);
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

  /** Re-reads the CA bundle, then queues every namespace so a rotation reaches all shoots in one period. */
  resync(): void {
    try {
      const bundle = readCaBundle(this.options.caFile);
      if (bundle !== this.caBundle) this.log.info({ caFile: this.options.caFile }, 'CA bundle changed; updating every registered shoot');
      this.caBundle = bundle;
    } catch (err) {
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
        this.record(key, outcome);
      } catch (err) {
        const retryInMs = this.queue.addRateLimited(key);
        this.options.metrics.failures.inc({ namespace: key });
        const level = err instanceof NotYetError || (err as { status?: number }).status === 409 ? 'info' : 'error';
        this.log[level]({ namespace: key, err: (err as Error).message, retryInMs }, 'shoot webhook sync failed; retrying');
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcile(namespace: string): Promise<Outcome | 'skipped'> {
    const ns = this.namespaces.get(namespace);
    if (!this.wanted(namespace, ns)) return this.reconciler.remove(namespace);
    // Updates in a terminating namespace are rejected anyway, and the shoot is going away (as Gardener skips it).
    if (isTerminating(ns!)) return 'skipped';
    return this.reconciler.ensure(namespace, this.caBundle);
  }

  private wanted(namespace: string, ns: KubeObject | undefined): boolean {
    if (ns?.metadata.labels?.['gardener.cloud/role'] !== 'shoot') return false;
    if (this.options.allShoots) return true;
    return this.extensions.list(namespace).some((e) => isOurExtension(e) && !e.metadata.deletionTimestamp);
  }

  private record(namespace: string, outcome: Outcome | 'skipped'): void {
    const { metrics } = this.options;
    if (outcome === 'created' || outcome === 'updated' || outcome === 'deleted') {
      metrics.changes.inc({ outcome });
      this.log.info({ namespace, outcome }, 'shoot webhook ManagedResource changed');
    } else this.log.debug({ namespace, outcome }, 'shoot webhook ManagedResource in sync');
    if (outcome === 'created' || outcome === 'updated' || outcome === 'unchanged') {
      this.registered.add(namespace);
      metrics.lastSync.set({ namespace }, Date.now() / 1000);
    } else if (outcome !== 'skipped') {
      this.registered.delete(namespace);
      metrics.lastSync.remove({ namespace });
    }
    metrics.registered.set(this.registered.size);
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
