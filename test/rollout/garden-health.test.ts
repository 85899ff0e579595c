// The garden's Shoot conditions folded into the seed's health: only False is harm, and never healthier than the seed says.
import { describe, expect, it } from 'vitest';
import { gardenStableSince, withGardenHealth } from '../../src/rollout/garden-health.js';
import type { Health } from '../../src/rollout/health.js';

const shoot = (...conditions: Record<string, unknown>[]) => ({ status: { conditions } });
const healthy: Health = { state: 'healthy' };

describe('garden health', () => {
  it('makes a shoot unhealthy on a False APIServerAvailable or SystemComponentsHealthy, naming the condition', () => {
    expect(withGardenHealth(healthy, shoot({ type: 'APIServerAvailable', status: 'False', reason: 'HealthzRequestFailed' }))).toEqual({
      state: 'unhealthy',
      managedResource: '',
      condition: 'APIServerAvailable',
      status: 'False',
      reason: 'Shoot in the garden: HealthzRequestFailed',
    });
    expect(
      withGardenHealth(
        { state: 'progressing', managedResource: 'shoot-core-vpn-shoot' },
        shoot({ type: 'SystemComponentsHealthy', status: 'False' }),
      ),
    ).toMatchObject({ state: 'unhealthy', condition: 'SystemComponentsHealthy', reason: 'Shoot in the garden' });
  });

  it('leaves the seed health alone for True, Progressing, Unknown, other conditions, or no Shoot', () => {
    for (const status of ['True', 'Progressing', 'Unknown']) {
      expect(withGardenHealth(healthy, shoot({ type: 'SystemComponentsHealthy', status }))).toBe(healthy);
    }
    expect(withGardenHealth(healthy, shoot({ type: 'EveryNodeReady', status: 'False' }))).toBe(healthy);
    expect(withGardenHealth(healthy, undefined)).toBe(healthy);
    const seedUnhealthy: Health = {
      state: 'unhealthy',
      managedResource: 'shoot-core-apiserver-proxy',
      condition: 'ResourcesHealthy',
      status: 'False',
      reason: 'X',
    };
    expect(withGardenHealth(seedUnhealthy, shoot({ type: 'APIServerAvailable', status: 'False' }))).toBe(seedUnhealthy);
  });

  it('reports the latest transition of its conditions', () => {
    expect(
      gardenStableSince(
        shoot(
          { type: 'APIServerAvailable', lastTransitionTime: '2026-01-01T00:00:00Z' },
          { type: 'SystemComponentsHealthy', lastTransitionTime: '2026-02-01T00:00:00Z' },
          { type: 'EveryNodeReady', lastTransitionTime: '2026-03-01T00:00:00Z' },
        ),
      ),
    ).toBe(Date.parse('2026-02-01T00:00:00Z'));
    expect(gardenStableSince(undefined)).toBeUndefined();
  });
});
