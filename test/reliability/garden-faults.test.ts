// Garden API faults the informer tests (test/gardener) do not cover: the API down (connection refused)
// at start and coming up later, an API that flaps between down, dropped watches, errors and 410s while
// shoots change, and the same seen from outside through `serve` (/readyz and the webhook's answers).
// The rule throughout: gate-enabling configuration is refused until the first complete list, and no
// decision is ever made on an empty or half-built index.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdmissionReview } from '../../src/admission/types.js';
import type { ShootLookup } from '../../src/gardener/services.js';
import { openShootSource, type ShootSource } from '../../src/gardener/shoot-source.js';
import { decide } from '../../webhooks/gardenlet-config/validate.js';
import { sharedCertDir } from '../support/certs.js';
import { spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import { reviewAt, trustingAgent } from '../support/client.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { captureLogs } from '../support/logs.js';
import { admissionReview } from '../support/reviews.js';
import { SHOOTS_FILE, configMapBaseline, configMapEnabling } from '../webhooks/gardenlet-config/fixtures.js';
import { until } from '../support/until.js';

type Shoot = Parameters<FakeKubeApi['put']>[1];
const fixtureShoots = (): Shoot[] => yaml.loadAll(readFileSync(SHOOTS_FILE, 'utf8')).filter(Boolean) as Shoot[];
/** Blocking shoots of seed aws-eu1 for RemoveHTTPProxyLegacyPort in the fixture landscape. */
const ALL_BLOCKERS = ['garden-baz/hotel', 'garden-foo/bravo', 'garden-foo/charlie', 'garden-qux/juliett', 'garden-qux/mike'];
const TUNING = { initialBackoffMs: 20, maxBackoffMs: 200, healthyWatchMs: 200 };

let api: FakeKubeApi | undefined;
let source: ShootSource | undefined;
afterEach(async () => {
  source?.stop();
  source = undefined;
  await api?.stop();
  api = undefined;
});

/** A landscape API that is stopped again at once: its kubeconfig points at a port that refuses. */
async function downApi(): Promise<{ api: FakeKubeApi; port: number; kubeconfig: string }> {
  const fake = await new FakeKubeApi().register(RESOURCES.shoots).startRestartable();
  for (const shoot of fixtureShoots()) fake.put(RESOURCES.shoots, shoot);
  const port = Number(new URL(fake.url).port);
  const kubeconfig = fake.writeKubeconfig();
  await fake.stop();
  return { api: fake, port, kubeconfig };
}

/** What the webhook would answer for turning RemoveHTTPProxyLegacyPort on: the blockers, or the outcome. */
const verdictOf = (shoots: ShootLookup): readonly string[] | string => {
  const decision = decide({ operation: 'CREATE', object: configMapEnabling() }, { shoots });
  return decision.outcome === 'deny' ? decision.blocking[0]!.shoots : decision.outcome;
};
/** The blockers the API holds right now. */
const truthOf = (fake: FakeKubeApi): string[] =>
  ALL_BLOCKERS.filter((key) => fake.get(RESOURCES.shoots, ...(key.split('/') as [string, string])));

describe('the garden API down at start', () => {
  it('refuses gate-enabling configuration and stays unready while the API refuses connections, then syncs when it comes up', async () => {
    const down = await downApi();
    api = down.api;
    const logs = captureLogs('debug');
    source = await openShootSource({ gardenKubeconfig: down.kubeconfig, logger: logs.logger, tuning: TUNING });
    const shoots = source.services.shoots!;
    await until(() => logs.withMessage('shoot list/watch failed; retrying').length >= 3);
    expect(source.readiness.every((c) => c.ready())).toBe(false);
    expect(verdictOf(shoots)).toBe('unavailable');
    // Configuration that turns nothing on is not held up by the outage.
    expect(decide({ operation: 'CREATE', object: configMapBaseline() }, { shoots }).outcome).toBe('admit');
    // One line per retry, with the reason and never a stack.
    const failure = logs.withMessage('shoot list/watch failed; retrying')[0]!;
    expect(String(failure.err)).toMatch(/ECONNREFUSED|connect/);
    expect(String(failure.err)).not.toContain('\n');

    await api.start(down.port);
    await until(() => shoots.synced());
    expect(source.readiness.every((c) => c.ready())).toBe(true);
    expect(verdictOf(shoots)).toEqual(ALL_BLOCKERS);
  });
});

describe('a flapping garden API', () => {
  it('never decides on an empty or half-built index, and converges on the truth after every fault', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots).startRestartable();
    for (const shoot of fixtureShoots()) api.put(RESOURCES.shoots, shoot);
    const port = Number(new URL(api.url).port);
    const logs = captureLogs('debug');
    source = await openShootSource({ gardenKubeconfig: api.writeKubeconfig(), logger: logs.logger, tuning: TUNING });
    const shoots = source.services.shoots!;
    await until(() => shoots.synced());

    // Every state of the blockers the API ever held; each decision must match one of them.
    const fake = api;
    const held = new Set([JSON.stringify(truthOf(fake))]);
    const bad: string[] = [];
    let decisions = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching && decisions < 100_000) {
        const verdict = verdictOf(shoots);
        decisions++;
        if (!held.has(JSON.stringify(verdict))) bad.push(JSON.stringify(verdict));
        await new Promise((r) => setImmediate(r));
      }
    })();

    // Each fault comes with a change the index must not miss: one of the first four blockers goes or
    // comes back. The last one stays, so an empty index would show as a wrong "admit".
    const faults: [string, () => Promise<void>][] = [
      [
        'API restart',
        async () => {
          await fake.stop();
          await new Promise((r) => setTimeout(r, 150));
          await fake.start(port);
        },
      ],
      ['dropped watches', async () => fake.dropWatches()],
      [
        'dropped watches and failing requests',
        async () => {
          fake.failNext('GET', /\/shoots$/, 503, 3);
          fake.dropWatches();
        },
      ],
      [
        '410 Gone',
        async () => {
          fake.expireHistory();
          fake.dropWatches();
        },
      ],
      [
        'API restart with its history lost',
        async () => {
          await fake.stop();
          fake.expireHistory();
          await fake.start(port);
        },
      ],
    ];
    const shootsByKey = new Map(fixtureShoots().map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
    try {
      for (let cycle = 0; cycle < 2; cycle++) {
        for (const [i, [name, fault]] of faults.entries()) {
          const key = ALL_BLOCKERS[(i + cycle) % (ALL_BLOCKERS.length - 1)]!;
          const [namespace, shootName] = key.split('/') as [string, string];
          const present = fake.get(RESOURCES.shoots, namespace, shootName);
          await fault();
          // The change lands while the index is cut off; both states are legitimate from now on.
          if (present) fake.remove(RESOURCES.shoots, namespace, shootName);
          else fake.put(RESOURCES.shoots, shootsByKey.get(key)!);
          held.add(JSON.stringify(truthOf(fake)));
          await until(() => JSON.stringify(verdictOf(shoots)) === JSON.stringify(truthOf(fake))).catch(() => {
            throw new Error(
              `after ${name} (cycle ${cycle}) the index did not converge: ${JSON.stringify(verdictOf(shoots))} vs ${JSON.stringify(truthOf(fake))}`,
            );
          });
        }
      }
    } finally {
      watching = false;
      await watcher;
    }
    expect(bad).toEqual([]);
    expect(decisions).toBeGreaterThan(100);
    expect(shoots.synced()).toBe(true);
    expect(logs.withMessage('relisting shoots').length).toBeGreaterThanOrEqual(2);
  });
});

