// One level above the per-webhook properties: whole AdmissionReviews, generated at random, POSTed to
// every registered webhook through the real TLS server. Whatever arrives, the answer is a well-formed
// review for the same uid, a patch only where the apiserver accepts one, a patch that applies to the
// object it was computed from, no second patch for the patched object, and no handler failure.
import fc from 'fast-check';
import fastJsonPatch, { type Operation as PatchOperation } from 'fast-json-patch';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMISSION_V1, ADMISSION_V1BETA1, type AdmissionReview, type KubeObject, type Operation } from '../../src/admission/types.js';
import { MAX_WARNING_LENGTH } from '../../src/admission/warnings.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { DEFAULT_SETTINGS, type MigrationSettings } from '../../src/gardener/settings.js';
import { webhooks } from '../../webhooks/index.js';
import { postReview, trustingAgent, type HttpAnswer } from '../support/client.js';
import { admissionReview, patchOf } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GARDENER_RENDERINGS, TECHNICAL_ID, loadFixture } from '../webhooks/apiserver-proxy/fixtures.js';
import {
  configMapBaseline,
  configMapEnabling,
  gardenletEnabling,
  landscape,
  managedSeedEnabling,
} from '../webhooks/gardenlet-config/fixtures.js';
import { fixtures as vpnFixtures } from '../webhooks/vpn-shoot/fixtures.js';
import { editArb, perturb, type Edit } from '../support/perturb.js';

const RUNS = 200;

/** The real renderings each webhook is registered for, and objects none of them expects. */
const RENDERINGS: Record<string, (() => KubeObject)[]> = {
  'apiserver-proxy': Object.values(GARDENER_RENDERINGS).map((path) => () => loadFixture(path)),
  'vpn-shoot': [
    () => vpnFixtures.legacyDeployment() as KubeObject,
    () => vpnFixtures.unifiedDeploymentV130() as KubeObject,
    () => vpnFixtures.legacyStatefulSet() as KubeObject,
  ],
  'gardenlet-config': [configMapEnabling, configMapBaseline, managedSeedEnabling, gardenletEnabling],
  other: [() => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'kube-system' }, data: { a: 'Yg==' } })],
};
const SEEDS = Object.values(RENDERINGS).flat();

/**
 * How the apiserver may hand over the same rendering: as the manager wrote it, before the resource
 * manager added its annotations (kubernetes#90623: a patch adding to absent annotations fails), or
 * with `/` and `~` in keys (RFC 6901 escaping).
 */
type Envelope = 'as-rendered' | 'no-annotations' | 'escaped-keys';
function envelope(object: KubeObject, how: Envelope): KubeObject {
  const metadata = object.metadata;
  if (how === 'as-rendered' || typeof metadata !== 'object' || metadata === null) return object;
  if (how === 'no-annotations') {
    delete metadata.annotations;
    if (object.spec && typeof object.spec === 'object') {
      const template = (object.spec as { template?: { metadata?: Record<string, unknown> } }).template;
      if (template?.metadata) delete template.metadata.annotations;
    }
  } else {
    metadata.annotations = { ...metadata.annotations, 'a/b~c': 'x', '~0~1': 'y' };
  }
  return object;
}

/** Mostly the webhook's own renderings, slightly broken; sometimes anything at all. */
function objectArb(own: readonly (() => KubeObject)[]): fc.Arbitrary<KubeObject | null> {
  const edits = fc.oneof(fc.constant<Edit[]>([]), fc.array(editArb, { minLength: 1, maxLength: 3 }));
  const how = fc.constantFrom<Envelope>('as-rendered', 'no-annotations', 'escaped-keys');
  const from = (seeds: readonly (() => KubeObject)[]) =>
    fc.tuple(fc.nat({ max: seeds.length - 1 }), how, edits).map(([i, h, e]) => perturb(envelope(seeds[i]!(), h), e));
  return fc.oneof(
    { weight: 6, arbitrary: from(own) },
    { weight: 2, arbitrary: from(SEEDS) },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }) as fc.Arbitrary<KubeObject>,
    },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

