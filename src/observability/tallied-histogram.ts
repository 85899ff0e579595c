// A histogram with one label, counted in plain numbers on the hot path and handed to the registry only
// when scraped. prom-client's Histogram validates and hashes the labels of every observation: measured
// on the review hot path, about a microsecond per answer, more than all the other metrics together.
import type { MetricValueWithName, Registry } from 'prom-client';

declare module 'prom-client' {
  // The registry reads a metric only through name, help, type, get() and reset(); its typings name only
  // prom-client's own classes, so a metric of our own is declared here as the registry takes it.
  interface Registry {
    registerMetric(metric: RegistrableMetric): void;
  }
}

interface Series {
  /** Per bucket, not yet cumulative; one more slot for values above the last bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** The shape prom-client's registry reads from a metric's get(). */
export interface HistogramReport {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: Array<MetricValueWithName<string>>;
}

/** What prom-client's registry reads from a metric. */
export interface RegistrableMetric {
  readonly name: string;
  readonly help: string;
  readonly type: HistogramReport['type'];
  readonly aggregator: HistogramReport['aggregator'];
  get(): Promise<HistogramReport>;
  reset(): void;
}

export interface HistogramOptions<L extends string> {
  name: string;
  help: string;
  labelName: L;
  /** Upper bounds, ascending. */
  buckets: readonly number[];
  registry: Registry;
}

export class TalliedHistogram<L extends string> implements RegistrableMetric {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  private readonly labelName: L;
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();

  constructor(options: HistogramOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.labelName = options.labelName;
    this.bounds = options.buckets;
    options.registry.registerMetric(this);
  }

  /** The observer of one label value, bound once. */
  labels(value: string): { observe(value: number): void } {
    let series = this.series.get(value);
    if (!series) {
      series = { counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(value, series);
    }
    const { bounds } = this;
    const tally = series;
    return {
      observe(observed: number): void {
        if (!Number.isFinite(observed)) return;
        let i = 0;
        while (i < bounds.length && observed > bounds[i]!) i++;
        tally.counts[i]!++;
        tally.sum += observed;
        tally.count++;
      },
    };
  }

  /** What prom-client's Histogram reports for the same observations: cumulative buckets, +Inf, sum and count. */
  get(): Promise<HistogramReport> {
    const values: Array<MetricValueWithName<string>> = [];
    for (const [labelValue, { counts, sum, count }] of this.series) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += counts[i]!;
        values.push({ labels: { le, [this.labelName]: labelValue }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', [this.labelName]: labelValue }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels: { [this.labelName]: labelValue }, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: { [this.labelName]: labelValue }, value: count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    for (const series of this.series.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
