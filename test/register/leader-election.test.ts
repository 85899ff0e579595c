// Only the Lease holder writes: one leader among replicas, a quick hand-over on release, and a
// step-down when renewals fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LeaderElector, microTime } from '../../src/register/leader-election.js';
import { pooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { SeedClient } from '../../src/register/seed-client.js';
import { RESOURCES } from '../support/fake-kube-api.js';
import { Registry } from 'prom-client';
import { SERVICE_NAMESPACE, metricValue, silentLogger, sleep, startReplica, startSeed, until } from './harness.js';

const releaseTiming = { leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 100 };
const timing = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 };

describe('leader election', () => {
  it('formats renewTime as a MicroTime with six fractional digits', () => {
    expect(microTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678000Z');
  });

  it('elects one leader, hands over on release, and records the transition', async () => {
    const seed = await startSeed();
    const events: string[] = [];
    const elector = (id: string) =>
      new LeaderElector({
        client: new SeedClient(pooledKubeConfig(seed.kubeConfig)),
        namespace: SERVICE_NAMESPACE,
        name: 'lease',
        identity: id,
        // A lease that outlives the test's patience: b can only lead this soon because a released it.
        ...releaseTiming,
        logger: silentLogger,
        onStartedLeading: () => void events.push(`${id} leads`),
        onStoppedLeading: () => void events.push(`${id} stops`),
      });
    const a = elector('a');
    const b = elector('b');
    a.start();
    await until(() => a.isLeader(), 'a leads');
    b.start();
    await sleep(5 * timing.retryPeriodMs);
    expect(b.isLeader()).toBe(false);

    await a.stop();
    await until(() => b.isLeader(), 'b takes over before the lease could expire', releaseTiming.leaseDurationMs / 2);
    expect(events).toEqual(['a leads', 'a stops', 'b leads']);
    const lease = seed.api.get(RESOURCES.leases, SERVICE_NAMESPACE, 'lease') as unknown as { spec: { renewTime: string } };
    expect(lease.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
      leaseDurationSeconds: releaseTiming.leaseDurationMs / 1000,
    });
    expect(lease.spec.renewTime).toMatch(/\.\d{6}Z$/);
    await b.stop();
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    const seed = await startSeed();
    let leading = false;
    const a = new LeaderElector({
      client: new SeedClient(pooledKubeConfig(seed.kubeConfig)),
      namespace: SERVICE_NAMESPACE,
      name: 'lease',
      identity: 'a',
      ...timing,
      logger: silentLogger,
      onStartedLeading: () => void (leading = true),
      onStoppedLeading: () => void (leading = false),
    });
    a.start();
    await until(() => leading, 'a leads');
    seed.api.failNext('PUT', /\/leases\/lease$/, 500, 1000);
    await until(() => !leading, 'a stepped down', 3 * timing.leaseDurationMs);
    expect(a.isLeader()).toBe(false);
    await a.stop();
  });

  it('refuses timings that cannot work', () => {
    expect(
      () =>
        new LeaderElector({
          client: {} as SeedClient,
          namespace: 'n',
          name: 'l',
          leaseDurationMs: 1000,
          renewDeadlineMs: 2000,
          logger: silentLogger,
          onStartedLeading: () => {},
          onStoppedLeading: () => {},
        }),
    ).toThrow('leaseDuration > renewDeadline > retryPeriod');
  });
});

describe('registration with several replicas', () => {
  it('lets only the lease holder reconcile, and the standby take over', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    const replica = async () => {
      const registry = new Registry();
      const running = await startReplica(seed, timing, registry);
      return { running, registry };
    };
    const one = await replica();
    await until(() => one.running.isLeader(), 'first replica leads');
    const two = await replica();
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered by the leader');
    await sleep(3 * timing.retryPeriodMs);
    expect(two.running.isLeader()).toBe(false);
    expect(two.running.ready()).toBe(true); // a standby is healthy
    expect(await metricValue(one.registry, 'http_proxy_migrator_shoot_webhooks_leader')).toBe(1);
    expect(await metricValue(two.registry, 'http_proxy_migrator_shoot_webhooks_leader')).toBe(0);

    await one.running.stop();
    expect(await metricValue(one.registry, 'http_proxy_migrator_shoot_webhooks_leader')).toBe(0);
    await until(() => two.running.isLeader() && two.running.ready(), 'second replica leads');
    seed.addShoot('shoot--foo--next');
    await until(() => seed.managedResource('shoot--foo--next') !== undefined, 'registered by the new leader');
    await two.running.stop();
  });

  it('keeps retrying the start while leading when the CA bundle is unusable, and recovers', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    const good = readFileSync(seed.caFile, 'utf8');
    const running = await startReplica(seed, timing);
    seed.writeCa('garbage'); // before the lease is even read: the leader's first start fails
    await until(() => running.isLeader(), 'leads');
    await sleep(300);
    expect(running.ready()).toBe(false);
    expect(seed.managedResource('shoot--foo--bar')).toBeUndefined();
    seed.writeCa(good);
    await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered after the bundle was fixed', 5000);
    expect(running.ready()).toBe(true);
    await running.stop();
  });
});
