// /status and / of a real webhook server: the document's fields from the shoot index, the review
// counters, the certificates and the garden webhook's calls, and the banners that need action.
import { X509Certificate } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { landscapeProgress } from '../../src/gardener/migration-progress.js';
import { ShootIndex } from '../../src/gardener/shoot-index.js';
import { STATUS_API_VERSION, type WebhookStatusDocument } from '../../src/server/status/documents.js';
import { webhooks } from '../../webhooks/index.js';
import { makeCertDir, type CertDir } from '../support/certs.js';
import { postReview } from '../support/client.js';
import { landscapeShoots } from '../support/landscape.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer } from '../support/server.js';
import { summarizeShoot, isSummary } from '../../src/gardener/shoot-summary.js';
import { GATE_CONSTRAINTS } from '../../webhooks/gardenlet-config/gates.js';

let shortLived: CertDir;
beforeAll(async () => {
  shortLived = await makeCertDir({ days: 10 });
});

const gardenPath = webhooks.find((w) => w.name === 'gardenlet-config')!.placements.find((p) => p.target === 'garden')!.path!;

describe('a server with a synced landscape', () => {
  it('reports settings, index, progress, reviews, certificates and the garden webhook', async () => {
    const index = ShootIndex.of(landscapeShoots().map((s) => summarizeShoot(s, GATE_CONSTRAINTS)).filter(isSummary));
    const t = await startTestServer({ webhooks, services: { shoots: index }, progress: () => landscapeProgress(index), shootIndexState: () => ({ source: 'landscape.json', lastSyncAt: 0 }), peerStatusUrl: 'http://peer.example/' });
    const before = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;
    expect(before.gardenWebhook).toEqual({ called: false, calls: 0, lastCallAt: null });

    await postReview(`${t.url}/webhooks/gardenlet-config`, t.agent, admissionReview({ operation: 'DELETE' }));
    await postReview(`${t.url}${gardenPath}`, t.agent, admissionReview({ operation: 'DELETE' }));
    const doc = (await request(t.metricsUrl).get('/status').expect(200)).body as WebhookStatusDocument;

    expect(doc.apiVersion).toBe(STATUS_API_VERSION);
    expect(doc.kind).toBe('WebhookServerStatus');
    expect(doc.peerUrl).toBe('http://peer.example/');
    expect(doc.settings).toEqual({ phase: 'tls-tunnel', istioTlsTermination: false, assumeVpnClientCompatible: false, gardenerRelease: null, releaseAware: false });
    expect(doc.shootIndex).toEqual({ source: 'landscape.json', synced: true, size: 10_004, lastSync: '1970-01-01T00:00:00.000Z', watching: null });
    expect(doc.seeds.map((s) => s.seed)).toEqual(['aws-eu1', 'gcp-us1']);
    const gate = doc.seeds[0]!.gates.find((g) => g.gate === 'RemoveHTTPProxyLegacyPort')!;
    expect(gate).toMatchObject({ counted: 9500, migrated: 6000, blocking: 3500, skipped: 500 });
    expect(gate.blockingByReason[0]).toMatchObject({ reason: 'constraint missing', count: 3000 });
    expect(gate.blockingByReason[0]!.first).toHaveLength(20);
    expect(gate.blockingByReason[0]!.remedy).toMatch(/reconcile/);
    expect(gate.skippedByReason.find((g) => g.reason === 'being created')!.first[0]).toEqual({ shoot: 'garden-dev/creating-00000', detail: 'being created (Create Processing)' });
    expect(doc.reviews['gardenlet-config']!.outcomes).toEqual({ allowed: 2 });
    expect(doc.gardenWebhook.called).toBe(true);
    expect(doc.gardenWebhook.calls).toBe(1);
    expect(doc.certificates.serving.daysLeft).toBeGreaterThan(300);
    expect(doc.certificates.ca!.daysLeft).toBeGreaterThan(300);
    expect(doc.attention).toEqual([]);
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
