// Health from the ManagedResources' conditions as gardener-resource-manager writes them.
import { describe, expect, it } from 'vitest';
import { shootHealth, stableSince } from '../../src/rollout/health.js';

type Status = 'True' | 'False' | 'Unknown';
function managedResource(
  name: string,
  applied: Status,
  healthy: Status,
  progressing: Status,
  extra: { reason?: string; generation?: number; observedGeneration?: number } = {},
) {
  const condition = (type: string, status: Status) => ({
    type,
    status,
    reason: status === 'False' ? (extra.reason ?? 'NotHealthy') : 'Ok',
    lastTransitionTime: '2026-12-01T00:00:00Z',
  });
  return {
    apiVersion: 'resources.gardener.cloud/v1alpha1',
    kind: 'ManagedResource',
    metadata: { name, namespace: 'shoot--foo--bar', generation: extra.generation ?? 1 },
    status: {
      observedGeneration: extra.observedGeneration ?? extra.generation ?? 1,
      conditions: [
        condition('ResourcesApplied', applied),
        condition('ResourcesHealthy', healthy),
        condition('ResourcesProgressing', progressing),
      ],
    },
  };
}

const pair = (proxy: unknown, vpn: unknown) =>
  new Map([
    ['shoot-core-apiserver-proxy', proxy],
    ['shoot-core-vpn-shoot', vpn],
  ]);
const good = (name: string) => managedResource(name, 'True', 'True', 'False');

describe('shoot health from ManagedResources', () => {
  it('is healthy when both are applied, healthy and not progressing', () => {
    expect(shootHealth(pair(good('shoot-core-apiserver-proxy'), good('shoot-core-vpn-shoot')))).toEqual({ state: 'healthy' });
  });

  it('names the ManagedResource and condition that is False, and its reason', () => {
    const vpn = managedResource('shoot-core-vpn-shoot', 'True', 'False', 'False', { reason: 'DeploymentUnhealthy' });
    expect(shootHealth(pair(good('shoot-core-apiserver-proxy'), vpn))).toEqual({
      state: 'unhealthy',
      managedResource: 'shoot-core-vpn-shoot',
      condition: 'ResourcesHealthy',
      status: 'False',
      reason: 'DeploymentUnhealthy',
    });
    const proxy = managedResource('shoot-core-apiserver-proxy', 'False', 'True', 'False', { reason: 'ApplyFailed' });
    expect(shootHealth(pair(proxy, good('shoot-core-vpn-shoot')))).toMatchObject({
      state: 'unhealthy',
      condition: 'ResourcesApplied',
      reason: 'ApplyFailed',
    });
  });

  it('is progressing during a roll, or before the resource manager has seen the latest generation', () => {
    expect(shootHealth(pair(managedResource('shoot-core-apiserver-proxy', 'True', 'True', 'True'), good('shoot-core-vpn-shoot')))).toEqual({
      state: 'progressing',
      managedResource: 'shoot-core-apiserver-proxy',
    });
    const stale = managedResource('shoot-core-vpn-shoot', 'True', 'True', 'False', { generation: 3, observedGeneration: 2 });
    expect(shootHealth(pair(good('shoot-core-apiserver-proxy'), stale))).toMatchObject({
      state: 'progressing',
      managedResource: 'shoot-core-vpn-shoot',
    });
  });

  it('is unknown, never healthy, without the object, a condition, or with status Unknown', () => {
    expect(shootHealth(pair(good('shoot-core-apiserver-proxy'), undefined))).toMatchObject({
      state: 'unknown',
      why: 'no such ManagedResource',
    });
    const noConditions = { metadata: { name: 'shoot-core-vpn-shoot' }, status: {} };
    expect(shootHealth(pair(good('shoot-core-apiserver-proxy'), noConditions))).toMatchObject({
      state: 'unknown',
      why: 'no ResourcesApplied condition',
    });
    const unknown = managedResource('shoot-core-apiserver-proxy', 'True', 'Unknown', 'False');
    expect(shootHealth(pair(unknown, good('shoot-core-vpn-shoot')))).toMatchObject({
      state: 'unknown',
      why: 'ResourcesHealthy is Unknown',
    });
  });

  it('gives the latest transition of the conditions, for the soak start', () => {
    const proxy = good('shoot-core-apiserver-proxy');
    const vpn = good('shoot-core-vpn-shoot');
    (vpn.status.conditions[1] as { lastTransitionTime: string }).lastTransitionTime = '2026-12-01T00:20:00Z';
    expect(stableSince(pair(proxy, vpn))).toBe(Date.parse('2026-12-01T00:20:00Z'));
    expect(
      stableSince(pair(undefined, { status: { conditions: [{ type: 'ResourcesHealthy', lastTransitionTime: 'garbage' }] } })),
    ).toBeUndefined();
  });

  it('reports harm before anything pending, and cuts a long reason', () => {
    const progressing = managedResource('shoot-core-apiserver-proxy', 'True', 'True', 'True');
    const broken = managedResource('shoot-core-vpn-shoot', 'True', 'False', 'False', { reason: 'x'.repeat(5000) });
    const health = shootHealth(pair(progressing, broken));
    expect(health).toMatchObject({ state: 'unhealthy', managedResource: 'shoot-core-vpn-shoot' });
    expect((health as { reason: string }).reason).toHaveLength(100);
  });
});
