// The shoot index fed by client-node's informer from the loopback fake API: the first list (and the
// refusals until it completes), watch events, a dropped watch, a 410, the metrics, and (over TLS) a
// bounded watch that is restarted when the server keeps it open but silent.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShootLookup } from '../../src/gardener/services.js';
import { openShootSource, type ShootSource } from '../../src/gardener/shoot-source.js';
import { Metrics } from '../../src/observability/metrics.js';
import { decide } from '../../webhooks/gardenlet-config/validate.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { captureLogs } from '../support/logs.js';
import { SHOOTS_FILE, configMapEnabling } from '../webhooks/gardenlet-config/fixtures.js';
import { until } from '../support/until.js';

type Shoot = Parameters<FakeKubeApi['put']>[1];
const fixtureShoots = (): Shoot[] => yaml.loadAll(readFileSync(SHOOTS_FILE, 'utf8')).filter(Boolean) as Shoot[];
const TUNING = { initialBackoffMs: 5, maxBackoffMs: 50 };

let api: FakeKubeApi;
let source: ShootSource | undefined;
afterEach(async () => {
  source?.stop();
  source = undefined;
  await api?.stop();
});

async function start(
  tuning: Parameters<typeof openShootSource>[0]['tuning'] = TUNING,
): Promise<{ shoots: ShootLookup; metrics: Metrics; logs: ReturnType<typeof captureLogs> }> {
  const metrics = new Metrics({ defaultMetrics: false });
  const logs = captureLogs('debug');
  source = await openShootSource({ gardenKubeconfig: api.writeKubeconfig(), metrics, logger: logs.logger, tuning });
  return { shoots: source.services.shoots!, metrics, logs };
}

async function landscapeApi(tls = false): Promise<FakeKubeApi> {
  api = await new FakeKubeApi().register(RESOURCES.shoots).start(0, tls ? await loopbackTlsIdentity() : undefined);
  for (const shoot of fixtureShoots()) api.put(RESOURCES.shoots, shoot);
  return api;
}

const blockersOf = (shoots: ShootLookup) => {
  const decision = decide({ operation: 'CREATE', object: configMapEnabling() }, { shoots });
  return decision.outcome === 'deny' ? decision.blocking[0]!.shoots : decision.outcome;
};
const watches = () =>
  api.requests.filter(
    (r) => r.method === 'GET' && r.path.startsWith('/apis/core.gardener.cloud/v1beta1/shoots') && r.path.includes('watch=true'),
  );
const lists = () =>
  api.requests.filter(
    (r) => r.method === 'GET' && r.path.startsWith('/apis/core.gardener.cloud/v1beta1/shoots') && !r.path.includes('watch='),
  ).length;
const metric = async (metrics: Metrics, name: string) => {
  const line = (await metrics.registry.metrics())
    .split('\n')
    .find((l) => l.startsWith(`http_proxy_migrator_${name} `) || l.startsWith(`http_proxy_migrator_${name}{`));
  return line?.split(' ').at(-1);
};

