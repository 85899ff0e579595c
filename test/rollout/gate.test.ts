// The health gate on a fake clock: waves open only after the soak, one unhealthy shoot halts, an operator
// resumes; a restart from the state kept in the cluster never moves a shoot twice.
import { describe, expect, it } from 'vitest';
import { assign, type Assignment } from '../../src/rollout/assign.js';
import type { ShootMember } from '../../src/rollout/cluster-member.js';
import { advance, resume, type Observation } from '../../src/rollout/gate.js';
import type { Health } from '../../src/rollout/health.js';
import { computePlan } from '../../src/rollout/plan.js';
import { EMPTY_STATE, type RolloutState } from '../../src/rollout/rollout-state.js';
import { parseWavesConfig } from '../../src/rollout/waves-config.js';

const MINUTE = 60_000;
const SOAK = 30 * MINUTE;
const MOVE_TIMEOUT = 60 * MINUTE;

class FakeClock {
  constructor(public ms = Date.parse('2026-12-01T00:00:00Z')) {}
  now = () => this.ms;
  tick(ms: number) {
    this.ms += ms;
  }
}

const member = (project: string, name: string): ShootMember => ({
  technicalId: `shoot--${project}--${name}`,
  project,
  purpose: 'evaluation',
  labels: {},
  annotations: {},
});
const config = parseWavesConfig({
  waves: [
    { name: 'first', target: 'unified', selector: { projects: ['ops'] } },
    { name: 'second', target: 'unified', selector: {} },
  ],
});
const members = [member('ops', 'a'), member('ops', 'b'), member('shop', 'c'), member('shop', 'd')];
const FIRST = ['shoot--ops--a', 'shoot--ops--b'];
const SECOND = ['shoot--shop--c', 'shoot--shop--d'];

const healthy: Health = { state: 'healthy' };
const progressing: Health = { state: 'progressing', managedResource: 'shoot-core-apiserver-proxy' };
const broken: Health = {
  state: 'unhealthy',
  managedResource: 'shoot-core-vpn-shoot',
  condition: 'ResourcesHealthy',
  status: 'False',
  reason: 'DeploymentUnhealthy',
};

/** A seed where every shoot is healthy and a shoot has moved once it has entered; `override` changes one. */
function observe(state: RolloutState, override: Record<string, Partial<Observation>> = {}): Map<string, Observation> {
  return new Map(
    members.map(({ technicalId }) => [technicalId, { moved: technicalId in state.shoots, health: healthy, ...override[technicalId] }]),
  );
}

function step(assignment: Assignment, state: RolloutState, clock: FakeClock, override: Record<string, Partial<Observation>> = {}) {
  return advance({ assignment, state, observations: observe(state, override), soakMs: SOAK, moveTimeoutMs: MOVE_TIMEOUT, clock });
}