interface Case {
  webhook: Webhook;
  suffix: string;
  apiVersion: typeof ADMISSION_V1 | typeof ADMISSION_V1BETA1;
  operation: Operation;
  object: KubeObject | null;
  oldObject: KubeObject | null;
  dryRun: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...webhooks).chain((webhook) =>
  fc.record({
    webhook: fc.constant(webhook),
    // Mostly the shoot's technical ID where a webhook takes one; sometimes another or none.
    suffix: fc.oneof({ weight: 4, arbitrary: fc.constant(`/${TECHNICAL_ID}`) }, fc.constant(''), fc.stringMatching(/^\/[a-z0-9-]{1,20}$/)),
    apiVersion: fc.constantFrom(ADMISSION_V1, ADMISSION_V1BETA1),
    operation: fc.constantFrom<Operation>('CREATE', 'CREATE', 'UPDATE', 'UPDATE', 'DELETE', 'CONNECT'),
    object: objectArb(RENDERINGS[webhook.name] ?? SEEDS),
    oldObject: objectArb(RENDERINGS[webhook.name] ?? SEEDS),
    dryRun: fc.boolean(),
  }),
);

function reviewFor(c: Case, object: KubeObject | null): AdmissionReview {
  const review = admissionReview({ apiVersion: c.apiVersion, operation: c.operation, object, dryRun: c.dryRun });
  const request = review.request!;
  // As on the wire: the kind is the object's own, and DELETE carries only the old object.
  request.kind = { group: groupOf(object), version: 'v1', kind: typeof object?.kind === 'string' ? object.kind : 'ConfigMap' };
  request.object = c.operation === 'DELETE' || c.operation === 'CONNECT' ? null : object;
  request.oldObject = c.operation === 'UPDATE' || c.operation === 'DELETE' ? (c.oldObject ?? object) : null;
  return review;
}

