// The live preflight against a loopback API server holding the seed's Istio objects: real HTTP, real client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { loadSeedKubeConfig, SeedIngressReadiness } from '../../src/preflight/live.js';
import { phaseTraffic } from '../../src/preflight/phase-traffic.js';
import { openSeedIngress } from '../../src/preflight/seed-source.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { FIXTURE, fixtureDocuments } from './fixtures.js';

type Obj = Parameters<FakeKubeApi['put']>[1];

const api = new FakeKubeApi().register(RESOURCES.envoyFilters, RESOURCES.gateways);
let kubeconfig: string;

beforeAll(async () => {
  await api.start();
  kubeconfig = api.writeKubeconfig();
});
afterAll(() => api.stop());

function putFixture(name: string, namespace?: string): void {
  for (const document of fixtureDocuments(name) as Obj[]) {
    const object = namespace ? { ...document, metadata: { ...document.metadata, namespace } } : document;
    api.put(object.kind === 'Gateway' ? RESOURCES.gateways : RESOURCES.envoyFilters, object);
  }
}

function clear(): void {
  for (const type of [RESOURCES.envoyFilters, RESOURCES.gateways]) {
    for (const object of api.list(type)) api.remove(type, object.metadata.namespace, object.metadata.name);
  }
}

function readiness(phase: 'tls-tunnel' | 'unified', maxStaleMs?: number): SeedIngressReadiness {
  return new SeedIngressReadiness({
    kubeConfig: loadSeedKubeConfig(kubeconfig),
    traffic: phaseTraffic({ phase, istioTlsTermination: false }),
    logger: createLogger('silent'),
    maxStaleMs,
  });
}

describe('live seed preflight', () => {
  it('is not ready before its first check', () => {
    expect(readiness('unified').check()).toEqual({ ready: false, reason: 'seed ingress not checked yet' });
  });

  it('follows the seed: ready once the unified objects are there, not ready when they go', async () => {
    clear();
    putFixture(FIXTURE.unifiedLegacyTlsTunnel);
    const ingress = readiness('unified');
    await ingress.refresh();
    expect(ingress.check()).toEqual({
      ready: false,
      reason: 'istio-ingress: no Gateway opens port 8443 for HTTP, so the ingress does not listen there',
    });
    putFixture(FIXTURE.unifiedHttpProxy);
    await ingress.refresh();
    expect(ingress.check()).toEqual({ ready: true });
    api.remove(RESOURCES.envoyFilters, 'istio-ingress', 'http-proxy');
    await ingress.refresh();
    expect(ingress.check().ready).toBe(false);
  });

  it('judges the other phase from the same lists, for shoots whose path names it as their target', async () => {
    clear();
    putFixture(FIXTURE.phase1);
    const ingress = new SeedIngressReadiness({
      kubeConfig: loadSeedKubeConfig(kubeconfig),
      traffic: phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false }),
      otherTraffic: [phaseTraffic({ phase: 'unified', istioTlsTermination: false })],
      logger: createLogger('silent'),
    });
    expect(ingress.check('unified')).toEqual({ ready: false, reason: 'seed ingress not checked yet' });
    await ingress.refresh();
    expect(ingress.check()).toEqual({ ready: true });
    expect(ingress.check('tls-tunnel')).toEqual({ ready: true });
    expect(ingress.check('unified').ready).toBe(false);
    putFixture(FIXTURE.unifiedHttpProxy);
    await ingress.refresh();
    expect(ingress.check('unified')).toEqual({ ready: true });
    api.failNext('GET', /envoyfilters/, 503);
    const strict = new SeedIngressReadiness({
      kubeConfig: loadSeedKubeConfig(kubeconfig),
      traffic: phaseTraffic({ phase: 'tls-tunnel', istioTlsTermination: false }),
      otherTraffic: [phaseTraffic({ phase: 'unified', istioTlsTermination: false })],
      logger: createLogger('silent'),
    });
    await strict.refresh();
    expect(strict.check('unified').reason).toMatch(/^cannot list the seed's Istio objects/);
  });

  it('judges every ingress namespace and ignores the others', async () => {
    clear();
    putFixture(FIXTURE.phase1);
    putFixture(FIXTURE.legacy, 'shoot--foo--bar');
    const ingress = readiness('tls-tunnel');
    await ingress.refresh();
    expect(ingress.check()).toEqual({ ready: true });
    putFixture(FIXTURE.legacy, 'istio-ingress--zone-a');
    await ingress.refresh();
    expect(ingress.check().reason).toMatch(/^istio-ingress--zone-a: .*ext_authz/);
  });

  it('keeps its last verdict through a passing API error, and is not ready once that verdict is too old', async () => {
    clear();
    putFixture(FIXTURE.phase1);
    const ingress = readiness('tls-tunnel');
    await ingress.refresh();
    expect(ingress.check().ready).toBe(true);
    api.failNext('GET', /envoyfilters/, 503);
    await ingress.refresh();
    expect(ingress.check()).toEqual({ ready: true });

    const strict = readiness('tls-tunnel', 0);
    await strict.refresh();
    expect(strict.check().ready).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    api.failNext('GET', /envoyfilters/, 503);
    await strict.refresh();
    expect(strict.check().ready).toBe(false);
    expect(strict.check().reason).toMatch(/^cannot list the seed's Istio objects/);
  });

  it('is not ready when the seed cannot be listed before its first verdict', async () => {
    const ingress = readiness('tls-tunnel');
    api.failNext('GET', /envoyfilters/, 503);
    await ingress.refresh();
    expect(ingress.check().ready).toBe(false);
    expect(ingress.check().reason).toMatch(/^cannot list the seed's Istio objects/);
  });

  it('reports a refused construct in the seed as the reason', async () => {
    clear();
    const [filter] = fixtureDocuments(FIXTURE.phase1) as Obj[];
    api.put(RESOURCES.envoyFilters, JSON.parse(JSON.stringify(filter!).replace('(-[0-4])?', '(?=x)')) as Obj);
    const ingress = readiness('tls-tunnel');
    await ingress.refresh();
    expect(ingress.check().reason).toMatch(/is not valid RE2/);
  });

  it('serve without --seed-kubeconfig offers no ingress service; an unreadable one is bad input', async () => {
    const settings = { phase: 'tls-tunnel' as const, istioTlsTermination: false, assumeVpnClientCompatible: false };
    expect((await openSeedIngress({ settings, logger: createLogger('silent') })).services).toEqual({});
    await expect(openSeedIngress({ seedKubeconfig: '/nonexistent/kubeconfig', settings, logger: createLogger('silent') })).rejects.toThrow(
      /cannot load \/nonexistent\/kubeconfig/,
    );
  });
});
