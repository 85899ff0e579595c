// The whole rollout on one seed: the register controller (registration and rollout loop, leader of its Lease) with the
// real ShootMover it builds on the leader's seed client, over a fake seed and a fake API server per shoot (real HTTP,
// watches), the real webhook server (real TLS, real AdmissionReviews) as each shoot's admission at the paths the shoot's
// resource manager applied from our ManagedResource, and the resource manager and workload controllers played as
// Gardener runs them. Two waves on a fake clock: the first wave's shoot enters and moves, the second wave waits for
// the soak, then opens and its shoots move.
import { afterEach, describe, expect, it } from 'vitest';
import { ShootMover } from '../../src/register/shoot-mover.js';
import { shootAccessRbac } from '../../src/register/shoot-access-rbac.js';
import { vpnShootInTarget } from '../../src/rollout/in-target.js';
import { RESTARTED_AT_ANNOTATION } from '../../src/rollout/move-step.js';
import { iso } from '../../src/rollout/rollout-state.js';
import { webhooks } from '../../webhooks/index.js';
import type { RecordedRequest } from '../support/fake-kube-api.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/until.js';
import { FakeClock, MINUTE, startRolloutSeed, waves } from './rollout-harness.js';
import { MoveWorld, SETTINGS } from './shoot-move-world.js';
import { MANAGED_RESOURCE_NAME } from '../../src/register/desired.js';
import { PROGRESS_ANNOTATION } from '../../src/rollout/stored-state.js';

const worlds: MoveWorld[] = [];
let webhook: TestServer | undefined;
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.stop();
  await webhook?.server.shutdown();
  webhook = undefined;
});

const CM_PATH = '/api/v1/namespaces/kube-system/configmaps';
const DS_PATH = '/apis/apps/v1/namespaces/kube-system/daemonsets/apiserver-proxy';
const writes = (requests: RecordedRequest[]): RecordedRequest[] => requests.filter((r) => r.method !== 'GET');

