// Leader election on a coordination.k8s.io Lease, with client-go's semantics: a candidate takes the
// lease once its holder has not renewed it for leaseDuration (judged by when this replica last saw it
// change, so clock skew between replicas does not matter); the leader renews every retryPeriod and
// steps down if it cannot renew within renewDeadline. Only the leader writes; every replica serves.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../observability/logger.js';
import type { StoredObject } from '../admission/types.js';
import { ApiCallError, GROUPS, type SeedClient } from './seed-client.js';

export interface LeaderElectionOptions {
  client: SeedClient;
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  logger: Logger;
  onStartedLeading: () => Promise<void> | void;
  onStoppedLeading: () => Promise<void> | void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export class LeaderElector {
  readonly identity: string;
  private leading = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private observed?: { record: string; at: number };
  private lastRenew = 0;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderElectionOptions) {
    this.identity = options.identity ?? defaultIdentity();
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops campaigning; a leader steps down and releases the lease so a successor need not wait it out. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.transition;
    if (!this.leading) return;
    await this.stepDown();
    try {
      const lease = await this.read();
      if (lease && spec(lease).holderIdentity === this.identity) {
        lease.spec = { ...spec(lease), holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date()) };
        await this.options.client.replaceCustom(GROUPS.leases, lease);
      }
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'could not release the leader lease; it expires by itself');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let held = false;
    try {
      held = await this.tryAcquireOrRenew();
      if (held) this.lastRenew = Date.now();
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message, lease: this.options.name }, 'leader lease not acquired or renewed');
    }
    if (this.stopped) return;
    if (held && !this.leading) {
      this.leading = true;
      this.options.logger.info({ identity: this.identity, lease: `${this.options.namespace}/${this.options.name}` }, 'became leader');
      this.transition = this.transition.then(() => this.options.onStartedLeading());
    } else if (!held && this.leading && Date.now() - this.lastRenew > this.renewDeadlineMs) {
      this.options.logger.warn({ identity: this.identity }, 'leader lease lost; stopping writes');
      await this.stepDown();
    }
    const jitter = this.leading ? 0 : Math.random() * 0.2 * this.retryPeriodMs;
    this.timer = setTimeout(() => void this.tick(), this.retryPeriodMs + jitter);
  }

  private async stepDown(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.transition = this.transition.then(() => this.options.onStoppedLeading());
    await this.transition;
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const lease = await this.read();
    const mine: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    if (!lease) {
      await this.options.client.createCustom(GROUPS.leases, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.options.name, namespace: this.options.namespace },
        spec: mine,
      });
      return true;
    }
    const current = spec(lease);
    const record = JSON.stringify(current);
    if (this.observed?.record !== record) this.observed = { record, at: now.getTime() };
    const heldByOther = Boolean(current.holderIdentity) && current.holderIdentity !== this.identity;
    const expired = this.observed.at + (current.leaseDurationSeconds ?? 0) * 1000 < now.getTime();
    if (heldByOther && !expired) return false;
    lease.spec =
      current.holderIdentity === this.identity
        ? { ...current, renewTime: mine.renewTime, leaseDurationSeconds: mine.leaseDurationSeconds }
        : { ...mine, leaseTransitions: (current.leaseTransitions ?? 0) + 1 };
    // The update carries the resourceVersion we read: if another candidate won meanwhile, we get 409.
    await this.options.client.replaceCustom(GROUPS.leases, lease);
    return true;
  }

  private async read(): Promise<StoredObject | undefined> {
    try {
      return await this.options.client.getCustom(GROUPS.leases, this.options.namespace, this.options.name);
    } catch (err) {
      if (err instanceof ApiCallError && err.status === 404) return undefined;
      throw err;
    }
  }
}

function spec(lease: StoredObject): LeaseSpec {
  return (lease.spec ?? {}) as LeaseSpec;
}

/** metav1.MicroTime wants exactly six fractional digits; a JavaScript Date has three. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
