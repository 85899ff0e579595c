// The per-shoot paths served over TLS: `/<technical-id>[/<target>]` after the apiserver-proxy and vpn-shoot
// webhooks' paths, with the shoot kube-apiserver's AdmissionReview JSON and Gardener's renderings.
import { readFileSync } from 'node:fs';
import fastJsonPatch from 'fast-json-patch';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionReview, KubeObject } from '../../src/admission/types.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { Metrics } from '../../src/observability/metrics.js';
import { webhooks } from '../../webhooks/index.js';
import { postReview, reviewAt } from '../support/client.js';
import { patchOf } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { LEGACY, TARGETS, UNIFIED_V1_144, envoyYaml, loadFixture } from './apiserver-proxy/fixtures.js';
import { fixtures as vpnShoot } from './vpn-shoot/fixtures.js';

const UNIFIED_EXPECTED = TARGETS.find((t) => t.settings.phase === 'unified')!.expected;

/** The review the shoot's kube-apiserver sends for the apiserver-proxy ConfigMap (the fixture's CREATE). */
function configMapReview(change: (review: AdmissionReview) => void = () => {}): AdmissionReview {
  const review = yaml.load(readFileSync('test/fixtures/webhook/admissionreview.configmap-create.legacy.yaml', 'utf8')) as AdmissionReview;
  change(review);
  return review;
}

/** The review gardener-resource-manager's UPDATE of vpn-shoot makes. */
function vpnShootReview(object: KubeObject, uid: string): AdmissionReview {
  const kind = object.kind as string;
  const resource = kind === 'StatefulSet' ? 'statefulsets' : 'deployments';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: 'apps', version: 'v1', kind },
      resource: { group: 'apps', version: 'v1', resource },
      name: 'vpn-shoot',
      namespace: 'kube-system',
      operation: 'UPDATE',
      userInfo: { username: 'system:serviceaccount:kube-system:gardener-resource-manager' },
      object,
      oldObject: object,
      dryRun: false,
    },
  };
}

function applied(object: KubeObject, review: AdmissionReview): KubeObject {
  const patch = patchOf(review.response!);
  return patch ? fastJsonPatch.applyPatch(structuredClone(object), patch, true, false).newDocument : object;
}

let t: TestServer;
let metrics: Metrics;
beforeAll(async () => {
  metrics = new Metrics({ defaultMetrics: false });
  // The server's own target is the default tls-tunnel: a path's target is what moves a shoot further.
  t = await startTestServer({ webhooks, settings: DEFAULT_SETTINGS, metrics });
});

const at = (path: string, review: AdmissionReview) => reviewAt(`${t.url}${path}`, t.agent, review);