describe('shoot informer', () => {
  it('refuses to decide until the first list completes, retrying failed lists with backoff', async () => {
    await landscapeApi();
    api.failNext('GET', /\/shoots$/, 500, 3);
    const { shoots, metrics } = await start();
    await until(async () => Number(await metric(metrics, 'shoot_index_failures_total')) >= 1);
    expect(shoots.synced()).toBe(false);
    expect(source!.readiness.every((c) => c.ready())).toBe(false);
    expect(blockersOf(shoots)).toBe('unavailable');
    expect(await metric(metrics, 'shoot_index_synced')).toBe('0');

    await until(() => shoots.synced());
    expect(source!.readiness.every((c) => c.ready())).toBe(true);
    expect(await metric(metrics, 'shoot_index_failures_total')).toBe('3');
    expect(blockersOf(shoots)).toEqual([
      'garden-baz/hotel',
      'garden-foo/bravo',
      'garden-foo/charlie',
      'garden-qux/juliett',
      'garden-qux/mike',
    ]);
    expect(await metric(metrics, 'shoot_index_synced')).toBe('1');
    const text = await metrics.registry.metrics();
    expect(text).toContain('http_proxy_migrator_blocking_shoots{seed="aws-eu1",gate="RemoveHTTPProxyLegacyPort"} 5');
    expect(text).toContain('http_proxy_migrator_blocking_shoots{seed="aws-eu1",gate="RemoveAPIServerProxyLegacyPort"} 3');
    expect(text).toContain('http_proxy_migrator_shoot_index_shoots 13');
  });

  it('follows watch events: a shoot migrates, another is deleted, a new one arrives', async () => {
    await landscapeApi();
    const { shoots } = await start();
    await until(() => shoots.synced());
    const juliett = api.get(RESOURCES.shoots, 'garden-qux', 'juliett')!;
    const constraints = (juliett.status as { constraints: { type: string; status: string }[] }).constraints;
    constraints.find((c) => c.type === 'UsesUnifiedHTTPProxyPort')!.status = 'True';
    api.put(RESOURCES.shoots, juliett);
    api.remove(RESOURCES.shoots, 'garden-qux', 'mike');
    const newcomer = structuredClone(api.get(RESOURCES.shoots, 'garden-foo', 'bravo')!);
    newcomer.metadata = { name: 'november', namespace: 'garden-foo' };
    api.put(RESOURCES.shoots, newcomer);
    await until(
      () =>
        JSON.stringify(blockersOf(shoots)) ===
        JSON.stringify(['garden-baz/hotel', 'garden-foo/bravo', 'garden-foo/charlie', 'garden-foo/november']),
    );
    expect(lists()).toBe(1);
  });

  it('resumes a dropped watch from its resource version without losing events', async () => {
    await landscapeApi();
    const { shoots, metrics } = await start();
    await until(async () => shoots.synced() && (await metric(metrics, 'shoot_index_watching')) === '1');
    api.dropWatches();
    api.remove(RESOURCES.shoots, 'garden-baz', 'hotel');
    await until(() => !JSON.stringify(blockersOf(shoots)).includes('hotel'));
    expect(lists()).toBe(1);
    await until(async () => (await metric(metrics, 'shoot_index_watching')) === '1');
    expect(await metric(metrics, 'shoot_index_age_seconds')).toBe('0');
  });

  it('relists after a 410 Gone, dropping shoots deleted meanwhile', async () => {
    await landscapeApi();
    const { shoots, metrics, logs } = await start();
    await until(async () => shoots.synced() && (await metric(metrics, 'shoot_index_watching')) === '1');
    api.expireHistory();
    api.dropWatches();
    api.remove(RESOURCES.shoots, 'garden-foo', 'charlie');
    await until(() => !JSON.stringify(blockersOf(shoots)).includes('charlie'));
    expect(lists()).toBe(2);
    expect(await metric(metrics, 'shoot_index_relists_total')).toBe('1');
    expect(logs.withMessage('relisting shoots')).toHaveLength(1);
    expect(shoots.synced()).toBe(true);
  });

  it('watches with bookmarks and a server-side timeout, and restarts a watch the server keeps open but silent (TLS)', async () => {
    await landscapeApi(true);
    const { shoots, metrics } = await start({ ...TUNING, watch: { minTimeoutSeconds: 300, quietMs: 300 } });
    // With no events the fake server is silent, so the watch restarts every quietMs even before the stall:
    // count nothing exactly, and compare with what was there when the stall began.
    await until(async () => shoots.synced() && watches().length >= 1 && (await metric(metrics, 'shoot_index_watching')) === '1');
    const query = new URL(watches()[0]!.path, 'http://x').searchParams;
    expect(Number(query.get('timeoutSeconds'))).toBeGreaterThanOrEqual(300);
    expect(Number(query.get('timeoutSeconds'))).toBeLessThan(600);
    expect(query.get('allowWatchBookmarks')).toBe('true');
    const listedAt = query.get('resourceVersion');

    api.stallWatches();
    const beforeStall = watches().length;
    api.remove(RESOURCES.shoots, 'garden-baz', 'hotel'); // recorded, never sent on the stalled watch
    await until(() => watches().length > beforeStall, 'silent watch abandoned and opened again');
    expect(JSON.stringify(blockersOf(shoots))).toContain('hotel');
    api.stallWatches(false);
    await until(() => !JSON.stringify(blockersOf(shoots)).includes('hotel'), 'event delivered once the server answers again');
    // Every watch up to the first one opened during the stall resumed from the list, none relisted.
    expect(lists()).toBe(1);
    const resumedFrom = watches()
      .slice(0, beforeStall + 1)
      .map((w) => new URL(w.path, 'http://x').searchParams.get('resourceVersion'));
    expect(new Set(resumedFrom)).toEqual(new Set([listedAt]));
  });
});
