// Every metric the rules and the dashboard read exists in a real scrape of the two processes (`serve`
// and `register`, as built), and every recorded series they read is defined by a recording rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { webhooks } from '../../webhooks/index.js';
import { monitoringObjects } from '../../src/manifests/monitoring/objects.js';
import { dashboard } from '../../src/manifests/monitoring/dashboard.js';
import { alertRuleGroups, namesIn, recordingRuleGroups, type RecordingRule } from '../../src/manifests/monitoring/rules.js';
import { startSeed, until } from '../register/harness.js';
import { sharedCertDir } from '../support/certs.js';
import { spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import { postReview, trustingAgent } from '../support/client.js';
import { LARGE_SEED_RELEASE, writeLandscape, writeLandscapeSeeds } from '../support/landscape.js';
import { spawnRegister } from '../support/register-process.js';
import { admissionReview } from '../support/reviews.js';

const dir = mkdtempSync(join(tmpdir(), 'hpm-metric-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Names a query can select in a Prometheus text exposition: sample names, and every declared family
 * (a labelled counter has no sample until its first increment, yet the process exports it).
 */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
    const family = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/.exec(line);
    if (!family) continue;
    names.add(family[1]!);
    if (family[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family[1]! + suffix);
  }
  return names;
}

function dashboardExpressions(): string[] {
  const board = dashboard() as { panels: { targets: { expr: string }[] }[] };
  return board.panels.flatMap((p) => p.targets.map((t) => t.expr));
}

it('names only metrics the processes export, and recorded series the cache rules define', async () => {
  const certs = await sharedCertDir();
  const serve = await spawnServe([
    '--cert-dir',
    certs.dir,
    ...LOOPBACK_SERVE_ARGS,
    '--shoots',
    writeLandscape(dir),
    '--seeds',
    writeLandscapeSeeds(dir),
    '--log-level',
    'silent',
  ]);
  // One review through each webhook path, the garden's included, so the per-request series exist.
  const agent = trustingAgent(certs.caCert);
  const gardenlet = webhooks.find((w) => w.name === 'gardenlet-config')!;
  const gardenPath = gardenlet.placements.find((p) => p.target === 'garden')!.path!;
  for (const path of [...webhooks.map((w) => w.path), gardenPath]) {
    await postReview(`${serve.url.replace('localhost', '127.0.0.1')}${path}`, agent, admissionReview({ operation: 'DELETE' }));
  }
  agent.destroy();
  const serveScrape = await (await fetch(`${serve.metricsUrl}/metrics`)).text();

  const seed = await startSeed();
  seed.addShoot('shoot--foo--bar');
  const register = await spawnRegister([
    '--kubeconfig',
    seed.api.writeKubeconfig(dir),
    '--ca-file',
    seed.caFile,
    '--resync-period',
    '200ms',
    '--metrics-port',
    '0',
    '--no-leader-elect',
    '--log-level',
    'silent',
  ]);
  await until(() => seed.managedResource('shoot--foo--bar') !== undefined, 'registered', 10_000);
  const registerScrape = await (await fetch(`${register.statusUrl}/metrics`)).text();

  const exported = new Set([...exposedNames(serveScrape), ...exposedNames(registerScrape)]);
  const recorded = new Set(
    recordingRuleGroups()
      .flatMap((g) => g.rules as RecordingRule[])
      .map((r) => r.record),
  );
  const expressions = [
    ...recordingRuleGroups().flatMap((g) => g.rules.map((r) => r.expr)),
    ...alertRuleGroups().flatMap((g) => g.rules.map((r) => r.expr)),
    ...dashboardExpressions(),
  ];
  const named = new Set(expressions.flatMap(namesIn));
  expect(named.size).toBeGreaterThan(10);
  for (const name of named) {
    if (name.startsWith('seed:')) expect(recorded, `${name} is recorded by a cache rule`).toContain(name);
    else expect(exported, `${name} is in a real scrape`).toContain(name);
  }
  // The per seed and gate gauges carry the landscape's seeds.
  expect(serveScrape).toMatch(
    /^http_proxy_migrator_gate_shoots\{seed="aws-eu1",gate="RemoveHTTPProxyLegacyPort",state="migrated"\} 6000$/m,
  );
  expect(serveScrape).toMatch(/^http_proxy_migrator_garden_webhook_calls_total 1$/m);
  expect(serveScrape).toContain(`http_proxy_migrator_seed_release_aware{seed="aws-eu1",release="${LARGE_SEED_RELEASE}",source="seed"} 1`);
  expect(serveScrape).toContain(
    'http_proxy_migrator_gate_shoots_by_reason{seed="aws-eu1",gate="RemoveHTTPProxyLegacyPort",state="blocking",reason="last-operation-failed"} 80',
  );
});

it('the cache Prometheus keeps every raw metric the recording rules read', () => {
  const cache = monitoringObjects({ withRegister: true }).find(
    (o) => (o as { metadata: { name: string } }).metadata.name === 'cache-http-proxy-migrator',
  ) as {
    spec: { podMetricsEndpoints: { metricRelabelings: { regex: string }[] }[] };
  };
  const keep = new RegExp(cache.spec.podMetricsEndpoints[0]!.metricRelabelings[0]!.regex);
  for (const name of recordingRuleGroups().flatMap((g) => g.rules.flatMap((r) => namesIn(r.expr)))) expect(name, name).toMatch(keep);
});
