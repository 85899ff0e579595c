// The webhook answering real AdmissionReviews: the shoot kube-apiserver's CREATE from the fixtures, the
// resource manager's UPDATE of the immutable ConfigMap, dry runs, and every way it admits unchanged.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastJsonPatch from 'fast-json-patch';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { decodeReview } from '../../../src/admission/decode.js';
import { toAdmissionReview } from '../../../src/admission/encode.js';
import { runWebhook } from '../../../src/admission/run.js';
import type { AdmissionRequest, AdmissionResponse, KubeObject } from '../../../src/admission/types.js';
import type { MigrationWebhookContext } from '../../../webhooks/context.js';
import type { IngressReadiness } from '../../../src/gardener/services.js';
import type { MigrationSettings } from '../../../src/gardener/settings.js';
import { apiserverProxyWebhook } from '../../../webhooks/apiserver-proxy/registration.js';
import { TARGETS, TECHNICAL_ID, UNIFIED_V1_144, envoyYaml, loadFixture, settings } from './fixtures.js';
import { UPSTREAM_PROXY_PROTOCOL_BLOCK as PROXY_PROTOCOL_SOCKET } from '../../../webhooks/apiserver-proxy/gardener-envoy-template.js';

const REVIEW_FILE = fileURLToPath(new URL('../../fixtures/webhook/admissionreview.configmap-create.legacy.yaml', import.meta.url));

/** The fixture review as the apiserver sends it: JSON. */
function createReviewBody(): string {
  return JSON.stringify(yaml.load(readFileSync(REVIEW_FILE, 'utf8')));
}

function request(change: (request: AdmissionRequest) => void = () => {}): AdmissionRequest {
  const { request } = decodeReview(createReviewBody());
  change(request);
  return request;
}

async function answer(
  req: AdmissionRequest,
  options: { settings?: MigrationSettings; technicalId?: string; ingress?: IngressReadiness } = {},
): Promise<AdmissionResponse> {
  const context: MigrationWebhookContext = {
    settings: options.settings ?? settings(),
    pathParameters:
      'technicalId' in options
        ? options.technicalId === undefined
          ? {}
          : { technicalId: options.technicalId }
        : { technicalId: TECHNICAL_ID },
    services: options.ingress ? { ingress: options.ingress } : {},
  };
  const { verdict, failure } = await runWebhook(apiserverProxyWebhook, req, context);
  expect(failure).toBeUndefined();
  const response = toAdmissionReview('admission.k8s.io/v1', req.uid, verdict).response!;
  // What the answer means on the wire: round-trip it as JSON, as the apiserver reads it.
  return JSON.parse(JSON.stringify(response)) as AdmissionResponse;
}

/** The object as the apiserver stores it after applying the answer's patch. */
function admitted(object: KubeObject, response: AdmissionResponse): KubeObject {
  expect(response.allowed).toBe(true);
  if (!response.patch) return object;
  expect(response.patchType).toBe('JSONPatch');
  const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as fastJsonPatch.Operation[];
  return fastJsonPatch.applyPatch(structuredClone(object), patch, true, false).newDocument;
}

const ready = (ready: boolean, reason?: string): IngressReadiness => ({ check: () => ({ ready, reason }) });

