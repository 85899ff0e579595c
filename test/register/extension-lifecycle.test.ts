// Gardener's extension contract against the loopback seed: gardenlet creates the Extension with
// `gardener.cloud/operation: reconcile` and waits for lastOperation Succeeded, observedGeneration and the
// annotation gone; deletion waits for the finalizer; migrate and restore move a shoot between seeds.
import { describe, expect, it } from 'vitest';
import { MANAGED_RESOURCE_NAME } from '../../src/register/desired.js';
import { FINALIZER, OPERATION_ANNOTATION } from '../../src/register/extension-contract.js';
import { RESOURCES } from '../support/fake-kube-api.js';
import { NO_RESYNC_MS, RESYNC_MS, type Seed, type StoredExtension, sleep, startSeed, until } from './harness.js';

const NS = 'shoot--foo--bar';
const reportedBy = (seed: Seed): StoredExtension => seed.extension(NS)!;
const isDone = (ext: StoredExtension | undefined, type: string): boolean =>
  ext?.status?.lastOperation?.type === type &&
  ext.status.lastOperation.state === 'Succeeded' &&
  ext.status.observedGeneration === ext.metadata.generation &&
  ext.metadata.annotations?.[OPERATION_ANNOTATION] === undefined;
const extensionWrites = (seed: Seed): string[] =>
  seed.api
    .writes()
    .filter((r) => r.path.includes('/extensions/'))
    .map((r) => `${r.method} ${r.path}`);