describe('through `serve --garden-kubeconfig`', () => {
  it('is unready and refuses gate-enabling configuration with 503 until the API is up, then decides', async () => {
    const down = await downApi();
    api = down.api;
    const certs = await sharedCertDir();
    const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS, '--garden-kubeconfig', down.kubeconfig]);
    const url = serve.url.replace('localhost', '127.0.0.1');
    const readyz = `${serve.metricsUrl.replace('localhost', '127.0.0.1')}/readyz`;
    const agent = trustingAgent(certs.caCert);
    const answer = async (): Promise<NonNullable<AdmissionReview['response']>> =>
      (await reviewAt(`${url}/webhooks/gardenlet-config`, agent, admissionReview({ object: configMapEnabling() }))).response!;

    const notReady = await fetch(readyz);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain('shoot-index-synced');
    expect(await answer()).toMatchObject({ allowed: false, status: { code: 503 } });

    await api.start(down.port);
    // The informer's backoff is at most a few seconds this early.
    await expect.poll(async () => (await fetch(readyz)).status, { timeout: 15_000, interval: 100 }).toBe(200);
    const decided = await answer();
    expect(decided).toMatchObject({ allowed: false, status: { code: 403 } });
    for (const blocker of ALL_BLOCKERS) expect(decided.status?.message).toContain(blocker.split('/')[1]);

    agent.destroy();
    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
  }, 30_000);
});
