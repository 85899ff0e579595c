// Membership on a seed of 2,000 Clusters, as the running controller computes it: the same plan as the
// offline computation, the same after a restart, and no shoot changes wave when shoots are added.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { assign } from '../../src/rollout/assign.js';
import { clusterMember, type ShootMember } from '../../src/rollout/cluster-member.js';
import { computePlan, type Plan } from '../../src/rollout/plan.js';
import { EMPTY_STATE } from '../../src/rollout/rollout-state.js';
import { parseWavesConfig } from '../../src/rollout/waves-config.js';
import { RESOURCES } from '../support/fake-kube-api.js';
import { generatedClusters } from '../support/clusters.js';
import { until } from '../support/until.js';
import { FakeClock, preRegister, startRolloutSeed } from './rollout-harness.js';
import { SteppingMover } from './stepping-mover.js';

const config = parseWavesConfig(yaml.load(readFileSync('examples/rollout-waves.yaml', 'utf8')));
const byWave = (plan: Plan) => Object.fromEntries(plan.waves.map((w) => [w.name, w.shoots]));
const apart = ({ held, unassigned, notCounted }: Plan) => ({ held, unassigned, notCounted });

describe('rollout membership on a large seed', () => {
  it('is the offline plan for 2,000 Clusters, stable across a restart and when shoots are added', async () => {
    const seed = await startRolloutSeed();
    const clusters = generatedClusters(2000);
    const addAll = (objects: Record<string, unknown>[]) => {
      const ids = objects.map((c) => (c.metadata as { name: string }).name);
      for (const id of ids)
        seed.api.put(RESOURCES.namespaces, {
          metadata: { name: id, labels: { 'gardener.cloud/role': 'shoot' } },
          status: { phase: 'Active' },
        });
      preRegister(seed.api, ids, readFileSync(seed.caFile, 'utf8'));
      for (const c of objects) seed.api.put(RESOURCES.clusters, c as never);
    };
    addAll(clusters);
    const offline = computePlan(
      assign(
        clusters.map((c) => clusterMember(c) as ShootMember),
        config,
      ),
      EMPTY_STATE,
      config.soakMs,
      new FakeClock(),
    );
    const clock = new FakeClock();
    const planned = async (rollout: Awaited<ReturnType<typeof seed.start>>, count: number): Promise<Plan> => {
      await until(
        () => {
          const plan = rollout.registration.rolloutSnapshot()?.plan;
          return (
            plan !== undefined &&
            plan.waves.reduce((n, w) => n + w.shoots.length, 0) + plan.held.length + plan.unassigned.length + plan.notCounted.length ===
              count
          );
        },
        `all ${count} shoots planned`,
        60_000,
      );
      return rollout.registration.rolloutSnapshot()!.plan;
    };

    let rollout = await seed.start(new SteppingMover(), config, clock);
    const first = await planned(rollout, 2000);
    expect(byWave(first)).toEqual(byWave(offline));
    expect(apart(first)).toEqual(apart(offline));
    expect(first.waves.every((w) => w.shoots.length > 0)).toBe(true);
    // No shoot reports health here, so none entered: the plan is membership alone.
    expect(seed.api.writes().filter((r) => r.path.includes('managedresources'))).toEqual([]);

    await rollout.stop();
    rollout = await seed.start(new SteppingMover(), config, clock);
    expect(byWave(await planned(rollout, 2000))).toEqual(byWave(offline));

    addAll(generatedClusters(200, 2000));
    const grown = await planned(rollout, 2200);
    const waveOf = (plan: Plan) => new Map(plan.waves.flatMap((w) => w.shoots.map((id) => [id, w.name] as const)));
    const before = waveOf(first);
    const after = waveOf(grown);
    for (const [id, wave] of before) expect(after.get(id)).toBe(wave);
  }, 120_000);
});
