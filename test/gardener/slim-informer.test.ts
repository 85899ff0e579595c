// The list-watch cache against a real TLS API server on loopback: watches carry timeoutSeconds and ask
// for bookmarks, a watch the server keeps open but silent is restarted from the last resourceVersion
// (no relist), and the cache keeps only what the slim function keeps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/gardener/kube-client.js';
import { PooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { SlimInformer, type RawObject } from '../../src/gardener/slim-informer.js';
import { createLogger } from '../../src/observability/logger.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { until } from '../support/until.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const slim = (raw: RawObject) => ({ metadata: { name: raw.metadata!.name!, resourceVersion: raw.metadata!.resourceVersion } });

async function start(quietMs: number) {
  const api = await new FakeKubeApi().register(RESOURCES.namespaces).start(0, await loopbackTlsIdentity());
  const dir = mkdtempSync(join(tmpdir(), 'hpm-informer-'));
  const kubeConfig = new PooledKubeConfig();
  kubeConfig.loadFromFile(api.writeKubeconfig(dir));
  api.put(RESOURCES.namespaces, { metadata: { name: 'shoot--p--one', labels: { big: 'x'.repeat(1000) } } });
  const informer = new SlimInformer({
    client: new KubeClient(kubeConfig),
    path: '/api/v1/namespaces',
    slim,
    logger: createLogger('silent'),
    backoff: { baseMs: 10, maxMs: 50 },
    watch: { minTimeoutSeconds: 300, quietMs },
  });
  cleanups.push(
    () => api.stop(),
    () => informer.stop(),
    () => kubeConfig.pool.destroy(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  informer.start();
  await informer.synced;
  return { api, informer };
}

const watchRequests = (api: FakeKubeApi) => api.requests.filter((r) => r.path.includes('watch=true'));

describe('slim list-watch cache', () => {
  it('watches with a server-side timeout and bookmarks, and keeps only the slim object', async () => {
    const { api, informer } = await start(60_000);
    await until(() => watchRequests(api).length === 1, 'watching');
    const query = new URL(watchRequests(api)[0]!.path, 'http://x').searchParams;
    const timeout = Number(query.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThan(600);
    expect(query.get('allowWatchBookmarks')).toBe('true');
    expect(informer.get('shoot--p--one')).toEqual({ metadata: { name: 'shoot--p--one', resourceVersion: expect.any(String) } });
  });

  it('restarts a watch that the server keeps open but silent, resuming from the last resourceVersion', async () => {
    const { api, informer } = await start(300);
    await until(() => watchRequests(api).length === 1, 'watching');
    api.stallWatches();
    api.put(RESOURCES.namespaces, { metadata: { name: 'shoot--p--two' } }); // recorded, never sent on the stalled watch
    await until(() => watchRequests(api).length >= 2, 'silent watch abandoned and opened again');
    expect(informer.get('shoot--p--two')).toBeUndefined();
    api.stallWatches(false);
    await until(() => informer.get('shoot--p--two') !== undefined, 'event delivered once the server answers again');
    // Resumed, not relisted: one list in all.
    expect(api.requests.filter((r) => r.method === 'GET' && !r.path.includes('watch=true')).length).toBe(1);
    expect(informer.requests.lists).toBe(1);
  });
});

describe('our own writes', () => {
  it('a write whose event the watch delivered before its answer does not hide what came after it', async () => {
    const { api, informer } = await start(60_000);
    await until(() => watchRequests(api).length === 1, 'watching');
    // Our write, then another writer's (a status update) right after it; both events arrive before our answer is taken in.
    const ours = api.put(RESOURCES.namespaces, { metadata: { name: 'shoot--p--two' } });
    const theirs = api.put(RESOURCES.namespaces, { ...ours, status: { phase: 'Active' } });
    await until(() => informer.get('shoot--p--two')?.metadata.resourceVersion === theirs.metadata.resourceVersion, 'both events');
    informer.wrote(ours as RawObject);
    expect(informer.get('shoot--p--two')?.metadata.resourceVersion).toBe(theirs.metadata.resourceVersion);
    // A write whose event has not come yet is taken in at once, as before.
    const next = api.put(RESOURCES.namespaces, { ...theirs, status: { phase: 'Terminating' } });
    expect(informer.wrote(next as RawObject).metadata.resourceVersion).toBe(next.metadata.resourceVersion);
  });
});
