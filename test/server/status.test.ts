// /status and / of a real webhook server: the document's fields from the shoot index, the review
// counters, the certificates and the garden webhook's calls, and the banners that need action.
import { X509Certificate } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { landscapeProgress } from '../../src/gardener/migration-progress.js';
import { ShootIndex } from '../../src/gardener/shoot-index.js';
import { STATUS_API_VERSION, type WebhookStatusDocument } from '../../src/server/status/documents.js';
import { webhooks } from '../../webhooks/index.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { makeCertDir, type CertDir } from '../support/certs.js';
import { postReview } from '../support/client.js';
import { LARGE, LARGE_SEED_RELEASE, landscapeSeeds, landscapeShoots } from '../support/landscape.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer } from '../support/server.js';
import { summarizeShoot, isSummary } from '../../src/gardener/shoot-summary.js';
import { parseRelease, type Release } from '../../src/gardener/releases.js';
import { SeedIndex, summarizeSeed } from '../../src/gardener/seed-index.js';
import { registerSeedReleaseMetrics } from '../../src/gardener/release-metrics.js';
import type { SeedSummary } from '../../src/gardener/seed-index.js';
import { GATE_CONSTRAINTS } from '../../src/gardener/removal-gates.js';

let shortLived: CertDir;
beforeAll(async () => {
  shortLived = await makeCertDir({ days: 10 });
});

const gardenPath = webhooks.find((w) => w.name === 'gardenlet-config')!.placements.find((p) => p.target === 'garden')!.path!;

const landscapeIndex = (): ShootIndex =>
  ShootIndex.of(
    landscapeShoots()
      .map((s) => summarizeShoot(s, GATE_CONSTRAINTS))
      .filter(isSummary),
  );
const seedIndex = (): SeedIndex => SeedIndex.of(landscapeSeeds().map((s) => summarizeSeed(s) as SeedSummary));
const release = (version: string): Release => (parseRelease(version) as { ok: true; release: Release }).release;

describe('a server with a synced landscape', () => {
  it('reports settings, index, progress, reviews, certificates and the garden webhook', async () => {
    const index = landscapeIndex();
    const seeds = seedIndex();
    const t = await startTestServer({
      webhooks,
      services: { shoots: index, seeds },
      progress: () => landscapeProgress(index, { seeds }),
      shootIndexState: () => ({ source: 'landscape.json', lastSyncAt: 0, seedSource: 'seeds.json' }),
      peerStatusUrl: 'http://peer.example/',
    });
    const before = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;
    expect(before.gardenWebhook).toEqual({ called: false, calls: 0, lastCallAt: null });

    await postReview(`${t.url}/webhooks/gardenlet-config`, t.agent, admissionReview({ operation: 'DELETE' }));
    await postReview(`${t.url}${gardenPath}`, t.agent, admissionReview({ operation: 'DELETE' }));
    const doc = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;

    expect(doc.apiVersion).toBe(STATUS_API_VERSION);
    expect(doc.kind).toBe('WebhookServerStatus');
    expect(doc.peerUrl).toBe('http://peer.example/');
    // The small seed's gardenlet reports no release and no --gardener-version is given: not release-aware.
    expect(doc.settings).toEqual({
      phase: 'tls-tunnel',
      istioTlsTermination: false,
      assumeVpnClientCompatible: false,
      gardenerVersion: null,
      releaseAware: false,
    });
    expect(doc.seedIndex).toEqual({ source: 'seeds.json', synced: true, size: 2 });
    expect(doc.shootIndex).toEqual({
      source: 'landscape.json',
      synced: true,
      size: 10_005,
      lastSync: '1970-01-01T00:00:00.000Z',
      watching: null,
    });
    expect(doc.seeds.map((s) => s.seed)).toEqual(['aws-eu1', 'gcp-us1']);
    expect(doc.seeds[0]!.release).toEqual({
      version: LARGE_SEED_RELEASE,
      source: 'Seed aws-eu1 status.gardener.version',
      releaseAware: true,
    });
    expect(doc.seeds[1]!.release).toEqual({
      version: null,
      source: 'Seed gcp-us1 status.gardener.version (not set); --gardener-version (not given)',
      releaseAware: false,
    });
    const gate = doc.seeds[0]!.gates.find((g) => g.gate === 'RemoveHTTPProxyLegacyPort')!;
    expect(gate).toMatchObject({ counted: 9500, migrated: 6000, blocking: 3500, skipped: 500 });
    // The audit's groups, in its order of reasons, each with its remedy; every shoot counted, 20 named.
    expect(gate.blockingByReason.map(({ reason, count }) => [reason, count])).toEqual([
      ['ignored', LARGE.ignored],
      ['last-operation-failed', LARGE.failed],
      ['constraint-false', LARGE.false],
      ['constraint-missing', LARGE.missing],
    ]);
    expect(gate.blockingByReason.map((g) => g.first.length)).toEqual([20, 20, 20, 20]);
    expect(gate.blockingByReason[0]!.remedy).toBe('Gardener does not reconcile it: remove the annotation shoot.gardener.cloud/ignore');
    expect(gate.blockingByReason[1]!.first[0]).toEqual({
      shoot: 'garden-dev/failed-00000',
      detail: 'Reconcile Error: infrastructure: timed out',
    });
    expect(gate.blockingByReason[3]!.remedy).toMatch(
      /^reconcile it \(annotate gardener.cloud\/operation=reconcile\); UsesUnifiedHTTPProxyPort is set /,
    );
    expect(gate.skippedByReason.find((g) => g.reason === 'being created')!.first[0]).toEqual({
      shoot: 'garden-dev/creating-00000',
      detail: 'being created (Create Processing)',
    });
    expect(doc.reviews['gardenlet-config']!.outcomes).toEqual({ allowed: 2 });
    expect(doc.gardenWebhook.called).toBe(true);
    expect(doc.gardenWebhook.calls).toBe(1);
    expect(doc.certificates.serving.daysLeft).toBeGreaterThan(300);
    expect(doc.certificates.ca!.daysLeft).toBeGreaterThan(300);
    expect(doc.attention.map((a) => a.kind)).toEqual(['release-unknown']);
    expect(doc.attention[0]!.message).toMatch(/^No gardenlet release known for seed gcp-us1: /);
    expect(doc.attention[0]!.message).not.toContain('aws-eu1');
  });

  it('judges seeds without a release of their own by --gardener-version, and says so', async () => {
    const index = landscapeIndex();
    const seeds = seedIndex();
    const fallback = release('v1.139.0');
    const t = await startTestServer({
      webhooks,
      services: { shoots: index, seeds },
      settings: { ...DEFAULT_SETTINGS, gardenerVersion: fallback.version },
      progress: () => landscapeProgress(index, { seeds, fallback }),
      shootIndexState: () => ({ source: 'landscape.json', seedSource: 'garden cluster' }),
    });
    const doc = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;
    expect(doc.settings).toMatchObject({ gardenerVersion: 'v1.139.0', releaseAware: true });
    expect(doc.seeds.map((s) => s.release)).toEqual([
      { version: LARGE_SEED_RELEASE, source: 'Seed aws-eu1 status.gardener.version', releaseAware: true },
      { version: 'v1.139.0', source: '--gardener-version', releaseAware: true },
    ]);
    expect(doc.attention).toEqual([]);
  });

  it('names a seed whose release cannot be read', async () => {
    const index = landscapeIndex();
    const seeds = SeedIndex.of([
      { name: 'aws-eu1', gardenletVersion: 'v1.149.2' },
      { name: 'gcp-us1', gardenletVersion: 'latest' },
    ]);
    const t = await startTestServer({
      webhooks,
      services: { shoots: index, seeds },
      progress: () => landscapeProgress(index, { seeds, fallback: release('v1.139.0') }),
    });
    const doc = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;
    expect(doc.seeds[1]!.release).toEqual({
      version: null,
      source: 'Seed gcp-us1 status.gardener.version',
      releaseAware: false,
      invalid: '"latest" is not a version (expected v1.<minor>.<patch>)',
    });
    expect(doc.attention.map((a) => a.kind)).toEqual(['release-unknown']);
    const page = await request(t.metricsUrl).get('/').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<tr class="release-row" data-seed="gcp-us1" data-release-aware="false">');
    expect(page.text).toContain('<strong>unreadable</strong>: &quot;latest&quot; is not a version');
  });
});