describe('the rollout moves shoots, end to end', () => {
  it('wave 1 enters and moves; after the soak on the fake clock wave 2 opens and moves; each shoot rolls once onto its moved ConfigMap', async () => {
    const seed = await startRolloutSeed();
    webhook = await startTestServer({ webhooks, settings: SETTINGS, logLevel: 'warn' });
    const operators = seed.addShoot({ project: 'ops', name: 'one' });
    const rest = [seed.addShoot({ project: 'foo', name: 'bar' }), seed.addShoot({ project: 'dev', name: 'two', purpose: 'development' })];
    for (const technicalId of [operators, ...rest]) worlds.push(await MoveWorld.start({ technicalId, seed: seed.api, webhook }));
    const world = (id: string): MoveWorld => worlds.find((w) => w.id === id)!;
    const clock = new FakeClock();
    const config = waves({
      waves: [
        { name: 'operators', target: 'unified', selector: { projects: ['ops'] } },
        { name: 'rest', target: 'unified', selector: {} },
      ],
    });
    // The register process's wiring: the loop builds the real mover on the leader's seed client, with serve's settings.
    const rollout = await seed.start(
      ({ seed: client, logger, clock: moverClock }) =>
        new ShootMover({ seed: client, logger, settings: SETTINGS, ...(moverClock ? { clock: moverClock } : {}) }),
      config,
      clock,
      {
        shootAccessRbac: true,
      },
    );

    // Wave 1: the operators' shoot enters and moves; the clock has not moved.
    await until(() => seed.progress(operators)?.movedAt !== undefined, 'the first wave to move its shoot');
    const entered = seed.progress(operators)!;
    expect(entered).toMatchObject({ wave: 'operators', target: 'unified', enteredAt: iso(clock.now()) });
    await rollout.steps(3);
    // Wave 2 waits for the soak: its shoots are not entered, nothing was written in them.
    for (const id of rest) {
      expect(seed.progress(id)).toBeUndefined();
      expect(writes(world(id).shoot.requests)).toEqual([]);
    }

    // In wave 1's shoot, in order: the entry (target paths and the Role in one write), applied by the resource manager,
    // the unmoved ConfigMap deleted, re-created in the target through the webhook, and only then the one roll.
    const first = world(operators);
    const [entry] = seed.api.requests.filter(
      (r) =>
        r.method === 'PATCH' &&
        r.status === 200 &&
        r.path.endsWith(`/namespaces/${operators}/managedresources/${MANAGED_RESOURCE_NAME}`) &&
        (r.body as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations?.[PROGRESS_ANNOTATION] !== undefined,
    );
    const applied = first.applied.find((a) => a.paths['apiserver-proxy']?.endsWith('/unified'))!;
    expect(applied.paths).toEqual({
      'apiserver-proxy': `/webhooks/apiserver-proxy/${operators}/unified`,
      'vpn-shoot': `/webhooks/vpn-shoot/${operators}/unified`,
    });
    expect(applied.kinds).toEqual(['MutatingWebhookConfiguration', ...shootAccessRbac().map((o) => o.kind)]);
    // Before entry the shoot had the registration's configuration: no target in its paths, no Role.
    expect(first.applied[0]!.paths['apiserver-proxy']).toBe(`/webhooks/apiserver-proxy/${operators}`);
    expect(first.applied[0]!.kinds).toEqual(['MutatingWebhookConfiguration']);
    const shootWrites = writes(first.shoot.requests);
    const seqOf = (match: (r: RecordedRequest) => boolean): number[] => shootWrites.filter(match).map((r) => r.seq);
    const deletes = seqOf((r) => r.method === 'DELETE' && r.path.startsWith(`${CM_PATH}/`));
    const creates = seqOf((r) => r.method === 'POST' && r.path === CM_PATH);
    const restarts = shootWrites.filter((r) => r.method === 'PATCH' && r.path === DS_PATH);
    expect(deletes).toHaveLength(1);
    expect(creates).toHaveLength(1);
    expect(restarts).toHaveLength(1);
    expect(entry!.seq).toBeLessThanOrEqual(applied.seq);
    expect(applied.seq).toBeLessThan(Math.min(...shootWrites.map((r) => r.seq)));
    expect(deletes[0]!).toBeLessThan(creates[0]!);
    expect(creates[0]!).toBeLessThan(restarts[0]!.seq);
    expect(restarts[0]!.body).toMatchObject({
      spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: entered.enteredAt } } } },
    });
    expect(first.rolls).toEqual([
      { generation: 2, restartedAt: entered.enteredAt, configMap: first.rendering.metadata.name, exists: true, moved: true },
    ]);
    expect(first.inTarget(first.configMap())).toBe(true);
    expect(vpnShootInTarget(first.vpnShoot(), { ...SETTINGS, phase: 'unified' })).toBe(true);

    // The soak passes on the fake clock: wave 2 opens, and both its shoots move.
    clock.advance(config.soakMs + MINUTE);
    await until(() => rest.every((id) => seed.progress(id)?.movedAt !== undefined), 'the second wave to move its shoots');
    for (const id of rest) {
      expect(seed.progress(id)).toMatchObject({ wave: 'rest', target: 'unified', enteredAt: iso(clock.now()) });
      const w = world(id);
      expect(w.applied.at(-1)!.paths['apiserver-proxy']).toBe(`/webhooks/apiserver-proxy/${id}/unified`);
      expect(w.rolls).toEqual([
        { generation: 2, restartedAt: iso(clock.now()), configMap: w.rendering.metadata.name, exists: true, moved: true },
      ]);
      expect(w.inTarget(w.configMap())).toBe(true);
    }
    // Nothing rolled twice, and no pod template was written while its ConfigMap was missing or unmoved.
    for (const w of worlds) {
      expect(w.unsafeTemplateWrites).toEqual([]);
      expect(w.rolls).toHaveLength(1);
    }
    expect(seed.configMap()?.data?.halt).toBeUndefined();
    await rollout.stop();
  });
});
