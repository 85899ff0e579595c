// Prometheus metrics, named after controller-runtime's webhook metrics under our own prefix.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { TalliedHistogram } from './tallied-histogram.js';

export const METRIC_PREFIX = 'http_proxy_migrator_';

export class Metrics {
  readonly registry = new Registry();
  // Per-request counts are kept in plain numbers and published when scraped: prom-client's inc and dec
  // hash their labels on every call, which the review hot path would pay for each answer.
  private readonly requestTallies: Tally[] = [];
  private readonly outcomeTallies: Tally[] = [];
  private readonly mutationTallies: Tally[] = [];
  private readonly inFlightByWebhook = new Map<string, { count: number }>();

  readonly requests: Counter<'webhook' | 'code'> = new Counter({
    name: `${METRIC_PREFIX}webhook_requests_total`,
    help: 'Admission requests answered, by webhook and HTTP status code.',
    labelNames: ['webhook', 'code'] as const,
    registers: [this.registry],
    collect: (): void => publish(this.requests, this.requestTallies),
  });
  readonly latency = new TalliedHistogram({
    name: `${METRIC_PREFIX}webhook_latency_seconds`,
    help: 'Time from the first byte of an admission request to its answer.',
    labelName: 'webhook',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registry: this.registry,
  });
  readonly inFlight = new Gauge({
    name: `${METRIC_PREFIX}webhook_requests_in_flight`,
    help: 'Admission requests being handled now.',
    labelNames: ['webhook'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [webhook, { count }] of this.inFlightByWebhook) this.inFlight.set({ webhook }, count);
    },
  });
  readonly outcomes: Counter<'webhook' | 'outcome'> = new Counter({
    name: `${METRIC_PREFIX}webhook_outcomes_total`,
    help: 'Admission verdicts by webhook and outcome (allowed, patched, denied, error).',
    labelNames: ['webhook', 'outcome'] as const,
    registers: [this.registry],
    collect: (): void => publish(this.outcomes, this.outcomeTallies),
  });
  readonly mutations: Counter<'webhook' | 'reason'> = new Counter({
    name: `${METRIC_PREFIX}webhook_mutations_total`,
    help:
      'Answers of the mutating webhooks by reason: moved (patched forward), at-target and ahead-of-target (left exactly as they are), ' +
      'not-ours, or why an object in scope was left unchanged.',
    labelNames: ['webhook', 'reason'] as const,
    registers: [this.registry],
    collect: (): void => publish(this.mutations, this.mutationTallies),
  });
  readonly skipped = new Counter({
    name: `${METRIC_PREFIX}webhook_skipped_total`,
    help: 'Objects in scope admitted unchanged, by webhook and reason (unknown shoot, seed not ready, old client, unrecognised shape).',
    labelNames: ['webhook', 'reason'] as const,
    registers: [this.registry],
  });
  readonly handlerFailures = new Counter({
    name: `${METRIC_PREFIX}webhook_handler_failures_total`,
    help: 'Handlers that threw or timed out; answered by the failure policy.',
    labelNames: ['webhook'] as const,
    registers: [this.registry],
  });

  private readonly bound = new Map<string, WebhookMetrics>();

  /** Verdicts since start per webhook and outcome, read without waiting for a scrape. */
  outcomeCounts(): { webhook: string; outcome: string; count: number }[] {
    return this.outcomeTallies.map((t) => ({ webhook: t.labels.webhook!, outcome: t.labels.outcome!, count: t.count }));
  }

  /** Answers of the mutating webhooks since start per webhook and reason (moved, at-target, ahead-of-target, not-ours, …). */
  mutationCounts(): { webhook: string; reason: string; count: number }[] {
    return this.mutationTallies.map((t) => ({ webhook: t.labels.webhook!, reason: t.labels.reason!, count: t.count }));
  }

  /** Objects admitted unchanged since start per webhook and reason. */
  async skippedCounts(): Promise<{ webhook: string; reason: string; count: number }[]> {
    const { values } = await this.skipped.get();
    return values.map((v) => ({ webhook: String(v.labels.webhook), reason: String(v.labels.reason), count: v.value }));
  }

  async handlerFailureCounts(): Promise<{ webhook: string; count: number }[]> {
    const { values } = await this.handlerFailures.get();
    return values.map((v) => ({ webhook: String(v.labels.webhook), count: v.value }));
  }

  /** The per-request metrics of one webhook with their labels bound once, off the per-request path. */
  forWebhook(webhook: string): WebhookMetrics {
    let bound = this.bound.get(webhook);
    if (!bound) {
      const inFlight = { count: 0 };
      this.inFlightByWebhook.set(webhook, inFlight);
      bound = {
        inFlight: { inc: () => inFlight.count++, dec: () => inFlight.count-- },
        latency: this.latency.labels(webhook),
        requests: memoized((code: number) => tally(this.requestTallies, { webhook, code: String(code) })),
        outcomes: memoized((outcome: string) => tally(this.outcomeTallies, { webhook, outcome })),
        mutations: memoized((reason: string) => tally(this.mutationTallies, { webhook, reason })),
      };
      this.bound.set(webhook, bound);
    }
    return bound;
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}

export interface WebhookMetrics {
  inFlight: { inc(): void; dec(): void };
  latency: { observe(seconds: number): void };
  requests(code: number): { inc(): void };
  outcomes(outcome: string): { inc(): void };
  /** By the reason a mutating webhook gives (few values: the webhooks' own reason vocabularies). */
  mutations(reason: string): { inc(): void };
}

/** One child per label value, made on first use (few values: status codes, outcomes). */
function memoized<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}

/** A count of one label set, and how much of it the prom-client counter has been given. */
interface Tally {
  labels: Record<string, string>;
  count: number;
  published: number;
  inc(): void;
}

function tally(tallies: Tally[], labels: Record<string, string>): Tally {
  const made: Tally = {
    labels,
    count: 0,
    published: 0,
    inc() {
      made.count++;
    },
  };
  tallies.push(made);
  return made;
}

function publish<L extends string>(counter: Counter<L>, tallies: readonly Tally[]): void {
  for (const t of tallies) {
    if (t.count === t.published) continue;
    counter.inc(t.labels as Partial<Record<L, string>>, t.count - t.published);
    t.published = t.count;
  }
}