describe('what needs action', () => {
  it('an unsynced index and a certificate expiring within 14 days show as banners, in JSON and on the page', async () => {
    const t = await startTestServer({ webhooks, services: { shoots: new ShootIndex() }, certs: shortLived });
    const doc = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;
    expect(doc.attention.map((a) => a.kind).sort()).toEqual(['certificate-expiring', 'certificate-expiring', 'index-not-synced']);
    expect(doc.seeds).toEqual([]);
    const page = await request(t.metricsUrl).get('/').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<div class="banner" data-kind="index-not-synced">');
    expect(page.text).toMatch(/The serving certificate expires on .* \(9 days left\): renew it\./);
    expect(page.text).not.toContain('Nothing needs action');
  });

  it('no shoot source is a banner too: turning a gate on is refused', async () => {
    const t = await startTestServer({ webhooks });
    const doc = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;
    expect(doc.attention.map((a) => a.kind)).toEqual(['no-shoot-source']);
    expect(doc.shootIndex).toMatchObject({ source: null, synced: false });
  });
});

it('exports the gauges the alerts read', async () => {
  const t = await startTestServer({ webhooks, certs: shortLived });
  const text = (await request(t.metricsUrl).get('/metrics').expect(200)).text;
  const notAfter = Number(/^http_proxy_migrator_certificate_not_after_timestamp_seconds\{certificate="serving"\} (\S+)$/m.exec(text)![1]);
  expect(notAfter * 1000).toBe(Date.parse(new X509Certificate(shortLived.cert).validTo));
  expect(text).toMatch(/^http_proxy_migrator_certificate_not_after_timestamp_seconds\{certificate="ca"\} \d+$/m);
  expect(text).toMatch(/^http_proxy_migrator_garden_webhook_calls_total 0$/m);
});

it('exports per seed whether its gardenlet configuration is release-aware, the release and where it came from', async () => {
  const index = landscapeIndex();
  const seeds = seedIndex();
  const t = await startTestServer({ webhooks, services: { shoots: index, seeds } });
  registerSeedReleaseMetrics(t.server.metrics, index, { seeds });
  const text = (await request(t.metricsUrl).get('/metrics').expect(200)).text;
  expect(text).toContain(`http_proxy_migrator_seed_release_aware{seed="aws-eu1",release="${LARGE_SEED_RELEASE}",source="seed"} 1`);
  expect(text).toContain('http_proxy_migrator_seed_release_aware{seed="gcp-us1",release="",source="none"} 0');
});
