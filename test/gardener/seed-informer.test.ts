// Seeds in the server: the garden source follows each seed's gardenlet release through client-node's
// ListWatch on the loopback fake API, keeping only name and version, and the gardenlet-config decision
// reads it; a garden without seeds (an older ClusterRole) leaves decisions that need it not release-aware.
import { afterEach, describe, expect, it } from 'vitest';
import { openShootSource, type ShootSource } from '../../src/gardener/shoot-source.js';
import { decide } from '../../webhooks/gardenlet-config/validate.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { captureLogs } from '../support/logs.js';
import { until } from '../support/until.js';
import { configMapBaseline } from '../webhooks/gardenlet-config/fixtures.js';

let api: FakeKubeApi | undefined;
let source: ShootSource | undefined;
afterEach(async () => {
  source?.stop();
  await api?.stop();
});

const seed = (version: string) => ({ metadata: { name: 'aws-eu1' }, spec: { provider: { type: 'aws' } }, status: { gardener: { id: 'x', name: 'gardenlet-x', version } } });
const releaseOf = (s: ShootSource) => {
  const decision = decide({ operation: 'CREATE', object: configMapBaseline() }, { shoots: s.services.shoots, seeds: s.services.seeds });
  return decision.outcome === 'admit' ? decision.release : undefined;
};

describe('seeds from the garden cluster', () => {
  it('follows a seed\'s gardenlet release as it changes', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots, RESOURCES.seeds).start();
    api.put(RESOURCES.seeds, seed('v1.148.2'));
    source = await openShootSource({ gardenKubeconfig: api.writeKubeconfig(), logger: captureLogs('silent').logger });
    await until(() => source!.services.seeds?.gardenletVersion('aws-eu1') === 'v1.148.2', 'seed listed');
    expect(releaseOf(source)).toEqual({ version: 'v1.148.2', source: 'Seed aws-eu1 status.gardener.version' });
    api.put(RESOURCES.seeds, seed('v1.149.0'));
    await until(() => source!.services.seeds?.gardenletVersion('aws-eu1') === 'v1.149.0', 'seed update watched');
  });

  it('lists seeds once for the CLI, and does without them where they cannot be read', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots).start();
    source = await openShootSource({ gardenKubeconfig: api.writeKubeconfig(), watch: false, logger: captureLogs('silent').logger });
    expect(source.services.seeds).toBeUndefined();
    expect(releaseOf(source)).toEqual({ source: expect.stringContaining('Seed aws-eu1 status.gardener.version (seeds not read)') });
  });
});