describe('apiserver-proxy webhook on the shoot kube-apiserver review', () => {
  it.each(TARGETS)('CREATE into $name yields Gardener rendering of the phase', async ({ settings, expected }) => {
    const req = request();
    const response = await answer(req, { settings });
    expect(response.uid).toBe(req.uid);
    expect(response.warnings).toBeUndefined();
    const stored = admitted(req.object!, response);
    expect(envoyYaml(stored)).toBe(envoyYaml(loadFixture(expected)));
    expect(stored.metadata).toEqual(req.object!.metadata);
  });

  it('patches only data/envoy.yaml', async () => {
    const response = await answer(request());
    const patch = JSON.parse(Buffer.from(response.patch!, 'base64').toString('utf8')) as { op: string; path: string }[];
    expect(patch.map(({ op, path }) => ({ op, path }))).toEqual([{ op: 'replace', path: '/data/envoy.yaml' }]);
  });

  it('gives a dry run the same answer', async () => {
    const real = await answer(request());
    const dry = await answer(request((r) => (r.dryRun = true)));
    expect(dry.patch).toBe(real.patch);
  });

  it('answers v1beta1 reviews alike', async () => {
    const body = JSON.parse(createReviewBody()) as Record<string, unknown>;
    const { apiVersion, request: req } = decodeReview(JSON.stringify({ ...body, apiVersion: 'admission.k8s.io/v1beta1' }));
    expect(apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(envoyYaml(admitted(req.object!, await answer(req)))).toBe(envoyYaml(loadFixture(TARGETS[0]!.expected)));
  });

  describe('UPDATE by the resource manager (legacy data re-applied over the stored, mutated, immutable ConfigMap)', () => {
    async function storedAfterCreate(settings: MigrationSettings): Promise<KubeObject> {
      const req = request();
      return admitted(req.object!, await answer(req, { settings }));
    }

    function updateOver(stored: KubeObject): AdmissionRequest {
      return request((r) => {
        r.operation = 'UPDATE';
        r.oldObject = stored;
        r.options = { apiVersion: 'meta.k8s.io/v1', kind: 'UpdateOptions' };
      });
    }

    it.each(TARGETS)('comes out exactly as stored with unchanged settings ($name)', async ({ settings }) => {
      const stored = await storedAfterCreate(settings);
      const update = updateOver(stored);
      const response = await answer(update, { settings });
      expect(response.warnings).toBeUndefined();
      expect(admitted(update.object!, response)).toEqual(stored);
    });

    it('after a phase switch, changes the data and says the ConfigMap will be re-created', async () => {
      const stored = await storedAfterCreate(settings());
      const update = updateOver(stored);
      const response = await answer(update, { settings: settings({ phase: 'unified' }) });
      expect(envoyYaml(admitted(update.object!, response))).toBe(envoyYaml(loadFixture(TARGETS[2]!.expected)));
      expect(response.warnings).toEqual([expect.stringMatching(/re-created.*restart the apiserver-proxy pods/)]);
    });

    it('over a ConfigMap stored before the webhook existed, migrates it and says so', async () => {
      const legacy = request().object!;
      const update = updateOver(legacy);
      const response = await answer(update);
      expect(envoyYaml(admitted(update.object!, response))).toBe(envoyYaml(loadFixture(TARGETS[0]!.expected)));
      expect(response.warnings).toHaveLength(1);
    });
  });

  it('never patches a DELETE', async () => {
    const req = request((r) => {
      r.operation = 'DELETE';
      r.oldObject = r.object;
      r.object = null;
    });
    const response = await answer(req);
    expect(response).toEqual({ uid: req.uid, allowed: true });
  });

  describe('admits unchanged, with a warning and a skip reason', () => {
    async function skippedVerdict(req: AdmissionRequest, context: Partial<MigrationWebhookContext>) {
      const { verdict } = await runWebhook(apiserverProxyWebhook, req, {
        settings: settings(),
        services: {},
        ...context,
      });
      expect(verdict.allowed).toBe(true);
      expect(verdict.patch).toBeUndefined();
      expect(verdict.warnings).toHaveLength(1);
      for (const warning of verdict.warnings) {
        expect(warning.length).toBeLessThanOrEqual(120);
        expect(warning).not.toContain('10.2.170.21');
        expect(warning).not.toContain('gardener.cloud');
      }
      return verdict;
    }

    it.each([
      ['no technical ID in the path', undefined],
      ['an empty one', ''],
      ['a namespace that is not a shoot', 'kube-system'],
      ['a malformed one', 'shoot--foo--bar--baz'],
      ['an upper-case one', 'shoot--Foo--bar'],
      ['one longer than a DNS label', `shoot--foo--${'b'.repeat(60)}`],
      ['another shoot than the envoy.yaml names', 'shoot--foo--baz'],
      ['a legacy ID of another shoot', 'shoot-foo-baz'],
    ])('unknown-shoot: %s', async (_case, technicalId) => {
      const verdict = await skippedVerdict(request(), { pathParameters: technicalId === undefined ? {} : { technicalId } });
      expect(verdict.skipped).toBe('unknown-shoot');
      expect(verdict.warnings[0]).toMatch(/^apiserver-proxy: .*; admitted unchanged$/);
    });

    it('ingress-not-ready: the seed does not route the phase yet, with its reason', async () => {
      const verdict = await skippedVerdict(request(), {
        pathParameters: { technicalId: TECHNICAL_ID },
        services: { ingress: ready(false, 'Gateway http-proxy missing') },
      });
      expect(verdict.skipped).toBe('ingress-not-ready');
      expect(verdict.warnings[0]).toContain('Gateway http-proxy missing');
    });

    it.each<[string, (object: KubeObject) => void]>([
      ['another kind', (o) => (o.kind = 'Secret')],
      ['a ConfigMap without the labels', (o) => delete o.metadata!.labels!.role],
      ['a ConfigMap in another namespace', (o) => (o.metadata!.namespace = 'default')],
    ])('not-ours: %s', async (_case, change) => {
      const req = request((r) => change(r.object!));
      const verdict = await skippedVerdict(req, { pathParameters: { technicalId: TECHNICAL_ID } });
      expect(verdict).toMatchObject({ skipped: 'not-ours', reason: 'not-ours' });
    });

    it.each<[string, (object: KubeObject) => void]>([
      ['no envoy.yaml', (o) => (o.data = { 'other.yaml': 'a: b' })],
      ['no data at all', (o) => delete o.data],
      ['envoy.yaml that is not YAML', (o) => (o.data = { 'envoy.yaml': 'static_resources: [\n  listeners: {' })],
      ['envoy.yaml that is a list', (o) => (o.data = { 'envoy.yaml': '- a\n- b\n' })],
      ['envoy.yaml without static_resources', (o) => (o.data = { 'envoy.yaml': 'admin: {}\n' })],
      [
        'envoy.yaml without the kube_apiserver listener',
        (o) => (o.data = { 'envoy.yaml': envoyYaml(o).replace('- name: kube_apiserver\n    address', '- name: other\n    address') }),
      ],
      [
        'envoy.yaml without the kube_apiserver cluster',
        (o) =>
          (o.data = {
            'envoy.yaml': envoyYaml(o).replace('- name: kube_apiserver\n    connect_timeout', '- name: other\n    connect_timeout'),
          }),
      ],
      [
        'a tunnel to a port no phase uses',
        (o) => (o.data = { 'envoy.yaml': envoyYaml(loadFixture(UNIFIED_V1_144)).replace('port_value: 8443', 'port_value: 9443') }),
      ],
      [
        'a tunnel that also speaks the PROXY protocol',
        (o) =>
          (o.data = {
            'envoy.yaml': `${envoyYaml(loadFixture(UNIFIED_V1_144))}`.replace(
              '    upstream_connection_options:',
              `${PROXY_PROTOCOL_SOCKET}    upstream_connection_options:`,
            ),
          }),
      ],
      [
        'a tunnel without headers',
        (o) =>
          (o.data = {
            'envoy.yaml': envoyYaml(loadFixture(UNIFIED_V1_144)).replace(/ {12}headers_to_add:\n(?: {12,}.*\n)+?(?= {10}access_log)/, ''),
          }),
      ],
    ])('unrecognised: %s', async (_case, change) => {
      const req = request((r) => change(r.object!));
      const verdict = await skippedVerdict(req, { pathParameters: { technicalId: TECHNICAL_ID } });
      expect(verdict.skipped).toBe('unrecognised');
    });

    it('unrecognised: a review without an object', async () => {
      const verdict = await skippedVerdict(
        request((r) => (r.object = null)),
        { pathParameters: { technicalId: TECHNICAL_ID } },
      );
      expect(verdict.skipped).toBe('unrecognised');
    });
  });

  it('does not ask the ingress when nothing would change', async () => {
    let asked = 0;
    const stored = admitted(request().object!, await answer(request()));
    const response = await answer(
      request((r) => (r.object = stored)),
      {
        ingress: { check: () => (asked++, { ready: false }) },
      },
    );
    expect(response).toEqual({
      uid: expect.any(String),
      allowed: true,
      warnings: ['apiserver-proxy: already on the tls-tunnel port; left unchanged'],
    });
    expect(asked).toBe(0);
  });

  it('mutates while the ingress says ready', async () => {
    const response = await answer(request(), { ingress: ready(true) });
    expect(response.patch).toBeDefined();
  });
});
