// The controller against the loopback seed with the real client-node: registration, removal, CA
// rotation, quiet resyncs, conflicts and a failing namespace.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MANAGED_RESOURCE_NAME, desiredResources, managedResourceFor } from '../../src/register/desired.js';
import { RESOURCES } from '../support/fake-kube-api.js';
import {
  NO_RESYNC_MS,
  type DeliveredConfig,
  RESYNC_MS,
  SERVICE_NAMESPACE,
  metricValue,
  newCa,
  sleep,
  startSeed,
  until,
} from './harness.js';

const caOf = (config: DeliveredConfig | undefined): string[] =>
  (config?.webhooks ?? []).map((w) => Buffer.from(w.clientConfig.caBundle, 'base64').toString());

describe('shoot webhook registration controller', () => {
  it('registers opted-in shoot namespaces only, and new ones as they appear', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    seed.addShoot('shoot--foo--plain', { extension: false });
    seed.addShoot('garden', { labels: { 'gardener.cloud/role': 'garden' } }); // has an Extension but is no shoot namespace
    const { registry } = await seed.startController();

    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'first shoot registered');
    const delivered = seed.delivered('shoot--foo--bar')!;
    expect(delivered.kind).toBe('MutatingWebhookConfiguration');
    expect(delivered.webhooks[0]!.clientConfig.url).toBe(
      `https://gardener-extension-http-proxy-migrator.${SERVICE_NAMESPACE}:443/webhooks/apiserver-proxy/shoot--foo--bar`,
    );
    const mr = seed.managedResource('shoot--foo--bar')!;
    expect(mr.spec.class).toBeUndefined();
    expect(mr.spec.keepObjects).toBe(false);

    seed.addShoot('shoot--foo--new');
    await until(() => seed.managedResource('shoot--foo--new') !== undefined, 'new shoot registered');
    await sleep(2 * RESYNC_MS);
    expect(seed.managedResource('shoot--foo--plain')).toBeUndefined();
    expect(seed.managedResource('garden')).toBeUndefined();
    expect(await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_registered')).toBe(2);
    expect(
      await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_last_sync_timestamp_seconds', { namespace: 'shoot--foo--new' }),
    ).toBeGreaterThan(0);
  });

  it('registers every shoot namespace with allShoots', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar', { extension: false });
    seed.addShoot('shoot--foo--baz', { extension: false });
    await seed.startController({ allShoots: true });
    await until(
      () => seed.managedResource('shoot--foo--bar') !== undefined && seed.managedResource('shoot--foo--baz') !== undefined,
      'all shoots',
    );
  });

  it('removes the ManagedResource and its secret when the Extension goes', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    seed.addShoot('shoot--foo--keep');
    const { registry } = await seed.startController();
    await until(
      () => seed.managedResource('shoot--foo--bar') !== undefined && seed.managedResource('shoot--foo--keep') !== undefined,
      'registered',
    );
    const secretName = seed.managedResource('shoot--foo--bar')!.spec.secretRefs[0]!.name;

    seed.removeExtension('shoot--foo--bar');
    await until(() => seed.managedResource('shoot--foo--bar') === undefined, 'ManagedResource removed');
    expect(seed.api.get(RESOURCES.secrets, 'shoot--foo--bar', secretName)).toBeUndefined();
    expect(seed.managedResource('shoot--foo--keep')).toBeDefined();
    await until(async () => (await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_registered')) === 1, 'gauge follows');
    expect(
      await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_last_sync_timestamp_seconds', { namespace: 'shoot--foo--bar' }),
    ).toBeUndefined();
  });

  it('brings a CA rotation to every shoot within one resync period, old and new CA together', async () => {
    const seed = await startSeed();
    const shoots = Array.from({ length: 12 }, (_, i) => `shoot--p${i}--s`);
    for (const ns of shoots) seed.addShoot(ns);
    const oldCa = await newCa();
    seed.writeCa(oldCa);
    await seed.startController();
    await until(
      () => shoots.every((ns) => caOf(seed.delivered(ns)).every((b) => b === oldCa) && seed.delivered(ns) !== undefined),
      'old CA everywhere',
    );
    const oldSecret = seed.managedResource(shoots[0]!)!.spec.secretRefs[0]!.name;

    const rotated = oldCa + (await newCa());
    seed.writeCa(rotated);
    const changed = Date.now();
    // One period to notice the file, plus time for 12 reconciles: correctness deadline, not a benchmark.
    await until(
      () => shoots.every((ns) => caOf(seed.delivered(ns)).every((b) => b === rotated)),
      'rotated bundle everywhere',
      RESYNC_MS + 3000,
    );
    expect(Date.now() - changed).toBeLessThan(RESYNC_MS + 3000);

    const mr = seed.managedResource(shoots[0]!)!;
    const newSecret = mr.spec.secretRefs[0]!.name;
    expect(newSecret).not.toBe(oldSecret);
    expect(Object.values(mr.metadata.annotations ?? {})).toEqual([newSecret]);
    // The superseded secret stays for the resource manager's garbage collector, still marked collectable.
    expect(seed.api.get(RESOURCES.secrets, shoots[0]!, oldSecret)?.metadata.labels).toEqual({
      'resources.gardener.cloud/garbage-collectable-reference': 'true',
    });
  });

  it('asks the API server nothing on a resync that changes nothing: it compares against the caches', async () => {
    const seed = await startSeed();
    for (const ns of ['shoot--a--one', 'shoot--a--two', 'shoot--a--three']) seed.addShoot(ns);
    const { registry } = await seed.startController();
    await until(() => seed.api.list(RESOURCES.managedResources).length === 3, 'registered');
    await until(async () => (await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_registered')) === 3, 'all synced');
    const requests = seed.api.requests.length;
    const resyncs = (await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_resyncs_total')) ?? 0;
    const synced = (await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_last_sync_timestamp_seconds', {
      namespace: 'shoot--a--two',
    }))!;
    await until(
      async () => ((await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_resyncs_total')) ?? 0) >= resyncs + 3,
      'three resyncs',
    );
    // The resyncs did compare each shoot (its last sync moved on), and not one request went out.
    await until(
      async () =>
        (await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_last_sync_timestamp_seconds', { namespace: 'shoot--a--two' }))! >
        synced,
      'resynced',
    );
    expect(seed.api.requests.slice(requests)).toEqual([]);
  });

  it('retries a conflicting update and lands it', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    // No resync during the test: only the retries can land the update.
    const { registry } = await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered');

    seed.api.failNext('PATCH', /\/namespaces\/shoot--foo--bar\/managedresources\//, 409, 2);
    const mr = seed.managedResource('shoot--foo--bar')!;
    seed.api.put(RESOURCES.managedResources, { ...mr, spec: { ...mr.spec, keepObjects: true } } as never);
    await until(() => seed.managedResource('shoot--foo--bar')!.spec.keepObjects === false, 'update landed after conflicts');
    expect(seed.api.requests.filter((r) => r.method === 'PATCH' && r.path.includes('managedresources')).length).toBe(3);
    expect(await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_sync_failures_total', { namespace: 'shoot--foo--bar' })).toBe(2);
  });

  it('keeps registering the other shoots while one namespace fails, then heals it', async () => {
    const seed = await startSeed();
    seed.api.failNext('POST', /\/namespaces\/shoot--bad--one\/secrets$/, 500, 5);
    for (const ns of ['shoot--bad--one', 'shoot--ok--one', 'shoot--ok--two']) seed.addShoot(ns);
    const { registry } = await seed.startController({ workers: 1, resyncPeriodMs: NO_RESYNC_MS });
    await until(
      () => seed.managedResource('shoot--ok--one') !== undefined && seed.managedResource('shoot--ok--two') !== undefined,
      'healthy shoots registered',
    );
    await until(() => seed.managedResource('shoot--bad--one') !== undefined, 'failing shoot registered after its faults');
    expect(await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_sync_failures_total', { namespace: 'shoot--bad--one' })).toBe(5);
    expect(
      await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_sync_failures_total', { namespace: 'shoot--ok--one' }),
    ).toBeUndefined();
  });

  it('recreates a ManagedResource deleted behind its back', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered');
    seed.api.remove(RESOURCES.managedResources, 'shoot--foo--bar', MANAGED_RESOURCE_NAME);
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'recreated');
  });

  it('restores a ManagedResource edited by someone else', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered');
    const mr = seed.managedResource('shoot--foo--bar')!;
    seed.api.put(RESOURCES.managedResources, { ...mr, spec: { ...mr.spec, class: 'seed' } } as never);
    await until(() => seed.managedResource('shoot--foo--bar')!.spec.class === undefined, 'class removed again');
  });

  it('adopts a secret whose manifests match but whose brotli bytes differ, without writing', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar', { extension: false });
    seed.addExtension('shoot--foo--bar', undefined, { reconciled: true }); // its lifecycle is not what this test is about
    const { readCaBundle } = await import('../../src/certs/ca-bundle.js');
    const desired = desiredResources({
      namespace: 'shoot--foo--bar',
      caBundle: readCaBundle(seed.caFile),
      serviceNamespace: SERVICE_NAMESPACE,
    });
    const text = brotliDecompressSync(Buffer.from(desired.secret.data['data.yaml.br']!, 'base64'));
    const otherBytes = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).toString('base64');
    const name = `${MANAGED_RESOURCE_NAME}-0000beef`;
    seed.api.put(RESOURCES.secrets, {
      ...desired.secret,
      metadata: { ...desired.secret.metadata, name },
      data: { 'data.yaml.br': otherBytes },
    });
    seed.api.put(RESOURCES.managedResources, managedResourceFor('shoot--foo--bar', name) as never);
    const before = seed.api.writes().length;
    await seed.startController();
    await sleep(3 * RESYNC_MS);
    expect(seed.api.writes().length).toBe(before);
    expect(seed.managedResource('shoot--foo--bar')!.spec.secretRefs).toEqual([{ name }]);
  });

  it('drops the metric series of a namespace once it is deleted, and they do not come back', async () => {
    const seed = await startSeed();
    seed.api.failNext('POST', /\/namespaces\/shoot--gone--failing\/secrets$/, 500, 1000);
    seed.addShoot('shoot--gone--failing');
    seed.addShoot('shoot--gone--registered');
    seed.addShoot('shoot--stay--here');
    const { registry } = await seed.startController();
    const failures = (ns: string) => metricValue(registry, 'http_proxy_migrator_shoot_webhooks_sync_failures_total', { namespace: ns });
    const lastSync = (ns: string) =>
      metricValue(registry, 'http_proxy_migrator_shoot_webhooks_last_sync_timestamp_seconds', { namespace: ns });
    await until(async () => ((await failures('shoot--gone--failing')) ?? 0) >= 1, 'failing namespace has a series');
    await until(
      async () => (await lastSync('shoot--gone--registered')) !== undefined && (await lastSync('shoot--stay--here')) !== undefined,
      'registered',
    );

    for (const ns of ['shoot--gone--failing', 'shoot--gone--registered']) {
      seed.removeExtension(ns);
      seed.api.remove(RESOURCES.managedResources, ns, MANAGED_RESOURCE_NAME);
      seed.api.remove(RESOURCES.namespaces, undefined, ns);
    }
    await until(
      async () => (await failures('shoot--gone--failing')) === undefined && (await lastSync('shoot--gone--registered')) === undefined,
      'series dropped',
    );
    const resyncs = (await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_resyncs_total')) ?? 0;
    await until(
      async () => ((await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_resyncs_total')) ?? 0) >= resyncs + 2,
      'two resyncs',
    );
    expect(await failures('shoot--gone--failing')).toBeUndefined();
    expect(await lastSync('shoot--gone--registered')).toBeUndefined();
    expect(await lastSync('shoot--stay--here')).toBeGreaterThan(0);
    expect(await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_registered')).toBe(1);
  });

  it('leaves a terminating shoot namespace alone', async () => {
    const seed = await startSeed();
    seed.api.put(RESOURCES.namespaces, {
      metadata: { name: 'shoot--foo--gone', labels: { 'gardener.cloud/role': 'shoot' } },
      status: { phase: 'Terminating' },
    });
    seed.addExtension('shoot--foo--gone');
    seed.addShoot('shoot--foo--bar');
    await seed.startController();
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'live shoot registered');
    await sleep(2 * RESYNC_MS);
    expect(seed.managedResource('shoot--foo--gone')).toBeUndefined();
  });

  it('keeps the last good CA bundle when the file becomes unreadable', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    const { registry } = await seed.startController();
    await until(() => seed.delivered('shoot--foo--bar') !== undefined, 'registered');
    const before = seed.managedResource('shoot--foo--bar')!.spec.secretRefs[0]!.name;
    seed.writeCa('not a certificate');
    await until(
      async () => ((await metricValue(registry, 'http_proxy_migrator_shoot_webhooks_ca_bundle_read_failures_total')) ?? 0) > 0,
      'read failure counted',
    );
    expect(seed.managedResource('shoot--foo--bar')!.spec.secretRefs[0]!.name).toBe(before);
  });

  it('survives a dropped watch and an expired resource version', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    await seed.startController();
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered');
    seed.api.expireHistory();
    seed.api.dropWatches();
    seed.addShoot('shoot--foo--later');
    await until(() => seed.managedResource('shoot--foo--later') !== undefined, 'registered after the watch came back');
  });
});
