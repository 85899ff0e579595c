// The register controller's /status, page and gauges, from a real controller against the loopback seed:
// registered and failing namespaces, the error of each, the CA bundle in force, and the banner.
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { pooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { startRegistration, type RunningRegistration } from '../../src/register/registration.js';
import { registerRegistrationStatusMetrics, registrationStatus } from '../../src/register/status.js';
import { createOperatorApp } from '../../src/server/operator-app.js';
import type { RegistrationStatusDocument } from '../../src/server/status/documents.js';
import { registerPage } from '../../src/server/status/register-page.js';
import { NO_RESYNC_MS, SERVICE_NAMESPACE, silentLogger, startSeed, until } from './harness.js';

let registration: RunningRegistration | undefined;
afterEach(async () => {
  await registration?.stop();
  registration = undefined;
});

it('reports registered and failing shoot namespaces with their error, the CA bundle, and a banner', async () => {
  const seed = await startSeed();
  // Fails on every attempt while the test runs: the namespace stays failing.
  seed.api.failNext('POST', /\/namespaces\/shoot--bad--one\/secrets$/, 500, 1_000_000);
  seed.addShoot('shoot--bad--one');
  seed.addShoot('shoot--ok--one');
  seed.addShoot('shoot--not--opted', { extension: false });
  const registry = new Registry();
  registration = await startRegistration({
    cluster: pooledKubeConfig(seed.kubeConfig),
    caFile: seed.caFile,
    settings: { serviceNamespace: SERVICE_NAMESPACE },
    resyncPeriodMs: NO_RESYNC_MS,
    backoff: { baseMs: 20, maxMs: 200 },
    registry,
    logger: silentLogger,
  });
  const inputs = { registration, caFile: seed.caFile, startedAt: 0, peerUrl: 'http://localhost:8080/' };
  registerRegistrationStatusMetrics(registry, inputs);
  const app = createOperatorApp({ registry, readiness: () => [], status: () => registrationStatus(inputs), page: registerPage });
  await until(
    () => registration!.snapshot()?.registered === 1 && registration!.snapshot()?.failed.length === 1,
    'one registered, one failing',
  );

  const doc = (await request(app).get('/status').expect(200)).body as RegistrationStatusDocument;
  expect(doc.kind).toBe('RegisterControllerStatus');
  expect(doc).toMatchObject({ leader: true, ready: true, peerUrl: 'http://localhost:8080/' });
  expect(doc.shoots).toMatchObject({ registered: 1, pending: 0, failed: 1, firstPending: [] });
  expect(doc.shoots.firstFailed[0]!.namespace).toBe('shoot--bad--one');
  expect(doc.shoots.firstFailed[0]!.error).not.toContain('\n');
  expect(doc.shoots.firstFailed[0]!.error.length).toBeGreaterThan(0);
  expect(doc.caBundle.file).toBe(seed.caFile);
  expect(doc.caBundle.certificates).toHaveLength(1);
  expect(doc.caBundle.certificates[0]!.daysLeft).toBeGreaterThan(300);
  expect(doc.attention.map((a) => a.kind)).toEqual(['registration-failures']);

  const page = await request(app).get('/').expect(200);
  expect(page.text).toContain('<div class="banner" data-kind="registration-failures">');
  expect(page.text).toContain('<td>shoot--bad--one</td>');
  expect(page.text).toContain('<a href="http://localhost:8080/">Webhook server status</a>');

  const metrics = (await request(app).get('/metrics').expect(200)).text;
  expect(metrics).toMatch(/^http_proxy_migrator_shoot_webhooks_failing 1$/m);
  expect(metrics).toMatch(/^http_proxy_migrator_shoot_webhooks_pending 0$/m);
  expect(metrics).toMatch(/^http_proxy_migrator_certificate_not_after_timestamp_seconds\{certificate="ca-bundle"\} \d+$/m);
});