describe('health gate', () => {
  const assignment = assign(members, config);

  it('opens the next wave only once every shoot of the wave before has stayed healthy for the soak time', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    expect(s.entered.map((e) => e.technicalId)).toEqual(FIRST);
    expect(s.entered[0]).toEqual({ technicalId: 'shoot--ops--a', wave: 'first', target: 'unified' });

    clock.tick(MINUTE); // the roll has finished: moved and healthy, the soak starts
    s = step(assignment, s.state, clock);
    expect(s.entered).toEqual([]);
    expect(s.state.shoots['shoot--ops--a']).toMatchObject({
      movedAt: '2026-12-01T00:01:00.000Z',
      healthySince: '2026-12-01T00:01:00.000Z',
    });
    expect(computePlan(assignment, s.state, SOAK, clock).waves.map((w) => [w.state, w.soakEndsAt])).toEqual([
      ['soaking', '2026-12-01T00:31:00.000Z'],
      ['pending', undefined],
    ]);

    clock.tick(SOAK - 1);
    s = step(assignment, s.state, clock);
    expect(s.entered).toEqual([]);

    clock.tick(1);
    s = step(assignment, s.state, clock);
    expect(s.entered.map((e) => e.technicalId)).toEqual(SECOND);
    expect(computePlan(assignment, s.state, SOAK, clock).waves.map((w) => w.state)).toEqual(['done', 'open']);
  });

  it('restarts the soak of a shoot whose workloads roll again, without halting', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    clock.tick(20 * MINUTE);
    s = step(assignment, s.state, clock, { 'shoot--ops--b': { health: progressing } });
    expect(s.state.halt).toBeUndefined();
    expect(s.state.shoots['shoot--ops--b']!.healthySince).toBeUndefined();
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    clock.tick(SOAK - 1);
    expect(step(assignment, s.state, clock).entered).toEqual([]);
    clock.tick(1);
    expect(step(assignment, s.state, clock).entered.map((e) => e.technicalId)).toEqual(SECOND);
  });

  it('halts on one unhealthy moved shoot: no shoot enters, none moves back, until an operator resumes', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    clock.tick(10 * MINUTE);
    s = step(assignment, s.state, clock, { 'shoot--ops--b': { health: broken } });
    expect(s.halted).toEqual({
      shoot: 'shoot--ops--b',
      managedResource: 'shoot-core-vpn-shoot',
      condition: 'ResourcesHealthy',
      reason: 'DeploymentUnhealthy',
      at: '2026-12-01T00:11:00.000Z',
    });
    expect(s.state.halt).toEqual(s.halted);
    // A halt keeps every entered shoot where it is: same target, still moved.
    expect(Object.keys(s.state.shoots).sort()).toEqual(FIRST);
    expect(s.state.shoots['shoot--ops--b']).toMatchObject({ target: 'unified', movedAt: '2026-12-01T00:01:00.000Z' });

    // Healthy again and long past the soak: still halted, nothing enters, and the halt is not reported twice.
    clock.tick(2 * SOAK);
    s = step(assignment, s.state, clock);
    s = step(assignment, s.state, clock);
    expect(s.entered).toEqual([]);
    expect(s.halted).toBeUndefined();
    expect(s.state.halt?.shoot).toBe('shoot--ops--b');
    expect(computePlan(assignment, s.state, SOAK, clock).waves.map((w) => w.state)).toEqual(['halted', 'pending']);

    const resumed = resume(s.state, clock);
    expect(resumed.halt).toBeUndefined();
    expect(resumed.resumedAt).toBe(new Date(clock.ms).toISOString());
    // The soak of the shoot that failed restarted when it was healthy again.
    s = step(assignment, resumed, clock);
    expect(s.entered).toEqual([]);
    clock.tick(SOAK);
    s = step(assignment, s.state, clock);
    expect(s.entered.map((e) => e.technicalId)).toEqual(SECOND);
  });

  it('halts again at once when resumed while the shoot is still unhealthy', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    s = step(assignment, s.state, clock, { 'shoot--ops--a': { health: broken } });
    expect(s.halted?.shoot).toBe('shoot--ops--a');
    clock.tick(MINUTE);
    s = step(assignment, resume(s.state, clock), clock, { 'shoot--ops--a': { health: broken } });
    expect(s.halted?.shoot).toBe('shoot--ops--a');
    expect(s.entered).toEqual([]);
  });

  it('tolerates a False condition during the move, and halts when the move has not finished in time', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    // The resource manager re-creates the ConfigMap: a moment of ResourcesHealthy False is part of the move.
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock, { 'shoot--ops--a': { moved: false, health: broken } });
    expect(s.state.halt).toBeUndefined();
    // A bad configuration stalls the DaemonSet roll: Progressing, never finished.
    clock.tick(MOVE_TIMEOUT - 2 * MINUTE);
    s = step(assignment, s.state, clock, { 'shoot--ops--a': { moved: false, health: progressing } });
    expect(s.state.halt).toBeUndefined();
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock, { 'shoot--ops--a': { moved: false, health: progressing } });
    expect(s.halted).toEqual({
      shoot: 'shoot--ops--a',
      managedResource: 'shoot-core-apiserver-proxy',
      condition: 'MoveTimedOut',
      reason: 'ResourcesProgressing',
      at: '2026-12-01T01:00:00.000Z',
    });
    expect(s.state.shoots['shoot--ops--b']!.movedAt).toBe('2026-12-01T00:01:00.000Z');
  });

  it('lets no unhealthy shoot enter, and never halts for a shoot that has not entered', () => {
    const clock = new FakeClock();
    const s = step(assignment, EMPTY_STATE, clock, { 'shoot--ops--a': { health: broken }, 'shoot--ops--b': { health: progressing } });
    expect(s.entered).toEqual([]);
    expect(s.state.halt).toBeUndefined();
  });

  it('does not count a held shoot, even an unhealthy one, towards the gate', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    const held = assign(
      members.map((m) => (m.technicalId === 'shoot--ops--b' ? { ...m, heldBy: 'namespace' as const } : m)),
      config,
    );
    clock.tick(SOAK);
    s = step(held, s.state, clock, { 'shoot--ops--b': { health: broken } });
    expect(s.state.halt).toBeUndefined();
    expect(s.entered.map((e) => e.technicalId)).toEqual(SECOND);
  });

  it('never enters a shoot twice after a restart in mid-wave from the state kept in the cluster', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    clock.tick(SOAK);
    s = step(assignment, s.state, clock);
    expect(s.entered).toHaveLength(2);
    // A new leader reads the state back (as JSON, as it is stored) and steps from there.
    const restored = JSON.parse(JSON.stringify(s.state)) as RolloutState;
    for (let i = 0; i < 3; i++) {
      clock.tick(MINUTE);
      const again = step(assignment, restored, clock);
      expect(again.entered).toEqual([]);
      expect(Object.keys(again.state.shoots).sort()).toEqual([...FIRST, ...SECOND]);
    }
  });

  it('restarts the soak from the conditions when a flap happened while no leader was watching', () => {
    const clock = new FakeClock();
    let s = step(assignment, EMPTY_STATE, clock);
    clock.tick(MINUTE);
    s = step(assignment, s.state, clock);
    // No step for 20 minutes; meanwhile vpn-shoot of one shoot went unhealthy and back 5 minutes ago.
    clock.tick(20 * MINUTE);
    const flapEnded = clock.ms - 5 * MINUTE;
    s = step(assignment, s.state, clock, { 'shoot--ops--b': { stableSince: flapEnded } });
    expect(s.state.shoots['shoot--ops--b']!.healthySince).toBe(new Date(flapEnded).toISOString());
    expect(s.state.shoots['shoot--ops--a']!.healthySince).toBe('2026-12-01T00:01:00.000Z');
    clock.tick(SOAK - 5 * MINUTE - 1);
    expect(step(assignment, s.state, clock, { 'shoot--ops--b': { stableSince: flapEnded } }).entered).toEqual([]);
    clock.tick(1);
    expect(step(assignment, s.state, clock, { 'shoot--ops--b': { stableSince: flapEnded } }).entered.map((e) => e.technicalId)).toEqual(
      SECOND,
    );
  });

  it('treats a wave with no counted shoots as done, and a shoot without observation as not yet seen', () => {
    const clock = new FakeClock();
    const empty = assign([member('shop', 'c')], config);
    expect(computePlan(empty, EMPTY_STATE, SOAK, clock).waves.map((w) => w.state)).toEqual(['done', 'open']);
    const s = advance({ assignment: empty, state: EMPTY_STATE, observations: new Map(), soakMs: SOAK, moveTimeoutMs: MOVE_TIMEOUT, clock });
    expect(s.entered).toEqual([]);
  });
});
