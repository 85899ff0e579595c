// Metrics of the shoot index: whether it is synced and how far it may lag, and per seed and gate the
// shoots that would fail gardenlet's check, so an operator sees the way to turning a gate on.
import { Counter, Gauge } from 'prom-client';
import { METRIC_PREFIX, type Metrics } from '../observability/metrics.js';
import { REMOVAL_GATES } from './removal-gates.js';
import { blockingOfSeed } from './migration-check.js';
import { landscapeProgress } from './migration-progress.js';
import type { ShootIndex } from './shoot-index.js';
import type { InformerEvents, ShootInformer } from './shoot-informer.js';

/** Registers the gauges on `metrics`; returns the counters an informer reports into. */
export function registerShootIndexMetrics(metrics: Metrics, index: ShootIndex, informer?: () => ShootInformer | undefined): InformerEvents {
  const registers = [metrics.registry];
  new Gauge({
    name: `${METRIC_PREFIX}shoot_index_synced`,
    help: 'Whether the shoot index has completed its first list (1): until then gardenlet configuration that turns a gate on is refused.',
    registers,
    collect() {
      this.set(index.synced() ? 1 : 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}shoot_index_shoots`,
    help: 'Shoots in the index.',
    registers,
    collect() {
      this.set(index.size);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}blocking_shoots`,
    help: "Shoots of the seed that would fail gardenlet's start-up check if the gate were enabled (constraint missing, False or Unknown).",
    labelNames: ['seed', 'gate'] as const,
    registers,
    collect() {
      this.reset();
      if (!index.synced()) return;
      for (const seed of index.seeds()) {
        for (const gate of REMOVAL_GATES) this.set({ seed, gate: gate.gate }, blockingOfSeed(index, seed, gate.constraint).length);
      }
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}gate_shoots`,
    help: "Per seed and removal gate: shoots gardenlet's check counts (counted = migrated + blocking), and those it skips.",
    labelNames: ['seed', 'gate', 'state'] as const,
    registers,
    collect() {
      this.reset();
      if (!index.synced()) return;
      for (const { seed, gates } of landscapeProgress(index)) {
        for (const g of gates) {
          for (const state of ['counted', 'migrated', 'blocking', 'skipped'] as const) this.set({ seed, gate: g.gate, state }, g[state]);
        }
      }
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}gate_shoots_by_reason`,
    help: 'Per seed and removal gate: blocking and skipped shoots by reason.',
    labelNames: ['seed', 'gate', 'state', 'reason'] as const,
    registers,
    collect() {
      this.reset();
      if (!index.synced()) return;
      for (const { seed, gates } of landscapeProgress(index)) {
        for (const g of gates) {
          for (const r of g.blockingByReason) this.set({ seed, gate: g.gate, state: 'blocking', reason: r.reason }, r.count);
          for (const r of g.skippedByReason) this.set({ seed, gate: g.gate, state: 'skipped', reason: r.reason }, r.count);
        }
      }
    },
  });
  if (!informer) return {};
  new Gauge({
    name: `${METRIC_PREFIX}shoot_index_watching`,
    help: "Whether a watch on the garden cluster's shoots is open (1), i.e. the index follows changes as they happen.",
    registers,
    collect() {
      this.set(informer()?.watching ? 1 : 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}shoot_index_age_seconds`,
    help: 'How long the index may have lagged the garden cluster: 0 while a watch is open, else the time since the last one closed (or since start).',
    registers,
    collect() {
      const current = informer();
      this.set(!current || current.watching ? 0 : (Date.now() - current.laggingSince) / 1000);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}shoot_index_last_list_timestamp_seconds`,
    help: 'When the last complete list of shoots finished (Unix time).',
    registers,
    collect() {
      const at = informer()?.lastListAt;
      if (at !== undefined) this.set(at / 1000);
    },
  });
  const relists = new Counter({
    name: `${METRIC_PREFIX}shoot_index_relists_total`,
    help: 'Full lists of shoots after the first (410 Gone, or after an error without a resource version).',
    registers,
  });
  const failures = new Counter({
    name: `${METRIC_PREFIX}shoot_index_failures_total`,
    help: 'Failed lists and watches of shoots, each retried with backoff.',
    registers,
  });
  return { relisted: () => relists.inc(), failed: () => failures.inc() };
}
