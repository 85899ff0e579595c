// One shoot's move end to end: ShootMover steps against real HTTP servers speaking the Kubernetes API for the seed and
// the shoot, with Gardener's renderings, the real webhooks as the shoot's admission, and the resource manager and the
// workload controllers played as Gardener runs them. Asserted: the order of writes across both clusters, that no pod
// template is written while its ConfigMap is missing or unmoved, one roll only, and nothing written once moved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MoveStep } from '../../src/rollout/move-step.js';
import { ShootMover, type MoveOutcome } from '../../src/register/shoot-mover.js';
import { SHOOT_ACCESS_SECRET_NAME } from '../../src/register/shoot-access.js';
import { REGISTRATION_CLUSTER_RULES, SHOOT_MOVE_CLUSTER_RULES, type PolicyRule } from '../../src/register/rbac.js';
import { SHOOT_RULES } from '../../src/register/shoot-access-rbac.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';
import type { RecordedRequest } from '../support/fake-kube-api.js';
import { vpnShootInTarget } from '../../src/rollout/in-target.js';
import { MoveWorld, PROGRESS, SETTINGS, SHOOT_TOKEN, TECHNICAL_ID } from './shoot-move-world.js';

let world: MoveWorld;
let logs: CapturedLogs;

beforeEach(async () => {
  world = await MoveWorld.start();
  logs = captureLogs('info');
});
afterEach(async () => {
  await world.stop();
  // Whatever a test did: no pod template was written while its ConfigMap was missing or unmoved, and no pod rolled onto one.
  expect(world.unsafeTemplateWrites).toEqual([]);
  expect(world.rolls.every((r) => r.exists && r.moved)).toBe(true);
});

function mover(): ShootMover {
  return new ShootMover({ seed: world.seedClient(), logger: logs.logger, settings: SETTINGS });
}

/** Steps until moved, letting Gardener's actors react between steps; `next` may replace the mover (a restart). */
async function moveToEnd(
  first: ShootMover,
  next: (current: ShootMover, step: MoveStep) => ShootMover = (m) => m,
  options: { allowErrors?: boolean } = {},
): Promise<MoveOutcome[]> {
  const outcomes: MoveOutcome[] = [];
  let current = first;
  for (let i = 0; i < 30; i++) {
    const outcome = await current.step(TECHNICAL_ID, PROGRESS, world.cluster);
    outcomes.push(outcome);
    if (!options.allowErrors) expect(outcome.error).toBeUndefined();
    await world.settle();
    if (outcome.moved) return outcomes;
    current = next(current, outcome.step);
  }
  throw new Error(`not moved: ${outcomes.map((o) => o.step.step).join(', ')}`);
}

const writes = (requests: RecordedRequest[]): RecordedRequest[] => requests.filter((r) => r.method !== 'GET');
const allWrites = (): RecordedRequest[] => [...writes(world.seed.requests), ...writes(world.shoot.requests)].sort((a, b) => a.seq - b.seq);
const byMover = (r: RecordedRequest): boolean => r.authorization === `Bearer ${SHOOT_TOKEN}` || r.authorization === 'Bearer fake-token';
const seqOf = (requests: RecordedRequest[], match: (r: RecordedRequest) => boolean): number[] => requests.filter(match).map((r) => r.seq);
const DS_PATH = '/apis/apps/v1/namespaces/kube-system/daemonsets/apiserver-proxy';
const CM_PATH = '/api/v1/namespaces/kube-system/configmaps';
const RECONCILE_PATH = `/apis/resources.gardener.cloud/v1alpha1/namespaces/${TECHNICAL_ID}/managedresources/shoot-core-apiserver-proxy`;

