// What operators alert on: how many shoots carry current webhooks, when each last synced, what failed.
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics.js';

export class RegistrationMetrics {
  readonly registered: Gauge;
  readonly lastSync: Gauge<'namespace'>;
  readonly failures: Counter<'namespace'>;
  readonly changes: Counter<'outcome'>;
  readonly caBundleReadFailures: Counter;
  readonly leader: Gauge;
  readonly resyncs: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.registered = new Gauge({
      name: `${METRIC_PREFIX}shoot_webhooks_registered`,
      help: 'Shoot namespaces whose ManagedResource carries the current shoot webhook configuration.',
      registers,
    });
    this.lastSync = new Gauge({
      name: `${METRIC_PREFIX}shoot_webhooks_last_sync_timestamp_seconds`,
      help: 'Unix time of the last successful sync of a shoot namespace’s webhook ManagedResource.',
      labelNames: ['namespace'] as const,
      registers,
    });
    this.failures = new Counter({
      name: `${METRIC_PREFIX}shoot_webhooks_sync_failures_total`,
      help: 'Failed syncs of a shoot namespace’s webhook ManagedResource (each is retried with backoff).',
      labelNames: ['namespace'] as const,
      registers,
    });
    this.changes = new Counter({
      name: `${METRIC_PREFIX}shoot_webhooks_changes_total`,
      help: 'Shoot namespaces whose webhook ManagedResource was created, updated or deleted; flat while nothing changes.',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.caBundleReadFailures = new Counter({
      name: `${METRIC_PREFIX}shoot_webhooks_ca_bundle_read_failures_total`,
      help: 'Resyncs that could not read the CA bundle file and kept the last good bundle.',
      registers,
    });
    this.leader = new Gauge({
      name: `${METRIC_PREFIX}shoot_webhooks_leader`,
      help: '1 while this replica holds the registration lease and writes, else 0.',
      registers,
    });
    this.resyncs = new Counter({
      name: `${METRIC_PREFIX}shoot_webhooks_resyncs_total`,
      help: 'Resyncs: every shoot namespace compared against the watch caches, and the CA bundle re-read.',
      registers,
    });
  }

  /** A namespace that is gone leaves no series behind (under churn they would grow without bound). */
  forgetNamespace(namespace: string): void {
    this.lastSync.remove({ namespace });
    this.failures.remove({ namespace });
  }
}
