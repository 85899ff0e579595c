// The rollout as operators alert on it: per wave its shoots, its state and the soak clock; the shoots set
// apart; a halt. Label values are wave names and conditions (bounded by the configuration), never shoots:
// the halt's log line and Event name the shoot.
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics.js';
import type { Plan, WaveState } from './plan.js';
import type { Halt } from './rollout-state.js';

const WAVE_STATES: readonly WaveState[] = ['pending', 'open', 'soaking', 'done', 'halted'];

export class RolloutMetrics {
  readonly waveShoots: Gauge<'wave'>;
  readonly waveState: Gauge<'wave' | 'state'>;
  readonly soakRemaining: Gauge<'wave'>;
  readonly setApart: Gauge<'group'>;
  readonly halted: Gauge;
  readonly halts: Counter<'condition'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.waveShoots = new Gauge({
      name: `${METRIC_PREFIX}rollout_wave_shoots`,
      help: 'Counted shoots in each rollout wave.',
      labelNames: ['wave'] as const,
      registers,
    });
    this.waveState = new Gauge({
      name: `${METRIC_PREFIX}rollout_wave_state`,
      help: '1 for the state each rollout wave is in (pending, open, soaking, done, halted), 0 for the others.',
      labelNames: ['wave', 'state'] as const,
      registers,
    });
    this.soakRemaining = new Gauge({
      name: `${METRIC_PREFIX}rollout_wave_soak_remaining_seconds`,
      help: 'Seconds until a soaking wave has soaked, if its shoots stay healthy; 0 when not soaking.',
      labelNames: ['wave'] as const,
      registers,
    });
    this.setApart = new Gauge({
      name: `${METRIC_PREFIX}rollout_set_apart_shoots`,
      help: 'Shoots in no wave: held, unassigned (keeping the default target) and not counted (hibernated, workerless).',
      labelNames: ['group'] as const,
      registers,
    });
    this.halted = new Gauge({
      name: `${METRIC_PREFIX}rollout_halted`,
      help: '1 while the rollout is halted and no shoot enters a wave, else 0.',
      registers,
    });
    this.halts = new Counter({
      name: `${METRIC_PREFIX}rollout_halts_total`,
      help: 'Halts of the rollout, by the condition that caused them (ResourcesApplied, ResourcesHealthy, MoveTimedOut).',
      labelNames: ['condition'] as const,
      registers,
    });
  }

  /** Replaces every wave series, so that a wave removed from the configuration disappears. */
  observePlan(plan: Plan, now: number): void {
    this.waveShoots.reset();
    this.waveState.reset();
    this.soakRemaining.reset();
    for (const wave of plan.waves) {
      this.waveShoots.set({ wave: wave.name }, wave.shoots.length);
      for (const state of WAVE_STATES) this.waveState.set({ wave: wave.name, state }, state === wave.state ? 1 : 0);
      const remaining = wave.soakEndsAt ? Math.max(0, (Date.parse(wave.soakEndsAt) - now) / 1000) : 0;
      this.soakRemaining.set({ wave: wave.name }, remaining);
    }
    this.setApart.set({ group: 'held' }, plan.held.length);
    this.setApart.set({ group: 'unassigned' }, plan.unassigned.length);
    this.setApart.set({ group: 'not-counted' }, plan.notCounted.length);
    this.halted.set(plan.halt ? 1 : 0);
  }

  /** A replica that stops leading reports nothing it no longer knows. */
  clear(): void {
    for (const gauge of [this.waveShoots, this.waveState, this.soakRemaining, this.setApart, this.halted]) gauge.reset();
  }

  countHalt(halt: Halt): void {
    this.halts.inc({ condition: halt.condition });
  }
}