describe('Extension lifecycle', () => {
  it('reports a created Extension as gardenlet waits for it, and then writes nothing more', async () => {
    const seed = await startSeed();
    seed.addShoot(NS, { extension: false });
    seed.addExtension(NS, undefined, { annotations: { [OPERATION_ANNOTATION]: 'reconcile' } });
    await seed.startController();
    await until(() => isDone(seed.extension(NS), 'Create'), 'Create reported');
    const ext = reportedBy(seed);
    expect(ext.metadata.finalizers).toEqual([FINALIZER]);
    expect(ext.status!.lastOperation).toMatchObject({ state: 'Succeeded', progress: 100, description: 'shoot webhooks registered' });
    expect(ext.status!.lastOperation!.lastUpdateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ext.status!.lastError).toBeUndefined();
    expect(seed.managedResource(NS)).toBeDefined();

    await sleep(RESYNC_MS); // our own writes settle
    const writes = extensionWrites(seed).length;
    await sleep(3 * RESYNC_MS);
    expect(extensionWrites(seed).length).toBe(writes);
  });

  it('reconciles again when gardenlet asks, and reports it no earlier than the request', async () => {
    const seed = await startSeed();
    seed.addShoot(NS);
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => isDone(seed.extension(NS), 'Create'), 'created');
    await sleep(1000); // a later second, so that the new lastUpdateTime must differ
    const requested = new Date();
    const ext = reportedBy(seed);
    seed.api.put(RESOURCES.extensions, {
      ...ext,
      metadata: {
        ...ext.metadata,
        annotations: { [OPERATION_ANNOTATION]: 'reconcile', 'gardener.cloud/timestamp': requested.toISOString() },
      },
    } as never);
    await until(() => isDone(seed.extension(NS), 'Reconcile'), 'Reconcile reported');
    const reported = new Date(reportedBy(seed).status!.lastOperation!.lastUpdateTime).getTime();
    expect(reported).toBeGreaterThanOrEqual(Math.floor(requested.getTime() / 1000) * 1000); // gardenlet's check
  });

  it('observes a new generation without being asked', async () => {
    const seed = await startSeed();
    seed.addShoot(NS);
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => isDone(seed.extension(NS), 'Create'), 'created');
    const ext = reportedBy(seed);
    seed.api.put(RESOURCES.extensions, { ...ext, spec: { ...ext.spec, providerConfig: { any: 1 } } } as never);
    await until(() => reportedBy(seed).metadata.generation === 2 && isDone(seed.extension(NS), 'Reconcile'), 'generation 2 observed');
  });

  it('reports a failure as Error with a one-line lastError, retries with backoff, then clears it', async () => {
    const seed = await startSeed();
    seed.api.failNext('POST', new RegExp(`/namespaces/${NS}/secrets$`), 500, 3);
    seed.addShoot(NS);
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => reportedBy(seed)?.status?.lastOperation?.state === 'Error', 'Error reported');
    const failed = reportedBy(seed).status!;
    expect(failed.lastOperation).toMatchObject({ type: 'Create', progress: 50 });
    expect(failed.lastError!.description).toMatch(/^cannot register the shoot webhooks: create secret .*HTTP 500/);
    expect(failed.lastError!.description).not.toContain('\n');
    await until(() => isDone(seed.extension(NS), 'Create'), 'Create succeeded after the faults');
    expect(reportedBy(seed).status!.lastError).toBeUndefined();
  });

  it('waits out its backoff after a failure: its own Error status does not trigger it again', async () => {
    const seed = await startSeed();
    seed.api.failNext('POST', new RegExp(`/namespaces/${NS}/secrets$`), 500, 100);
    seed.addShoot(NS);
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    await until(() => reportedBy(seed)?.status?.lastOperation?.state === 'Error', 'Error reported');
    await sleep(3 * RESYNC_MS);
    expect(seed.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/secrets')).length).toBe(1);
  });

  it('on deletion removes the webhooks, reports Delete and releases its finalizer only', async () => {
    const seed = await startSeed();
    seed.addShoot(NS);
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => isDone(seed.extension(NS), 'Create'), 'created');
    const secret = seed.managedResource(NS)!.spec.secretRefs[0]!.name;
    const ext = reportedBy(seed);
    seed.api.put(RESOURCES.extensions, { ...ext, metadata: { ...ext.metadata, finalizers: ['gardener.cloud/other', FINALIZER] } } as never);

    seed.deleteExtension(NS);
    await until(() => reportedBy(seed).metadata.finalizers?.length === 1, 'our finalizer removed');
    expect(reportedBy(seed).metadata.finalizers).toEqual(['gardener.cloud/other']);
    expect(reportedBy(seed).status!.lastOperation).toMatchObject({ type: 'Delete', state: 'Succeeded', progress: 100 });
    expect(seed.managedResource(NS)).toBeUndefined();
    expect(seed.api.get(RESOURCES.secrets, NS, secret)).toBeUndefined();
  });

  it('lets a deleted Extension go from a terminating namespace', async () => {
    const seed = await startSeed();
    seed.addShoot(NS);
    await seed.startController({ resyncPeriodMs: NO_RESYNC_MS });
    await until(() => isDone(seed.extension(NS), 'Create'), 'created');
    const ns = seed.api.get(RESOURCES.namespaces, undefined, NS)!;
    seed.api.put(RESOURCES.namespaces, { ...ns, status: { phase: 'Terminating' } });
    seed.deleteExtension(NS);
    await until(() => seed.extension(NS) === undefined, 'Extension gone');
    expect(seed.managedResource(NS)).toBeUndefined();
  });

  it('with allShoots touches no Extension-less namespace, and keeps the webhooks when an Extension goes', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--plain', { extension: false });
    seed.addShoot(NS);
    await seed.startController({ allShoots: true, resyncPeriodMs: NO_RESYNC_MS });
    await until(() => seed.managedResource('shoot--foo--plain') !== undefined && isDone(seed.extension(NS), 'Create'), 'registered');
    seed.deleteExtension(NS);
    await until(() => seed.extension(NS) === undefined, 'Extension released');
    expect(seed.managedResource(NS)).toBeDefined();
    expect(extensionWrites(seed).every((w) => w.includes(`/namespaces/${NS}/`))).toBe(true);
  });

  it('migrates: keeps the objects in the shoot, drops every finalizer, and stays away afterwards', async () => {
    const seed = await startSeed();
    seed.addShoot(NS);
    await seed.startController();
    await until(() => isDone(seed.extension(NS), 'Create'), 'created');
    // The resource manager's finalizer holds the ManagedResource, so its last state stays visible.
    const mr = seed.api.get(RESOURCES.managedResources, NS, MANAGED_RESOURCE_NAME)!;
    seed.api.put(RESOURCES.managedResources, {
      ...mr,
      metadata: { ...mr.metadata, finalizers: ['resources.gardener.cloud/gardener-resource-manager'] },
    });

    seed.requestOperation(NS, 'migrate');
    await until(() => isDone(seed.extension(NS), 'Migrate'), 'Migrate reported');
    expect(reportedBy(seed).metadata.finalizers).toEqual([]);
    const deleting = seed.managedResource(NS)!;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.spec.keepObjects).toBe(true);

    seed.api.remove(RESOURCES.managedResources, NS, MANAGED_RESOURCE_NAME); // the resource manager lets it go
    await sleep(3 * RESYNC_MS);
    expect(seed.managedResource(NS)).toBeUndefined();
  });

  it('restores on a new seed: waits for the state, then registers, reports Restore and removes the annotation', async () => {
    const seed = await startSeed();
    seed.addShoot(NS, { extension: false });
    // gardenlet creates it on the new seed with this annotation until it has written the shoot's state back.
    seed.addExtension(NS, undefined, { annotations: { [OPERATION_ANNOTATION]: 'wait-for-state' } });
    await seed.startController();
    await sleep(2 * RESYNC_MS);
    expect(seed.managedResource(NS)).toBeUndefined();
    expect(extensionWrites(seed)).toEqual([]);

    seed.requestOperation(NS, 'restore');
    await until(() => isDone(seed.extension(NS), 'Restore'), 'Restore reported');
    expect(reportedBy(seed).metadata.finalizers).toEqual([FINALIZER]);
    expect(seed.managedResource(NS)).toBeDefined();
  });
});
