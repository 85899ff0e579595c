// The state a new leader reads back: round trips, and everything that does not parse is refused with why.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance } from '../../src/rollout/gate.js';
import type { Halt, RolloutState, ShootProgress } from '../../src/rollout/rollout-state.js';
import { decodeHalt, decodeProgress, encodeHalt, encodeProgress, resumes, RESUME_ANNOTATION } from '../../src/rollout/stored-state.js';

const progress: ShootProgress = {
  wave: 'operators',
  target: 'unified',
  enteredAt: '2026-12-01T00:00:00.000Z',
  movedAt: '2026-12-01T00:05:00.000Z',
  healthySince: '2026-12-01T00:05:00.000Z',
};
const halt: Halt = {
  shoot: 'shoot--ops--a',
  managedResource: 'shoot-core-vpn-shoot',
  condition: 'ResourcesHealthy',
  reason: 'DeploymentUnhealthy',
  at: '2026-12-01T00:11:00.000Z',
};

describe('stored rollout state', () => {
  it('round-trips a shoot progress and a halt', () => {
    expect(decodeProgress(encodeProgress(progress))).toEqual(progress);
    const entered = { wave: 'w', target: 'tls-tunnel', enteredAt: '2026-12-01T00:00:00Z' } as const;
    expect(decodeProgress(encodeProgress(entered))).toEqual(entered);
    expect(decodeHalt(encodeHalt(halt))).toEqual(halt);
  });

  it('round-trips every state the gate produces (property)', () => {
    const health = fc.constantFrom(
      { state: 'healthy' } as const,
      { state: 'progressing', managedResource: 'shoot-core-apiserver-proxy' } as const,
      { state: 'unhealthy', managedResource: 'shoot-core-vpn-shoot', condition: 'ResourcesHealthy', status: 'False', reason: 'X' } as const,
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), health, fc.integer({ min: 0, max: 7_200_000 })), { minLength: 1, maxLength: 12 }),
        (ticks) => {
          const members = [{ technicalId: 'shoot--a--b', project: 'a', purpose: 'evaluation', labels: {}, annotations: {} }];
          const assignment = {
            waves: [{ wave: { name: 'w', target: 'unified' as const, selector: {} }, shoots: members }],
            held: [],
            unassigned: [],
            notCounted: [],
          };
          let state: RolloutState = { shoots: {} };
          let now = Date.parse('2026-12-01T00:00:00Z');
          for (const [moved, h, dt] of ticks) {
            now += dt;
            state = advance({
              assignment,
              state,
              observations: new Map([['shoot--a--b', { moved, health: h }]]),
              soakMs: 1_800_000,
              moveTimeoutMs: 3_600_000,
              clock: { now: () => now },
            }).state;
            for (const p of Object.values(state.shoots)) expect(decodeProgress(encodeProgress(p))).toEqual(p);
            if (state.halt) expect(decodeHalt(encodeHalt(state.halt))).toEqual(state.halt);
          }
        },
      ),
    );
  });

  it.each<[string, string, string]>([
    ['not JSON', '{wave', 'not JSON'],
    ['a list', '[]', 'not a JSON object'],
    ['no wave', '{"target":"unified","enteredAt":"2026-12-01T00:00:00Z"}', 'wave is missing'],
    ['an unknown target', '{"wave":"w","target":"legacy","enteredAt":"2026-12-01T00:00:00Z"}', 'target is not a phase'],
    ['no entry time', '{"wave":"w","target":"unified"}', 'enteredAt is not an RFC 3339 time'],
    ['a time that is no time', '{"wave":"w","target":"unified","enteredAt":"yesterday"}', 'enteredAt is not an RFC 3339 time'],
    [
      'healthy without moved',
      '{"wave":"w","target":"unified","enteredAt":"2026-12-01T00:00:00Z","healthySince":"2026-12-01T00:00:00Z"}',
      'healthySince without movedAt',
    ],
    ['a huge annotation', `{"wave":"${'w'.repeat(5000)}"}`, 'longer than 4096 characters'],
  ])('refuses a progress that is %s', (_, text, error) => {
    expect(decodeProgress(text)).toEqual({ error });
  });

  it('refuses a halt without its fields', () => {
    expect(decodeHalt('{"shoot":"x"}')).toEqual({ error: 'managedResource is missing' });
    expect(decodeHalt(encodeHalt({ ...halt, at: 'now' }))).toEqual({ error: 'at is not an RFC 3339 time' });
  });

  it('resumes only the halt the annotation names', () => {
    expect(resumes({ [RESUME_ANNOTATION]: halt.at }, halt)).toBe(true);
    expect(resumes({ [RESUME_ANNOTATION]: '2026-12-01T00:00:00.000Z' }, halt)).toBe(false);
    expect(resumes(undefined, halt)).toBe(false);
  });
});
