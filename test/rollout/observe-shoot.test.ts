// Reading what a move step needs from the objects as the API returns them: Gardener's real renderings of
// the apiserver-proxy DaemonSet and ConfigMap and of vpn-shoot, with the status fields the API adds.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/admission/types.js';
import { nextMoveStep } from '../../src/rollout/move-step.js';
import { observeShoot } from '../../src/rollout/observe-shoot.js';
import { mutateApiserverProxyConfigMap } from '../../webhooks/apiserver-proxy/mutate.js';
import { LEGACY, loadFixture, TECHNICAL_ID } from '../webhooks/apiserver-proxy/fixtures.js';
import { fixtures, unified } from '../webhooks/vpn-shoot/fixtures.js';

const progress = { wave: 'operators', target: 'unified', enteredAt: '2026-12-01T00:00:00.000Z' } as const;

function webhookManagedResource(generation: number, observedGeneration: number, applied: 'True' | 'False') {
  return {
    metadata: { name: 'extension-http-proxy-migrator-shoot-webhooks', generation },
    status: { observedGeneration, conditions: [{ type: 'ResourcesApplied', status: applied }] },
  };
}

function daemonSet(status: Record<string, number>, restartedAt?: string): KubeObject {
  const ds = loadFixture('apiserver-proxy/daemonset.legacy-v1.112.yaml') as KubeObject & {
    spec: { template: { metadata: { annotations: Record<string, string> } } };
  };
  if (restartedAt) ds.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'] = restartedAt;
  return {
    ...ds,
    metadata: { ...ds.metadata, generation: 2 },
    status: { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, ...status },
  };
}

function configMap(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, uid: 'u-1', resourceVersion: '42' } };
}

const vpnStatus = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
const withStatus = (vpn: Record<string, unknown>, status: Record<string, number> = vpnStatus) => ({
  ...vpn,
  metadata: { ...(vpn.metadata as object), generation: 1 },
  status,
});

describe('observing a shoot for its move', () => {
  it('reads a shoot before its move, and decides its first steps', () => {
    const legacy = configMap(loadFixture(LEGACY));
    const objects = {
      webhookManagedResource: webhookManagedResource(3, 3, 'True'),
      daemonSet: daemonSet({}),
      configMap: legacy,
      vpnShoot: withStatus(fixtures.legacyDeployment()),
    };
    const observed = observeShoot(objects, unified, TECHNICAL_ID);
    expect(observed).toEqual({
      webhookConfigurationApplied: true,
      daemonSet: {
        configMapName: 'apiserver-proxy-config-54c2613f',
        generation: 2,
        observedGeneration: 2,
        desired: 3,
        updated: 3,
        available: 3,
      },
      configMap: { name: 'apiserver-proxy-config-54c2613f', uid: 'u-1', resourceVersion: '42', inTarget: false },
      vpnShoot: { kind: 'Deployment', inTarget: false, rolledOut: true },
    });
    expect(nextMoveStep(progress, observed)).toEqual({
      step: 'annotate-vpn-shoot',
      kind: 'Deployment',
      annotation: 'http-proxy-migrator.gardener.cloud/target',
      value: 'unified',
    });
    const vpnMoved = observeShoot({ ...objects, vpnShoot: withStatus(fixtures.expectedDeployment()) }, unified, TECHNICAL_ID);
    expect(nextMoveStep(progress, vpnMoved)).toEqual({
      step: 'delete-configmap',
      name: 'apiserver-proxy-config-54c2613f',
      uid: 'u-1',
      resourceVersion: '42',
    });
  });

  it('reads a moved shoot mid-roll, and after it', () => {
    const moved = configMap(mutateApiserverProxyConfigMap(loadFixture(LEGACY), unified, TECHNICAL_ID).object);
    const vpn = withStatus(fixtures.expectedDeployment());
    const rolling = observeShoot(
      {
        webhookManagedResource: webhookManagedResource(3, 3, 'True'),
        daemonSet: daemonSet({ updatedNumberScheduled: 1, numberAvailable: 2 }, progress.enteredAt),
        configMap: moved,
        vpnShoot: vpn,
      },
      unified,
      TECHNICAL_ID,
    );
    expect(rolling.configMap?.inTarget).toBe(true);
    expect(rolling.daemonSet?.restartedAt).toBe(progress.enteredAt);
    expect(nextMoveStep(progress, rolling)).toEqual({ step: 'wait', for: 'the apiserver-proxy DaemonSet to roll' });
    const done = observeShoot(
      {
        webhookManagedResource: webhookManagedResource(3, 3, 'True'),
        daemonSet: daemonSet({}, progress.enteredAt),
        configMap: moved,
        vpnShoot: vpn,
      },
      unified,
      TECHNICAL_ID,
    );
    expect(nextMoveStep(progress, done)).toEqual({ step: 'done' });
  });

  it('waits while the webhook configuration is not yet applied at its current generation', () => {
    for (const mr of [webhookManagedResource(4, 3, 'True'), webhookManagedResource(3, 3, 'False'), undefined]) {
      expect(observeShoot({ webhookManagedResource: mr }, unified, TECHNICAL_ID).webhookConfigurationApplied).toBe(false);
    }
  });

  it('sees a vpn-shoot that has not finished rolling, and an HA StatefulSet', () => {
    const surging = withStatus(fixtures.expectedDeployment(), { ...vpnStatus, replicas: 2, updatedReplicas: 1 });
    expect(observeShoot({ vpnShoot: surging }, unified, TECHNICAL_ID).vpnShoot).toEqual({
      kind: 'Deployment',
      inTarget: true,
      rolledOut: false,
    });
    const ha = fixtures.expectedStatefulSet();
    const haStatus = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2 };
    expect(observeShoot({ vpnShoot: withStatus(ha, haStatus) }, unified, TECHNICAL_ID).vpnShoot).toEqual({
      kind: 'StatefulSet',
      inTarget: true,
      rolledOut: true,
    });
  });
});
