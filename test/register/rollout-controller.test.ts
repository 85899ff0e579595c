// The rollout loop against a loopback seed (real HTTP, watches) with a fake clock: entries, the soak
// gate, a halt and its resume, and a restart in mid-wave. No assertion waits on time: the loop's own
// step count says when it has looked at the state.
import { describe, expect, it, onTestFinished } from 'vitest';
import { MANAGED_RESOURCE_NAME } from '../../src/register/desired.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { SERVICE_NAMESPACE, metricValue } from './harness.js';
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
      expect(seed.progress(id)).toEqual({
        wave: 'operators',
        target: 'unified',
        enteredAt: new Date(clock.ms).toISOString(),
        movedAt: new Date(clock.ms).toISOString(),
        healthySince: new Date(clock.ms).toISOString(),
      });
      expect(seed.entryWrites(id)).toBe(1);
    }
    await rollout.steps(3);
    expect(rest.map((id) => seed.progress(id))).toEqual([undefined, undefined, undefined]);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_wave_state', { wave: 'operators', state: 'soaking' })).toBe(1);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_wave_soak_remaining_seconds', { wave: 'operators' })).toBe(
      30 * 60,
    );
    expect(rollout.registration.rolloutSnapshot()!.plan.waves[0]!.soakEndsAt).toBe(new Date(clock.ms + 30 * MINUTE).toISOString());

    clock.advance(30 * MINUTE - 1000);
    await rollout.steps(3);
    expect(rest.map((id) => seed.progress(id))).toEqual([undefined, undefined, undefined]);

    clock.advance(1000);
    await until(() => rest.every((id) => seed.progress(id)?.wave === 'rest'), 'the next wave entered after the soak');
    await rollout.steps(1);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_wave_state', { wave: 'operators', state: 'done' })).toBe(1);
    for (const id of [...ops, ...rest]) expect(seed.entryWrites(id)).toBe(1);
  });

  it('halts on one unhealthy moved shoot, stays halted across a restart, and resumes only for the halt named', async () => {
    const seed = await startRolloutSeed();
    const shoots = ['a', 'b', 'c'].map((name) => seed.addShoot({ project: 'p1', name }));
    const oneWave = waves({ waves: [{ name: 'all', target: 'unified', selector: {} }] });
    const clock = new FakeClock();
    let rollout = await seed.start(new SteppingMover(1), oneWave, clock);
    await until(() => shoots.every((id) => seed.progress(id)?.movedAt !== undefined), 'all moved');

    clock.advance(MINUTE);
    seed.setCondition(shoots[1]!, 'shoot-core-apiserver-proxy', 'ResourcesHealthy', 'False', 'DaemonSetUnhealthy');
    await until(() => haltOf(seed) !== undefined, 'halt stored');
    const halt = JSON.parse(haltOf(seed)!) as { shoot: string; managedResource: string; condition: string; reason: string; at: string };
    expect(halt).toEqual({
      shoot: shoots[1],
      managedResource: 'shoot-core-apiserver-proxy',
      condition: 'ResourcesHealthy',
      reason: 'DaemonSetUnhealthy',
      at: new Date(clock.ms).toISOString(),
    });
    await until(() => seed.events().length === 1, 'one Event');
    await rollout.steps(1);
    const event = seed.events()[0]!;
    expect(event).toMatchObject({
      reason: 'RolloutHalted',
      type: 'Warning',
      involvedObject: { kind: 'ManagedResource', name: 'shoot-core-apiserver-proxy', namespace: shoots[1] },
    });
    expect(event.message).toContain(shoots[1]);
    expect(event.message).toContain('ResourcesHealthy');
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_halted')).toBe(1);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_halts_total', { condition: 'ResourcesHealthy' })).toBe(1);
    expect(rollout.registration.rolloutSnapshot()!.plan.halt).toEqual(halt);

    // A shoot that appears while halted does not enter; nor after a restart, nor for a resume naming another halt.
    const late = seed.addShoot({ project: 'p1', name: 'late' });
    await rollout.steps(3);
    expect(seed.progress(late)).toBeUndefined();
    await rollout.stop();
    rollout = await seed.start(new SteppingMover(1), oneWave, clock);
    seed.setResume('2026-01-01T00:00:00Z');
    await rollout.steps(3);
    expect(seed.progress(late)).toBeUndefined();
    expect(JSON.parse(haltOf(seed)!)).toEqual(halt);
    expect(seed.events()).toHaveLength(1);

    seed.setCondition(shoots[1]!, 'shoot-core-apiserver-proxy', 'ResourcesHealthy', 'True');
    seed.setResume(halt.at);
    await until(() => haltOf(seed) === undefined, 'halt cleared');
    await until(() => seed.progress(late)?.wave === 'all', 'the late shoot enters after the resume');
    await rollout.steps(1);
    expect(await metricValue(rollout.registry, 'http_proxy_migrator_rollout_halted')).toBe(0);
    expect(seed.entryWrites(late)).toBe(1);
  });

  it('restarted in mid-wave, enters no shoot twice and skips no soak', async () => {
    const seed = await startRolloutSeed();
    const first = ['a', 'b', 'c', 'd'].map((name) => seed.addShoot({ project: 'ops', name }));
    const second = ['e', 'f'].map((name) => seed.addShoot({ project: 'p1', name }));
    const clock = new FakeClock();
    const mover = new SteppingMover(2);
    mover.stuck.add(first[3]!);
    const before = await seed.start(mover, twoWaves, clock);
    await until(
      () => first.slice(0, 3).every((id) => seed.progress(id)?.movedAt !== undefined) && seed.progress(first[3]!) !== undefined,
      'three moved, one moving',
    );
    const entered = Object.fromEntries(first.map((id) => [id, seed.progress(id)!.enteredAt]));
    await before.stop();

    clock.advance(10 * MINUTE);
    const requestsBefore = seed.api.requests.length;
    const after = await seed.start(new SteppingMover(2), twoWaves, clock);
    await until(() => seed.progress(first[3]!)?.movedAt !== undefined, 'the moving shoot moved under the new leader');
    // The new leader's registration renders every namespace with its entry's target: it writes nothing back.
    const written = seed.api.requests.slice(requestsBefore).filter((r) => r.method !== 'GET' && !r.path.includes('/leases'));
    expect(written.map((r) => [r.method, r.path, Object.keys((r.body as { spec?: object }).spec ?? {})])).toEqual([
      [
        'PATCH',
        `/apis/resources.gardener.cloud/v1alpha1/namespaces/${first[3]}/managedresources/extension-http-proxy-migrator-shoot-webhooks`,
        [],
      ],
    ]);
    for (const id of first) {
      expect(seed.progress(id)!.enteredAt).toBe(entered[id]);
      expect(seed.entryWrites(id)).toBe(1);
    }
    // The last shoot moved just now: its soak starts now, whatever the others have soaked.
    clock.advance(29 * MINUTE);
    await after.steps(3);
    expect(second.map((id) => seed.progress(id))).toEqual([undefined, undefined]);
    clock.advance(MINUTE);
    await until(() => second.every((id) => seed.progress(id) !== undefined), 'the second wave after the full soak');
    for (const id of [...first, ...second]) expect(seed.entryWrites(id)).toBe(1);
  });

  it('makes no write after it is stopped, even from a step in flight', async () => {
    const seed = await startRolloutSeed();
    const shoot = seed.addShoot({ project: 'p1', name: 'a' });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let called = false;
    const blocking = {
      async step() {
        called = true;
        await released;
        return { step: { step: 'done' as const }, moved: true };
      },
    };
    const rollout = await seed.start(blocking, waves({ waves: [{ name: 'all', target: 'unified', selector: {} }] }), new FakeClock());
    await until(() => called, 'the move step is in flight');
    const writes = seed.api.writes().length;
    const stopping = rollout.stop();
    release();
    await stopping;
    expect(
      seed.api
        .writes()
        .slice(writes)
        .filter((r) => !r.path.includes('/leases')),
    ).toEqual([]);
    expect(seed.progress(shoot)!.movedAt).toBeUndefined();
  });

  it('leaves a shoot whose stored progress does not read alone, and treats an unreadable halt as a halt', async () => {
    const seed = await startRolloutSeed();
    const broken = seed.addShoot({ project: 'p1', name: 'broken' });
    const clock = new FakeClock();
    const oneWave = waves({ waves: [{ name: 'all', target: 'unified', selector: {} }] });
    let rollout = await seed.start(new SteppingMover(1), oneWave, clock);
    await until(() => seed.progress(broken)?.movedAt !== undefined, 'moved');
    await rollout.stop();
    const mr = seed.api.get(RESOURCES.managedResources, broken, MANAGED_RESOURCE_NAME)!;
    seed.api.put(RESOURCES.managedResources, {
      ...mr,
      metadata: {
        ...mr.metadata,
        annotations: { ...(mr.metadata.annotations as object), 'http-proxy-migrator.gardener.cloud/rollout': '{"wave":' },
      },
    });
    seed.api.put(RESOURCES.configMaps, {
      metadata: { name: 'http-proxy-migrator-rollout', namespace: SERVICE_NAMESPACE },
      data: { halt: 'not json' },
    });
    const other = seed.addShoot({ project: 'p1', name: 'other' });

    rollout = await seed.start(new SteppingMover(1), oneWave, clock);
    await rollout.steps(3);
    const snapshot = rollout.registration.rolloutSnapshot()!;
    expect(snapshot.unreadable).toEqual([{ shoot: broken, problem: 'annotation http-proxy-migrator.gardener.cloud/rollout: not JSON' }]);
    expect(snapshot.plan.halt?.condition).toBe('HaltUnreadable');
    expect(seed.progress(other)).toBeUndefined();
    expect(seed.api.get(RESOURCES.managedResources, broken, MANAGED_RESOURCE_NAME)!.metadata.annotations).toMatchObject({
      'http-proxy-migrator.gardener.cloud/rollout': '{"wave":',
    });
    expect(seed.configMap()!.data).toEqual({ halt: 'not json' });
  });

  it('with a garden, halts on a moved shoot whose Shoot reports SystemComponentsHealthy False', async () => {
    const seed = await startRolloutSeed();
    const garden = await new FakeKubeApi().register(RESOURCES.shoots).start();
    onTestFinished(() => garden.stop());
    const shoot = seed.addShoot({ project: 'p1', name: 'a' });
    const gardenShoot = (status: string) => ({
      metadata: { name: 'a', namespace: 'garden-p1' },
      status: {
        technicalID: shoot,
        conditions: [
          { type: 'APIServerAvailable', status: 'True' },
          { type: 'SystemComponentsHealthy', status, reason: 'SomePodsCrashing', lastTransitionTime: '2026-01-01T00:00:00Z' },
        ],
      },
    });
    garden.put(RESOURCES.shoots, gardenShoot('True'));
    const clock = new FakeClock();
    await seed.start(new SteppingMover(1), waves({ waves: [{ name: 'all', target: 'unified', selector: {} }] }), clock, { garden });
    await until(() => seed.progress(shoot)?.movedAt !== undefined, 'moved');
    garden.put(RESOURCES.shoots, gardenShoot('False'));
    await until(() => haltOf(seed) !== undefined, 'halted');
    expect(JSON.parse(haltOf(seed)!)).toMatchObject({
      shoot,
      condition: 'SystemComponentsHealthy',
      reason: 'Shoot in the garden: SomePodsCrashing',
    });
    await until(() => seed.events().length === 1, 'Event');
    expect(seed.events()[0]!.involvedObject).toMatchObject({
      kind: 'ManagedResource',
      name: 'shoot-core-apiserver-proxy',
      namespace: shoot,
    });
  });

  it('with a garden that cannot be listed, still registers every shoot, and enters none', async () => {
    const seed = await startRolloutSeed();
    const garden = await new FakeKubeApi().start(); // serves no Shoots: every list fails
    onTestFinished(() => garden.stop());
    const shoot = seed.addShoot({ project: 'p1', name: 'a' });
    await seed.start(new SteppingMover(1), waves({ waves: [{ name: 'all', target: 'unified', selector: {} }] }), new FakeClock(), {
      garden,
    });
    await until(() => seed.api.get(RESOURCES.managedResources, shoot, MANAGED_RESOURCE_NAME) !== undefined, 'registered');
    await until(
      () => garden.requests.filter((r) => r.path.startsWith('/apis/core.gardener.cloud/v1beta1/shoots')).length >= 3,
      'the garden tried again',
    );
    expect(seed.progress(shoot)).toBeUndefined();
  });
});
