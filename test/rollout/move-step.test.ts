// One shoot's move, step by step, against an in-memory seed and shoot that behave as the resource manager,
// the webhook (the real pure mutations on Gardener's real renderings) and a DaemonSet do. The order of
// writes is asserted: no pod starts while its ConfigMap is missing or not moved, one roll only, and a step
// repeated after a crash changes nothing.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/admission/types.js';
import { configMapInTarget, vpnShootInTarget } from '../../src/rollout/in-target.js';
import { nextMoveStep, type MoveStep, type ObservedShoot } from '../../src/rollout/move-step.js';
import type { ShootProgress } from '../../src/rollout/rollout-state.js';
import { mutateApiserverProxyConfigMap } from '../../webhooks/apiserver-proxy/mutate.js';
import { mutateVpnShoot } from '../../webhooks/vpn-shoot/mutate.js';
import { LEGACY, loadFixture, TECHNICAL_ID } from '../webhooks/apiserver-proxy/fixtures.js';
import { fixtures, unified } from '../webhooks/vpn-shoot/fixtures.js';

const progress: ShootProgress = { wave: 'operators', target: 'unified', enteredAt: '2026-12-01T00:00:00.000Z' };
const NODES = ['node-a', 'node-b', 'node-c'];

/** The seed and the shoot, as far as a move touches them. */
class World {
  writes: string[] = [];
  /** Each Envoy start: whether the ConfigMap it mounted was in the target. */
  starts: { node: string; moved: boolean }[] = [];
  webhookApplied = false;
  webhookReachable = true;
  private uid = 0;
  private rendering = loadFixture(LEGACY);
  cm: { object: KubeObject; uid: string; resourceVersion: string } | undefined = {
    object: this.rendering,
    uid: 'uid-0',
    resourceVersion: '1',
  };
  vpn: Record<string, unknown> = fixtures.legacyDeployment();
  ds = {
    configMapName: this.rendering.metadata!.name as string,
    restartedAt: undefined as string | undefined,
    generation: 1,
    observedGeneration: 1,
    desired: 3,
    updated: 3,
    available: 3,
  };
  /** A node that joined while the ConfigMap was missing: its pod waits for the mount. */
  waitingPods: string[] = [];

  observe(): ObservedShoot {
    const vpnMeta = this.vpn.metadata as { annotations?: Record<string, string> };
    return {
      webhookConfigurationApplied: this.webhookApplied,
      daemonSet: { ...this.ds },
      configMap: this.cm && {
        name: this.cm.object.metadata!.name as string,
        uid: this.cm.uid,
        resourceVersion: this.cm.resourceVersion,
        inTarget: configMapInTarget(this.cm.object, unified, TECHNICAL_ID),
      },
      vpnShoot: {
        kind: 'Deployment',
        targetAnnotation: vpnMeta.annotations?.['http-proxy-migrator.gardener.cloud/target'],
        inTarget: vpnShootInTarget(this.vpn, unified),
        rolledOut: true,
      },
    };
  }

  apply(step: MoveStep): void {
    switch (step.step) {
      case 'annotate-vpn-shoot': {
        const meta = this.vpn.metadata as Record<string, unknown>;
        const written = {
          ...this.vpn,
          metadata: { ...meta, annotations: { ...(meta.annotations as object), [step.annotation]: step.value } },
        };
        this.vpn = this.webhookReachable ? (mutateVpnShoot(written, unified).object as Record<string, unknown>) : written;
        this.writes.push('vpn-shoot annotated');
        return;
      }
      case 'delete-configmap':
        if (!this.cm || this.cm.uid !== step.uid || this.cm.resourceVersion !== step.resourceVersion) {
          this.writes.push('delete refused (precondition)');
          return;
        }
        this.cm = undefined;
        this.writes.push('configmap deleted');
        return;
      case 'reconcile-managed-resource': {
        // The resource manager applies ConfigMaps before DaemonSets; the DaemonSet is unchanged (same name).
        if (this.cm) return;
        const admitted = this.webhookReachable
          ? mutateApiserverProxyConfigMap(this.rendering, unified, TECHNICAL_ID).object
          : this.rendering;
        this.cm = { object: admitted, uid: `uid-${++this.uid}`, resourceVersion: '1' };
        const moved = configMapInTarget(admitted, unified, TECHNICAL_ID);
        this.writes.push(`configmap created ${moved ? 'moved' : 'unmoved'}`);
        for (const node of this.waitingPods.splice(0)) this.starts.push({ node, moved });
        return;
      }
      case 'restart-daemonset':
        this.writes.push('daemonset restartedAt');
        if (this.ds.restartedAt === step.value) return;
        this.ds = { ...this.ds, restartedAt: step.value, generation: this.ds.generation + 1 };
        this.writes.push('daemonset rolls');
        // One node at a time; each new Envoy reads the ConfigMap it mounts at start.
        for (const node of NODES) {
          expect(this.cm, `pod on ${node} would start without its ConfigMap`).toBeDefined();
          this.starts.push({ node, moved: configMapInTarget(this.cm!.object, unified, TECHNICAL_ID) });
        }
        this.ds = { ...this.ds, observedGeneration: this.ds.generation };
        return;
      case 'wait':
        this.webhookApplied = true; // the resource manager applies the webhook configuration meanwhile
        return;
      case 'done':
        return;
    }
  }
}