function groupOf(object: KubeObject | null): string {
  const apiVersion = typeof object?.apiVersion === 'string' ? object.apiVersion : '';
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

/** The review answer's envelope and patch rules, for any request; returns the decoded patch. */
function checkAnswer(c: Case, sent: AdmissionReview, answer: HttpAnswer): PatchOperation[] | undefined {
  expect(answer.status, answer.body).toBe(200);
  const review = JSON.parse(answer.body) as AdmissionReview;
  expect(review.apiVersion).toBe(c.apiVersion);
  expect(review.kind).toBe('AdmissionReview');
  const response = review.response!;
  expect(response.uid).toBe(sent.request!.uid);
  expect(typeof response.allowed).toBe('boolean');
  for (const w of response.warnings ?? []) expect(w.length).toBeLessThanOrEqual(MAX_WARNING_LENGTH);
  if (c.webhook.type === 'mutating') expect(response.allowed, 'a mutating webhook never refuses').toBe(true);
  else expect(response.allowed || typeof response.status?.code === 'number').toBe(true);
  const patch = patchOf(response);
  if (patch === undefined) {
    expect(response.patchType).toBeUndefined();
    return undefined;
  }
  expect(response.patchType).toBe('JSONPatch');
  expect(c.webhook.type).toBe('mutating');
  expect(['CREATE', 'UPDATE']).toContain(c.operation);
  expect(patch.length).toBeGreaterThan(0);
  return patch;
}

describe.each<[string, MigrationSettings]>([
  ['tls-tunnel', DEFAULT_SETTINGS],
  ['unified', { ...DEFAULT_SETTINGS, phase: 'unified' }],
])('random reviews through the server, phase %s', (_phase, settings) => {
  let t: TestServer;
  let send: (path: string, review: AdmissionReview) => Promise<HttpAnswer>;
  beforeAll(async () => {
    t = await startTestServer({ webhooks, settings, services: { shoots: landscape() } });
    const agent = trustingAgent(t.certs.caCert, { keepAlive: true });
    send = (path, review) => postReview(`${t.url}${path}`, agent, review);
  });

  it('answer every review well-formed; patches apply, are idempotent, and never come for DELETE or CONNECT', async () => {
    let patchedCount = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const path = c.webhook.path + (c.webhook.pathParameters?.length ? c.suffix : '');
        const sent = reviewFor(c, c.object);
        const patch = checkAnswer(c, sent, await send(path, sent));
        if (!patch) return;
        patchedCount++;
        // validate=true: an op whose path does not exist throws, as the apiserver refuses it.
        const patched = fastJsonPatch.applyPatch(structuredClone(sent.request!.object), patch, true, false).newDocument as KubeObject;
        const again = reviewFor(c, patched);
        expect(checkAnswer(c, again, await send(path, again)), 'a second call on its own output patches nothing').toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    expect(t.logs.withMessage('webhook handler failed')).toEqual([]);
    // In the unified phase the renderings must actually be mutated, or the patch checks above prove nothing.
    // About a tenth of the random cases patch; the bound sits far below that, so that it never flakes.
    if (settings.phase === 'unified') expect(patchedCount).toBeGreaterThanOrEqual(5);
  });
});

describe('shapes a webhook does not know', () => {
  let t: TestServer;
  let send: (path: string, review: AdmissionReview) => Promise<HttpAnswer>;
  beforeAll(async () => {
    t = await startTestServer({ webhooks, settings: { ...DEFAULT_SETTINGS, phase: 'unified' }, services: { shoots: landscape() } });
    const agent = trustingAgent(t.certs.caCert, { keepAlive: true });
    send = (path, review) => postReview(`${t.url}${path}`, agent, review);
  });
  const proxyPath = `/webhooks/apiserver-proxy/${TECHNICAL_ID}`;
  const legacyProxy = () => loadFixture(GARDENER_RENDERINGS['legacy v1.112']);
  const withEnvoy = (text: unknown): KubeObject => ({ ...legacyProxy(), data: { 'envoy.yaml': text } });
  const deployment = () => vpnFixtures.legacyDeployment() as KubeObject & { spec: Record<string, unknown> };

  const unknownShapes: [string, string, () => KubeObject][] = [
    ['envoy.yaml that is not YAML', proxyPath, () => withEnvoy('static_resources: [\n  listeners: {')],
    ['envoy.yaml that is YAML but not an Envoy config', proxyPath, () => withEnvoy('hello: world\n')],
    ['envoy.yaml cut in half', proxyPath, () => withEnvoy((legacyProxy().data as Record<string, string>)['envoy.yaml']!.slice(0, 900))],
    ['envoy.yaml that is not a string', proxyPath, () => withEnvoy({ static_resources: {} })],
    ['a vpn-shoot Deployment without a pod template', '/webhooks/vpn-shoot', () => ({ ...deployment(), spec: { replicas: 1 } })],
    [
      'a vpn-shoot Deployment whose containers are not a list',
      '/webhooks/vpn-shoot',
      () => {
        const d = deployment();
        (d.spec.template as { spec: Record<string, unknown> }).spec.containers = { vpn: {} };
        return d;
      },
    ],
    [
      'a vpn-shoot Deployment with env as a string',
      '/webhooks/vpn-shoot',
      () => {
        const d = deployment();
        const containers = (d.spec.template as { spec: { containers: Record<string, unknown>[] } }).spec.containers;
        containers[0]!.env = 'OPENVPN_PORT=8132';
        return d;
      },
    ],
  ];

  it.each(unknownShapes)('admits %s unchanged, with a warning', async (_name, path, object) => {
    const review = admissionReview({ object: object() });
    const answer = await send(path, review);
    expect(answer.status).toBe(200);
    const response = (JSON.parse(answer.body) as AdmissionReview).response!;
    expect(response).toMatchObject({ uid: review.request!.uid, allowed: true });
    expect(response.patch).toBeUndefined();
    expect(response.patchType).toBeUndefined();
    expect(response.warnings?.length).toBeGreaterThan(0);
  });

  it.each(webhooks.map((w) => [w.name, w] as const))(
    '%s: a DELETE gets no patch, even of an object it would mutate',
    async (_name, webhook) => {
      const path = webhook.path + (webhook.pathParameters?.length ? `/${TECHNICAL_ID}` : '');
      for (const seed of SEEDS) {
        const review = admissionReview({ operation: 'DELETE', object: seed() });
        const answer = await send(path, review);
        expect(answer.status).toBe(200);
        const response = (JSON.parse(answer.body) as AdmissionReview).response!;
        expect(response.uid).toBe(review.request!.uid);
        expect(response.patch).toBeUndefined();
        expect(response.patchType).toBeUndefined();
      }
    },
  );
});
