// The rollout's metrics from a plan: per wave its shoots, state and soak clock; the shoots set apart; a halt.
import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { assign } from '../../src/rollout/assign.js';
import type { ShootMember } from '../../src/rollout/cluster-member.js';
import { advance } from '../../src/rollout/gate.js';
import { RolloutMetrics } from '../../src/rollout/metrics.js';
import { computePlan } from '../../src/rollout/plan.js';
import { EMPTY_STATE } from '../../src/rollout/rollout-state.js';
import { parseWavesConfig } from '../../src/rollout/waves-config.js';

const member = (project: string, name: string, extra: Partial<ShootMember> = {}): ShootMember => ({
  technicalId: `shoot--${project}--${name}`,
  project,
  purpose: 'evaluation',
  labels: {},
  annotations: {},
  ...extra,
});
const members = [
  member('ops', 'a'),
  member('shop', 'b'),
  member('shop', 'c'),
  member('x', 'held', { heldBy: 'shoot' }),
  member('x', 'sleeping', { notCounted: 'hibernated' }),
];
const config = parseWavesConfig({
  waves: [
    { name: 'first', target: 'unified', selector: { projects: ['ops'] } },
    { name: 'second', target: 'unified', selector: { projects: ['shop'] } },
  ],
});
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

function series(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('http_proxy_migrator_rollout_'));
}

describe('rollout metrics', () => {
  it('show each wave with its shoots, state and soak clock, and the shoots set apart', async () => {
    const registry = new Registry();
    const metrics = new RolloutMetrics(registry);
    const assignment = assign(members, config);
    let now = Date.parse('2026-12-01T00:00:00Z');
    const clock = { now: () => now };
    const healthy = new Map(members.map((m) => [m.technicalId, { moved: true, health: { state: 'healthy' as const } }]));
    let state = advance({
      assignment,
      state: EMPTY_STATE,
      observations: healthy,
      soakMs: config.soakMs,
      moveTimeoutMs: config.moveTimeoutMs,
      clock,
    }).state;
    now += 60_000;
    state = advance({ assignment, state, observations: healthy, soakMs: config.soakMs, moveTimeoutMs: config.moveTimeoutMs, clock }).state;
    now += 10 * 60_000;
    metrics.observePlan(computePlan(assignment, state, config.soakMs, clock), now);
    const text = await registry.metrics();
    expect(series(text)).toEqual(
      expect.arrayContaining([
        'http_proxy_migrator_rollout_wave_shoots{wave="first"} 1',
        'http_proxy_migrator_rollout_wave_shoots{wave="second"} 2',
        'http_proxy_migrator_rollout_wave_state{wave="first",state="soaking"} 1',
        'http_proxy_migrator_rollout_wave_state{wave="first",state="open"} 0',
        'http_proxy_migrator_rollout_wave_state{wave="second",state="pending"} 1',
        'http_proxy_migrator_rollout_wave_soak_remaining_seconds{wave="first"} 1200',
        'http_proxy_migrator_rollout_wave_soak_remaining_seconds{wave="second"} 0',
        'http_proxy_migrator_rollout_set_apart_shoots{group="held"} 1',
        'http_proxy_migrator_rollout_set_apart_shoots{group="unassigned"} 0',
        'http_proxy_migrator_rollout_set_apart_shoots{group="not-counted"} 1',
        'http_proxy_migrator_rollout_halted 0',
      ]),
    );
    if (hasPromtool) {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });

  it('count a halt by its condition, and drop the series of a wave no longer configured', async () => {
    const registry = new Registry();
    const metrics = new RolloutMetrics(registry);
    const halt = {
      shoot: 'shoot--ops--a',
      managedResource: 'shoot-core-vpn-shoot',
      condition: 'ResourcesHealthy',
      reason: 'DeploymentUnhealthy',
      at: '2026-12-01T00:11:00.000Z',
    };
    metrics.observePlan(computePlan(assign(members, config), { shoots: {}, halt }, config.soakMs, { now: () => 0 }), 0);
    metrics.countHalt(halt);
    let text = await registry.metrics();
    expect(series(text)).toEqual(
      expect.arrayContaining([
        'http_proxy_migrator_rollout_halted 1',
        'http_proxy_migrator_rollout_halts_total{condition="ResourcesHealthy"} 1',
        'http_proxy_migrator_rollout_wave_state{wave="first",state="halted"} 1',
      ]),
    );
    expect(text).not.toContain('shoot--ops--a');
    const one = parseWavesConfig({ waves: [{ name: 'only', target: 'unified', selector: {} }] });
    metrics.observePlan(computePlan(assign(members, one), EMPTY_STATE, one.soakMs, { now: () => 0 }), 0);
    text = await registry.metrics();
    expect(text).not.toContain('wave="first"');
    expect(text).toContain('http_proxy_migrator_rollout_wave_shoots{wave="only"} 3');
  });
});