function run(world: World, options: { repeatEach?: boolean; beforeStep?: (i: number, step: MoveStep) => void } = {}): MoveStep[] {
  const steps: MoveStep[] = [];
  for (let i = 0; i < 20; i++) {
    const step = nextMoveStep(progress, world.observe());
    steps.push(step);
    if (step.step === 'done') return steps;
    options.beforeStep?.(i, step);
    world.apply(step);
    // A leader that dies after its write and before it saw the result: the next one takes the same step again.
    if (options.repeatEach) world.apply(step);
  }
  throw new Error(`no end: ${JSON.stringify(steps.map((s) => s.step))}`);
}

describe('a shoot moves', () => {
  it('in order: webhook configuration, vpn-shoot, ConfigMap re-created moved, then one roll', () => {
    const world = new World();
    const steps = run(world);
    expect(steps.map((s) => s.step)).toEqual([
      'wait',
      'annotate-vpn-shoot',
      'delete-configmap',
      'reconcile-managed-resource',
      'restart-daemonset',
      'done',
    ]);
    expect(world.writes).toEqual([
      'vpn-shoot annotated',
      'configmap deleted',
      'configmap created moved',
      'daemonset restartedAt',
      'daemonset rolls',
    ]);
    expect(world.starts).toEqual(NODES.map((node) => ({ node, moved: true })));
    expect(vpnShootInTarget(world.vpn, unified)).toBe(true);
    expect(world.ds.restartedAt).toBe(progress.enteredAt);
  });

  it('starts a pod of a node that joins while the ConfigMap is missing only on the moved ConfigMap', () => {
    const world = new World();
    run(world, {
      beforeStep: (_, step) => {
        if (step.step === 'reconcile-managed-resource') world.waitingPods.push('node-new');
      },
    });
    expect(world.starts[0]).toEqual({ node: 'node-new', moved: true });
    expect(world.starts.every((s) => s.moved)).toBe(true);
  });

  it('never rolls on an unmoved ConfigMap when the webhook was unreachable at the re-create; it deletes again', () => {
    const world = new World();
    let outages = 1;
    run(world, {
      beforeStep: (_, step) => {
        world.webhookReachable = !(step.step === 'reconcile-managed-resource' && outages-- > 0);
      },
    });
    expect(world.writes).toEqual([
      'vpn-shoot annotated',
      'configmap deleted',
      'configmap created unmoved',
      'configmap deleted',
      'configmap created moved',
      'daemonset restartedAt',
      'daemonset rolls',
    ]);
    expect(world.starts.every((s) => s.moved)).toBe(true);
  });

  it('takes every step at most once in effect when each is repeated after a crash', () => {
    const world = new World();
    run(world, { repeatEach: true });
    expect(world.writes.filter((w) => w === 'daemonset rolls')).toHaveLength(1);
    expect(world.writes.filter((w) => w === 'configmap deleted')).toHaveLength(1);
    expect(world.writes).toContain('delete refused (precondition)');
    expect(world.writes.indexOf('configmap created moved')).toBeLessThan(world.writes.indexOf('daemonset restartedAt'));
    expect(world.starts.every((s) => s.moved)).toBe(true);
  });

  it('does nothing to a shoot that already runs the target, except the one roll', () => {
    const world = new World();
    world.webhookApplied = true;
    world.vpn = fixtures.expectedDeployment();
    world.cm = {
      object: mutateApiserverProxyConfigMap(loadFixture(LEGACY), unified, TECHNICAL_ID).object,
      uid: 'uid-9',
      resourceVersion: '7',
    };
    run(world);
    expect(world.writes).toEqual(['daemonset restartedAt', 'daemonset rolls']);
    world.writes = [];
    // A new leader after the move: nothing left to do.
    expect(nextMoveStep(progress, world.observe())).toEqual({ step: 'done' });
  });

  it('waits for vpn-shoot the webhook will not move (an old vpn-client) instead of writing it again', () => {
    const world = new World();
    world.webhookApplied = true;
    const containers = (world.vpn.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers;
    for (const c of containers) c.image = c.image.replace(/:[^:]+$/, ':0.36.0');
    const steps: MoveStep[] = [];
    for (let i = 0; i < 10; i++) {
      steps.push(nextMoveStep(progress, world.observe()));
      world.apply(steps.at(-1)!);
    }
    // The apiserver-proxy moves; vpn-shoot is written once and then waited for, until the move timeout halts.
    expect(steps.slice(0, 5).map((s) => s.step)).toEqual([
      'annotate-vpn-shoot',
      'delete-configmap',
      'reconcile-managed-resource',
      'restart-daemonset',
      'wait',
    ]);
    expect(steps.slice(4)).toEqual(Array(6).fill({ step: 'wait', for: 'vpn-shoot to be moved by the webhook' }));
    expect(world.writes.filter((w) => w === 'vpn-shoot annotated')).toHaveLength(1);
    expect(world.starts.every((s) => s.moved)).toBe(true);
  });
});
