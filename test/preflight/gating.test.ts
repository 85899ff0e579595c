// End to end: with a seed kubeconfig the server mutates the apiserver-proxy only while the seed's Istio
// ingress routes the phase, and admits it unchanged (warning + metric) while it does not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { createLogger } from '../../src/observability/logger.js';
import { openSeedIngress, type SeedSource } from '../../src/preflight/seed-source.js';
import { webhooks } from '../../webhooks/index.js';
import { reviewAt } from '../support/client.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { patchOf } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { FIXTURE, fixtureDocuments } from './fixtures.js';
import { until } from '../support/until.js';

type Obj = Parameters<FakeKubeApi['put']>[1];
const REVIEW = yaml.load(
  readFileSync(join(import.meta.dirname, '../fixtures/webhook/admissionreview.configmap-create.legacy.yaml'), 'utf8'),
) as { request: { uid: string } };

const api = new FakeKubeApi().register(RESOURCES.envoyFilters, RESOURCES.gateways);
let seed: SeedSource;
let served: TestServer;

beforeAll(async () => {
  await api.start();
  for (const document of fixtureDocuments(FIXTURE.legacy) as Obj[]) {
    api.put(document.kind === 'Gateway' ? RESOURCES.gateways : RESOURCES.envoyFilters, document);
  }
  seed = await openSeedIngress({
    seedKubeconfig: api.writeKubeconfig(),
    settings: DEFAULT_SETTINGS,
    logger: createLogger('silent'),
    refreshMs: 100,
  });
  served = await startTestServer({ webhooks, services: seed.services });
});
afterAll(async () => {
  seed.stop();
  await api.stop();
});

async function reviewConfigMap(uid: string) {
  return reviewAt(`${served.url}/webhooks/apiserver-proxy/shoot--foo--bar`, served.agent, {
    ...REVIEW,
    request: { ...REVIEW.request, uid },
  });
}

describe('serve --seed-kubeconfig', () => {
  it('admits the apiserver-proxy unchanged while the seed still guards the tunnel port with ext_authz, then migrates it once the seed routes it', async () => {
    await until(() => seed.services.ingress!.check().reason !== 'seed ingress not checked yet');
    const blocked = await reviewConfigMap('before-seed');
    expect(blocked.response).toMatchObject({ uid: 'before-seed', allowed: true });
    expect(blocked.response!.patch).toBeUndefined();
    expect(blocked.response!.warnings?.join(' ')).toMatch(/ingress/i);
    const metrics = await (await fetch(`${served.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/http_proxy_migrator_webhook_skipped_total\{webhook="apiserver-proxy",reason="ingress-not-ready"\} 1/);

    for (const document of fixtureDocuments(FIXTURE.phase1) as Obj[]) api.put(RESOURCES.envoyFilters, document);
    await until(() => seed.services.ingress!.check().ready);
    const migrated = await reviewConfigMap('after-seed');
    expect(patchOf(migrated.response!)).toEqual([expect.objectContaining({ op: 'replace', path: '/data/envoy.yaml' })]);
  });
});
