// Seeds in the server: the garden source follows each seed's gardenlet release through client-node's
// ListWatch on the loopback fake API, keeping only name and version, and the gardenlet-config decision
// reads it; a garden without seeds (an older ClusterRole) leaves decisions that need it not release-aware.
// Over TLS: list and watch share the cluster's connection pool, and a watch the server keeps open but
// silent is restarted from its resourceVersion without a relist.
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { pooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { SeedIndex } from '../../src/gardener/seed-index.js';
import { SeedInformer } from '../../src/gardener/seed-informer.js';
import { openShootSource, type ShootSource } from '../../src/gardener/shoot-source.js';
import { decide } from '../../webhooks/gardenlet-config/validate.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { captureLogs } from '../support/logs.js';
import { until } from '../support/until.js';
import { configMapBaseline } from '../webhooks/gardenlet-config/fixtures.js';

let api: FakeKubeApi | undefined;
let source: ShootSource | undefined;
let informer: SeedInformer | undefined;
afterEach(async () => {
  source?.stop();
  source = undefined;
  await informer?.stop();
  informer = undefined;
  await api?.stop();
});

const seed = (version: string) => ({
  metadata: { name: 'aws-eu1' },
  spec: { provider: { type: 'aws' } },
  status: { gardener: { id: 'x', name: 'gardenlet-x', version } },
});
const releaseOf = (s: ShootSource) => {
  const decision = decide({ operation: 'CREATE', object: configMapBaseline() }, { shoots: s.services.shoots, seeds: s.services.seeds });
  return decision.outcome === 'admit' ? decision.release : undefined;
};

describe('seeds from the garden cluster', () => {
  it("follows a seed's gardenlet release as it changes", async () => {
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

describe('seed informer over TLS', () => {
  const watches = () =>
    api!.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/apis/core.gardener.cloud/v1beta1/seeds?') && r.path.includes('watch=true'),
    );
  const lists = () =>
    api!.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/apis/core.gardener.cloud/v1beta1/seeds') && !r.path.includes('watch='),
    ).length;
  const queryOf = (request: { path: string }) => new URL(request.path, 'http://x').searchParams;

  /** A plain client-node KubeConfig, as a caller may hand in: the informer still pools list and watch. */
  async function startInformer(watch?: {
    minTimeoutSeconds: number;
    quietMs: number;
  }): Promise<{ index: SeedIndex; kubeConfig: k8s.KubeConfig }> {
    api = await new FakeKubeApi().register(RESOURCES.seeds).start(0, await loopbackTlsIdentity());
    api.put(RESOURCES.seeds, seed('v1.148.2'));
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(api.writeKubeconfig());
    const index = new SeedIndex();
    informer = new SeedInformer({ kubeConfig, index, logger: captureLogs('silent').logger, initialBackoffMs: 5, maxBackoffMs: 50, watch });
    informer.start();
    return { index, kubeConfig };
  }

  it('lists and watches through the connection pool, the watch asking for bookmarks and a server-side timeout', async () => {
    const { index, kubeConfig } = await startInformer();
    await until(() => index.gardenletVersion('aws-eu1') === 'v1.148.2' && watches().length === 1, 'listed and watching');
    const query = queryOf(watches()[0]!);
    expect(query.get('allowWatchBookmarks')).toBe('true');
    expect(Number(query.get('timeoutSeconds'))).toBeGreaterThanOrEqual(300);
    expect(Number(query.get('timeoutSeconds'))).toBeLessThan(600);
    // Every connection the server accepted was opened by the pool: the list did not bring its own agent.
    expect(pooledKubeConfig(kubeConfig).pool.connectionsOpened).toBe(api!.connections);
  });

  it('restarts a watch the server keeps open but silent, from the same resourceVersion, without a relist', async () => {
    const { index } = await startInformer({ minTimeoutSeconds: 300, quietMs: 300 });
    await until(() => index.synced() && watches().length >= 1, 'listed and watching');
    api!.stallWatches();
    const before = watches().length;
    api!.put(RESOURCES.seeds, seed('v1.149.0')); // recorded, never sent on a stalled watch
    await until(() => watches().length >= before + 1, 'silent watch abandoned and opened again');
    expect(index.gardenletVersion('aws-eu1')).toBe('v1.148.2');
    api!.stallWatches(false);
    await until(() => index.gardenletVersion('aws-eu1') === 'v1.149.0', 'update delivered once the server answers again');
    expect(lists()).toBe(1);
    // No event reached the client before the update: the watches up to the restart all resume from the list's resourceVersion.
    const listed = queryOf(watches()[0]!).get('resourceVersion');
    expect(listed).toBeTruthy();
    for (const request of watches().slice(0, before + 1)) expect(queryOf(request).get('resourceVersion')).toBe(listed);
  });
});