describe('apiserver-proxy with a target in its path', () => {
  it('moves the ConfigMap to the target of the path, not the server phase', async () => {
    const review = configMapReview();
    const answer = await at('/webhooks/apiserver-proxy/shoot--foo--bar/unified?timeout=10s', review);
    expect(answer.response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
    expect(envoyYaml(applied(review.request!.object!, answer))).toBe(envoyYaml(loadFixture(UNIFIED_EXPECTED)));
  });

  it('without a target, moves to the server phase as before', async () => {
    const review = configMapReview();
    const answer = await at('/webhooks/apiserver-proxy/shoot--foo--bar', review);
    expect(envoyYaml(applied(review.request!.object!, answer))).toBe(envoyYaml(loadFixture(TARGETS[0]!.expected)));
  });

  it('keeps forward only: a rendering ahead of the target is left as it is', async () => {
    const review = configMapReview((r) => (r.request!.object = loadFixture(UNIFIED_V1_144)));
    const answer = await at('/webhooks/apiserver-proxy/shoot--foo--bar/tls-tunnel', review);
    expect(answer.response).toEqual({
      uid: review.request!.uid,
      allowed: true,
      warnings: ['apiserver-proxy: already on the unified port, ahead of --phase tls-tunnel; left unchanged'],
    });
  });

  it('hold admits the ConfigMap unchanged, with a warning', async () => {
    const review = configMapReview();
    const answer = await at('/webhooks/apiserver-proxy/shoot--foo--bar/hold', review);
    expect(answer.response).toEqual({
      uid: review.request!.uid,
      allowed: true,
      warnings: ['apiserver-proxy: the shoot is held (its webhook path ends in /hold); admitted unchanged'],
    });
  });

  it("hold lets Gardener's rendering replace a moved one: that is how a held shoot is taken back", async () => {
    const moved = applied(loadFixture(LEGACY), await at('/webhooks/apiserver-proxy/shoot--foo--bar/unified', configMapReview()));
    const update = (r: AdmissionReview) =>
      Object.assign(r.request!, { operation: 'UPDATE', object: loadFixture(LEGACY), oldObject: moved });
    // Not held, the stored config is kept (forward only for what the shoot runs) ...
    const kept = await at('/webhooks/apiserver-proxy/shoot--foo--bar/tls-tunnel', configMapReview(update));
    expect(envoyYaml(applied(loadFixture(LEGACY), kept))).toBe(envoyYaml(moved));
    // ... held, the update carries Gardener's rendering through unchanged.
    const held = await at('/webhooks/apiserver-proxy/shoot--foo--bar/hold', configMapReview(update));
    expect(held.response!.patch).toBeUndefined();
  });
});

describe('vpn-shoot with the technical ID and a target in its path', () => {
  it('moves the shoot the path names to its target', async () => {
    const answer = await at('/webhooks/vpn-shoot/shoot--foo--bar/unified', vpnShootReview(vpnShoot.legacyDeployment(), 'vpn-moved'));
    expect(applied(vpnShoot.legacyDeployment(), answer)).toEqual(vpnShoot.expectedDeployment());
  });

  it('moves the HA StatefulSet of the shoot the path names', async () => {
    const answer = await at('/webhooks/vpn-shoot/shoot--foo--bar/unified', vpnShootReview(vpnShoot.legacyStatefulSet(), 'vpn-ha'));
    expect(applied(vpnShoot.legacyStatefulSet(), answer)).toEqual(vpnShoot.expectedStatefulSet());
  });

  it('without a target, follows the server phase: tls-tunnel moves no VPN client', async () => {
    const answer = await at('/webhooks/vpn-shoot/shoot--foo--bar', vpnShootReview(vpnShoot.legacyDeployment(), 'vpn-at'));
    expect(answer.response).toEqual({
      uid: 'vpn-at',
      allowed: true,
      warnings: ['vpn-shoot: already on the tls-tunnel port; left unchanged'],
    });
  });

  it('other-shoot: a workload whose REVERSED_VPN_HEADER names another shoot is admitted unchanged', async () => {
    const answer = await at('/webhooks/vpn-shoot/shoot--foo--baz/unified', vpnShootReview(vpnShoot.legacyDeployment(), 'vpn-other'));
    expect(answer.response).toEqual({
      uid: 'vpn-other',
      allowed: true,
      warnings: ['vpn-shoot: admitted unchanged: REVERSED_VPN_HEADER names shoot--foo--bar, the path shoot--foo--baz'],
    });
  });

  it('unknown-shoot: a path whose technical ID is no shoot, or a workload whose header names none', async () => {
    const notAShoot = await at('/webhooks/vpn-shoot/kube-system/unified', vpnShootReview(vpnShoot.legacyDeployment(), 'vpn-bad-id'));
    expect(notAShoot.response!.patch).toBeUndefined();
    expect(notAShoot.response!.warnings).toEqual([expect.stringMatching(/^vpn-shoot: admitted unchanged: /)]);

    const unreadable = vpnShoot.legacyDeployment();
    const env = (unreadable.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec
      .containers[0]!.env;
    env.find((e) => e.name === 'REVERSED_VPN_HEADER')!.value = 'outbound|1194||somewhere-else';
    const answer = await at('/webhooks/vpn-shoot/shoot--foo--bar/unified', vpnShootReview(unreadable, 'vpn-unreadable'));
    expect(answer.response!.patch).toBeUndefined();
    expect(answer.response!.warnings).toEqual([expect.stringContaining('cannot tell its shoot: REVERSED_VPN_HEADER is not')]);
  });

  it('hold admits vpn-shoot unchanged, with a warning', async () => {
    const answer = await at('/webhooks/vpn-shoot/shoot--foo--bar/hold', vpnShootReview(vpnShoot.legacyDeployment(), 'vpn-held'));
    expect(answer.response).toEqual({
      uid: 'vpn-held',
      allowed: true,
      warnings: ['vpn-shoot: the shoot is held (its webhook path ends in /hold); admitted unchanged'],
    });
  });
});

describe('paths that are no per-shoot path', () => {
  it.each([
    '/webhooks/apiserver-proxy/shoot--foo--bar/hodl',
    '/webhooks/apiserver-proxy/shoot--foo--bar/Unified',
    '/webhooks/apiserver-proxy/shoot--foo--bar/unified/extra',
    '/webhooks/apiserver-proxy/shoot--foo--bar/',
    '/webhooks/vpn-shoot/shoot--foo--bar/legacy',
    '/webhooks/vpn-shoot//unified',
  ])('%s is not found', async (path) => {
    const answer = await postReview(`${t.url}${path}`, t.agent, configMapReview());
    expect(answer.status).toBe(404);
  });
});

describe('reasons of the per-shoot paths', () => {
  it('counts held and other-shoot in the mutations metric and names them in the log line', async () => {
    const exposition = await metrics.registry.metrics();
    expect(exposition).toMatch(/http_proxy_migrator_webhook_mutations_total\{webhook="apiserver-proxy",reason="held"\} [1-9]/);
    expect(exposition).toMatch(/http_proxy_migrator_webhook_mutations_total\{webhook="vpn-shoot",reason="held"\} 1/);
    expect(exposition).toMatch(/http_proxy_migrator_webhook_mutations_total\{webhook="vpn-shoot",reason="other-shoot"\} 1/);
    const reasons = Object.fromEntries(t.logs.withMessage('admission').map((l) => [l.uid, [l.outcome, l.reason]]));
    expect(reasons['vpn-held']).toEqual(['allowed', 'held']);
    expect(reasons['vpn-other']).toEqual(['allowed', 'other-shoot']);
    expect(reasons['vpn-moved']).toEqual(['patched', 'moved']);
  });
});

describe('vpn-shoot on the bare path, as older registrations call it', () => {
  let unifiedServer: TestServer;
  beforeAll(async () => {
    unifiedServer = await startTestServer({ webhooks, settings: { ...DEFAULT_SETTINGS, phase: 'unified' } });
  });

  it('moves to the server phase without a shoot check, as before', async () => {
    const answer = await reviewAt(
      `${unifiedServer.url}/webhooks/vpn-shoot`,
      unifiedServer.agent,
      vpnShootReview(vpnShoot.legacyDeployment(), 'vpn-bare'),
    );
    expect(applied(vpnShoot.legacyDeployment(), answer)).toEqual(vpnShoot.expectedDeployment());
  });
});