describe('a shoot moves through ShootMover', () => {
  it('in order: access, vpn-shoot, the unmoved ConfigMap deleted, reconcile, the moved ConfigMap, then one roll', async () => {
    const original = world.configMap()!;
    expect(world.inTarget(original)).toBe(false);
    const outcomes = await moveToEnd(mover());

    expect(outcomes.map((o) => o.step.step)).toEqual([
      'wait',
      'annotate-vpn-shoot',
      'delete-configmap',
      'reconcile-managed-resource',
      'restart-daemonset',
      'done',
    ]);
    expect(outcomes[0]!.step).toEqual({ step: 'wait', for: `the token requestor to fill Secret ${SHOOT_ACCESS_SECRET_NAME}` });
    const seq = allWrites();
    const deleteOf = seq.filter((r) => r.method === 'DELETE' && r.path.startsWith(CM_PATH));
    expect(deleteOf).toHaveLength(1);
    expect(deleteOf[0]!.path).toBe(`${CM_PATH}/${original.metadata.name}`);
    expect(deleteOf[0]!.body).toMatchObject({
      kind: 'DeleteOptions',
      preconditions: { uid: original.metadata.uid, resourceVersion: original.metadata.resourceVersion },
    });
    const [reconcile] = seqOf(seq, (r) => r.method === 'PATCH' && r.path === RECONCILE_PATH);
    const [created] = seqOf(seq, (r) => r.method === 'POST' && r.path === CM_PATH);
    const restarts = seq.filter((r) => r.method === 'PATCH' && r.path === DS_PATH);
    expect(deleteOf[0]!.seq).toBeLessThan(reconcile!);
    expect(reconcile!).toBeLessThan(created!);
    expect(restarts).toHaveLength(1);
    expect(created!).toBeLessThan(restarts[0]!.seq);
    expect(restarts[0]!.body).toMatchObject({
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': PROGRESS.enteredAt } } } },
    });

    // The re-created ConfigMap came through the webhook: same name (Gardener's rendering), now in the target.
    const moved = world.configMap()!;
    expect(moved.metadata.name).toBe(original.metadata.name);
    expect(moved.metadata.uid).not.toBe(original.metadata.uid);
    expect(world.inTarget(moved)).toBe(true);
    expect(vpnShootInTarget(world.vpnShoot(), SETTINGS)).toBe(true);
    expect(world.unsafeTemplateWrites).toEqual([]);
    expect(world.rolls).toEqual([
      { generation: 2, restartedAt: PROGRESS.enteredAt, configMap: original.metadata.name, exists: true, moved: true },
    ]);

    // The shoot was reached with the token the token requestor wrote, nothing else.
    const moverInShoot = world.shoot.requests.filter((r) => r.authorization !== 'Bearer resource-manager');
    expect(new Set(moverInShoot.map((r) => r.authorization))).toEqual(new Set([`Bearer ${SHOOT_TOKEN}`]));
    // One log line per step taken, with the shoot and the step.
    expect(logs.withMessage('shoot move step').map((l) => [l.shoot, l.step])).toEqual([
      [TECHNICAL_ID, 'annotate-vpn-shoot'],
      [TECHNICAL_ID, 'delete-configmap'],
      [TECHNICAL_ID, 'reconcile-managed-resource'],
      [TECHNICAL_ID, 'restart-daemonset'],
    ]);
    expect(logs.text()).not.toContain('envoy.yaml');
    expect(logs.text()).not.toContain(SHOOT_TOKEN);
  });

  it('moves the HA vpn-shoot StatefulSet the same way, through the webhook', async () => {
    await world.stop();
    world = await MoveWorld.start({ vpnKind: 'StatefulSet' });
    const outcomes = await moveToEnd(mover());
    expect(outcomes.map((o) => o.step.step)).toEqual([
      'wait',
      'annotate-vpn-shoot',
      'delete-configmap',
      'reconcile-managed-resource',
      'restart-daemonset',
      'done',
    ]);
    expect(outcomes[1]!.step).toMatchObject({ kind: 'StatefulSet' });
    expect(
      writes(world.shoot.requests)
        .filter((r) => r.path.includes('/statefulsets/'))
        .map((r) => r.method),
    ).toEqual(['PATCH']);
    expect(vpnShootInTarget(world.vpnShoot(), SETTINGS)).toBe(true);
    expect(world.rolls).toHaveLength(1);
  });

  it('writes nothing once moved, however often it steps, and keeps no shoot client open', async () => {
    const m = mover();
    await moveToEnd(m);
    const before = allWrites().length;
    for (let i = 0; i < 3; i++) {
      const outcome = await m.step(TECHNICAL_ID, PROGRESS, world.cluster);
      await world.settle();
      expect(outcome).toEqual({ step: { step: 'done' }, moved: true });
    }
    expect(allWrites()).toHaveLength(before);
    expect(m.access.openShoots()).toEqual([]);
  });

  it('never rolls on a ConfigMap re-created unmoved (webhook unreachable): it deletes it again, then rolls once', async () => {
    world.webhookOutages = 1;
    const outcomes = await moveToEnd(mover());
    expect(outcomes.map((o) => o.step.step)).toEqual([
      'wait',
      'annotate-vpn-shoot',
      'delete-configmap',
      'reconcile-managed-resource',
      'delete-configmap',
      'reconcile-managed-resource',
      'restart-daemonset',
      'done',
    ]);
    const seq = allWrites();
    const creates = seqOf(seq, (r) => r.method === 'POST' && r.path === CM_PATH);
    const deletes = seqOf(seq, (r) => r.method === 'DELETE' && r.path.startsWith(CM_PATH));
    const restarts = seqOf(seq, (r) => r.method === 'PATCH' && r.path === DS_PATH);
    expect(creates).toHaveLength(2);
    expect(deletes).toHaveLength(2);
    // The unmoved copy was deleted before any roll; the roll came after the moved copy.
    expect(deletes[1]!).toBeGreaterThan(creates[0]!);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]!).toBeGreaterThan(creates[1]!);
    expect(world.unsafeTemplateWrites).toEqual([]);
    expect(world.rolls.map((r) => r.moved)).toEqual([true]);
  });

  it('spaces out its deletes when the ConfigMap keeps coming back unmoved (webhook unreachable, or other settings)', async () => {
    const clock = {
      ms: Date.parse(PROGRESS.enteredAt),
      now(): number {
        return this.ms;
      },
    };
    const m = new ShootMover({ seed: world.seedClient(), logger: logs.logger, settings: SETTINGS, clock });
    world.webhookOutages = Number.MAX_SAFE_INTEGER;
    const steps: MoveOutcome[] = [];
    const stepOnce = async (): Promise<MoveOutcome> => {
      const outcome = await m.step(TECHNICAL_ID, PROGRESS, world.cluster);
      steps.push(outcome);
      await world.settle();
      return outcome;
    };
    for (let i = 0; i < 9; i++) await stepOnce();
    // The first successor found unmoved is deleted at once; from the second on the mover waits, and says why.
    expect(steps.map((o) => o.step.step)).toEqual([
      'wait',
      'annotate-vpn-shoot',
      'delete-configmap',
      'reconcile-managed-resource',
      'delete-configmap',
      'reconcile-managed-resource',
      'wait',
      'wait',
      'wait',
    ]);
    expect(steps.at(-1)!.step).toMatchObject({ step: 'wait', for: expect.stringContaining('re-created it unmoved 2 times in a row') });
    const deletes = (): number => writes(world.shoot.requests).filter((r) => r.method === 'DELETE' && r.path.startsWith(CM_PATH)).length;
    expect(deletes()).toBe(2);
    expect(logs.withMessage('the resource manager re-created the ConfigMap unmoved').map((l) => l.unmovedRecreations)).toEqual([1, 2]);

    // A minute later one more delete; the pause then doubles.
    clock.ms += 60_000;
    expect((await stepOnce()).step.step).toBe('delete-configmap');
    expect((await stepOnce()).step.step).toBe('reconcile-managed-resource');
    expect((await stepOnce()).step.step).toBe('wait');
    clock.ms += 60_000;
    expect((await stepOnce()).step.step).toBe('wait');
    expect(deletes()).toBe(3);

    // The webhook is back: the next re-create is moved, and the shoot rolls once onto it.
    world.webhookOutages = 0;
    clock.ms += 60_000;
    const rest = await moveToEnd(m);
    expect(rest.map((o) => o.step.step)).toEqual(['delete-configmap', 'reconcile-managed-resource', 'restart-daemonset', 'done']);
    expect(world.rolls.map((r) => r.moved)).toEqual([true]);
  });

  it('does not roll twice when the mover restarts at every step (a new leader each time)', async () => {
    await moveToEnd(mover(), () => mover());
    expect(world.rolls).toHaveLength(1);
    expect(world.rolls[0]!.restartedAt).toBe(PROGRESS.enteredAt);
    const seq = allWrites();
    expect(seqOf(seq, (r) => r.method === 'PATCH' && r.path === DS_PATH)).toHaveLength(1);
    expect(seqOf(seq, (r) => r.method === 'DELETE' && r.path.startsWith(CM_PATH))).toHaveLength(1);
    // The access Secret was created once; later leaders found it.
    expect(seqOf(seq, (r) => r.method === 'POST' && r.path.endsWith('/secrets'))).toHaveLength(1);
  });

  it('does not roll again when a restarted mover finds the roll under way', async () => {
    const first = mover();
    // Up to the restart: the DaemonSet controller has not reported the roll yet.
    for (;;) {
      const outcome = await first.step(TECHNICAL_ID, PROGRESS, world.cluster);
      if (outcome.step.step === 'restart-daemonset') break;
      await world.settle();
    }
    first.close();
    const outcomes = await moveToEnd(mover());
    expect(outcomes.map((o) => o.step.step)).not.toContain('restart-daemonset');
    expect(world.rolls).toHaveLength(1);
    expect(world.daemonSet().metadata.generation).toBe(2);
  });

  it.each([
    [409, 'changed since it was read'],
    [404, 'gone since it was read'],
  ])('treats a failed delete precondition (%i: %s) as no error: it observes again', async (status) => {
    world.shoot.failNext('DELETE', /\/configmaps\//, status);
    const outcomes = await moveToEnd(mover());
    expect(outcomes.map((o) => o.step.step)).toEqual([
      'wait',
      'annotate-vpn-shoot',
      'delete-configmap',
      'delete-configmap',
      'reconcile-managed-resource',
      'restart-daemonset',
      'done',
    ]);
    expect(
      logs
        .withMessage('shoot move step')
        .filter((l) => l.outcome !== undefined)
        .map((l) => l.step),
    ).toEqual(['delete-configmap']);
    expect(logs.withMessage('shoot move step failed')).toEqual([]);
    expect(world.rolls.map((r) => r.moved)).toEqual([true]);
  });

  it('reports an API error in one bounded line and takes the step again next time', async () => {
    world.shoot.failNext('PATCH', /\/daemonsets\//, 500);
    const outcomes = await moveToEnd(mover(), undefined, { allowErrors: true });
    const failed = outcomes.filter((o) => o.error !== undefined);
    expect(failed.map((o) => o.step.step)).toEqual(['restart-daemonset']);
    expect(failed[0]!.error).toMatch(/^patch daemonsets kube-system\/apiserver-proxy: HTTP 500/);
    const lines = logs.withMessage('shoot move step failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ shoot: TECHNICAL_ID, step: 'restart-daemonset' });
    expect(String(lines[0]!.err).length).toBeLessThanOrEqual(300);
    expect(outcomes.map((o) => o.step.step).slice(-2)).toEqual(['restart-daemonset', 'done']);
    expect(world.rolls).toHaveLength(1);
  });
});

describe('rights the move uses', () => {
  const allows = (rules: readonly PolicyRule[], r: RecordedRequest): boolean => {
    const { group, resource, verb, name } = accessOf(r);
    return rules.some(
      (rule) =>
        rule.apiGroups.includes(group) &&
        rule.resources.includes(resource) &&
        rule.verbs.includes(verb) &&
        (!rule.resourceNames || (name !== undefined && rule.resourceNames.includes(name))),
    );
  };

  it('every call in the seed is allowed by the register ClusterRole, every call in the shoot by the shoot Role', async () => {
    world.webhookOutages = 1;
    await moveToEnd(mover());
    const seedCalls = world.seed.requests.filter(byMover);
    const shootCalls = world.shoot.requests.filter(byMover);
    const seedRules = [...REGISTRATION_CLUSTER_RULES, ...SHOOT_MOVE_CLUSTER_RULES];
    for (const r of seedCalls) expect(allows(seedRules, r), `${r.method} ${r.path}`).toBe(true);
    for (const r of shootCalls) expect(allows(SHOOT_RULES, r), `${r.method} ${r.path}`).toBe(true);
    // Every verb the move rules grant was used.
    const used = new Set(
      [...seedCalls, ...shootCalls].map((r) => {
        const a = accessOf(r);
        return `${a.group}/${a.resource}/${a.verb}`;
      }),
    );
    for (const rule of SHOOT_MOVE_CLUSTER_RULES)
      for (const verb of rule.verbs) expect(used).toContain(`${rule.apiGroups[0]}/${rule.resources[0]}/${verb}`);
  });
});

function accessOf({ method, path }: RecordedRequest): { group: string; resource: string; verb: string; name?: string } {
  const url = new URL(path, 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  const [group, rest] = parts[0] === 'api' ? ['', parts.slice(2)] : [parts[1]!, parts.slice(3)];
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [plural, name] = namespaced ? [rest[2]!, rest[3]] : [rest[0]!, rest[1]];
  const verb = { GET: name ? 'get' : 'list', POST: 'create', PUT: 'update', DELETE: 'delete', PATCH: 'patch' }[method]!;
  return { group, resource: plural, verb, name };
}
