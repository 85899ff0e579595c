// The desired Secret and ManagedResource for one shoot: Gardener's naming, labels, hashing and layout.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { shootWebhookConfiguration } from '../../webhooks/webhook-configurations.js';
import { MANAGED_RESOURCE_NAME, desiredResources } from '../../src/register/desired.js';
import { decodeManifest } from '../../src/register/manifest-data.js';
import { referenceAnnotationKey, secretChecksum, uniqueSecretName } from '../../src/register/secret-name.js';
import { webhooks } from '../../webhooks/index.js';
import { shootAccessRbac } from '../../src/register/shoot-access-rbac.js';
import { SERVICE_NAMESPACE, newCa, type DeliveredConfig, type WebhookEntry } from './harness.js';

const NS = 'shoot--foo--bar';
let ca: string;
let otherCa: string;
beforeAll(async () => {
  [ca, otherCa] = await Promise.all([newCa(), newCa()]);
});

const decode = (data: Record<string, string>): DeliveredConfig => yaml.load(decodeManifest(data)!) as DeliveredConfig;

describe('Gardener naming', () => {
  // Expected values computed with sha256sum, independently of the code under test.
  it('hashes like utils.ComputeSecretChecksum: sha256 of the concatenated per-key sha256 hex, keys sorted', () => {
    expect(secretChecksum({ b: Buffer.from('y'), a: Buffer.from('x') }).slice(0, 8)).toBe('80d88848');
    expect(uniqueSecretName('name', { a: Buffer.from('x'), b: Buffer.from('y') })).toBe('name-80d88848');
    expect(uniqueSecretName('name-', { a: Buffer.from('x'), b: Buffer.from('y') })).toBe('name-80d88848');
  });

  it('names the reference annotation like the resource manager garbage collector expects', () => {
    expect(referenceAnnotationKey('secret', `${MANAGED_RESOURCE_NAME}-abc`)).toBe('reference.resources.gardener.cloud/secret-6db80ab7');
  });
});

describe('desiredResources', () => {
  it('wraps the shoot webhook configuration in an immutable, content-named, garbage-collectable secret', () => {
    const { secret } = desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE });
    expect(secret.metadata.name).toMatch(new RegExp(`^${MANAGED_RESOURCE_NAME}-[0-9a-f]{8}$`));
    expect(secret.metadata.name).toBe(
      uniqueSecretName(MANAGED_RESOURCE_NAME, { 'data.yaml.br': Buffer.from(secret.data['data.yaml.br']!, 'base64') }),
    );
    expect(secret).toMatchObject({
      metadata: { namespace: NS, labels: { 'resources.gardener.cloud/garbage-collectable-reference': 'true' } },
      type: 'Opaque',
      immutable: true,
    });
    expect(Object.keys(secret.data)).toEqual(['data.yaml.br']);
  });

  it('delivers the generated shoot webhooks with the per-shoot path, the CA bundle and failurePolicy Ignore', () => {
    const { secret } = desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE });
    const config = decode(secret.data);
    // Same builder as the generated manifests, so the two cannot drift apart.
    expect(config).toEqual(shootWebhookConfiguration(webhooks, { namespace: SERVICE_NAMESPACE, caBundle: ca, technicalId: NS }));
    expect(config.metadata).toEqual({
      name: 'gardener-extension-http-proxy-migrator-shoot',
      labels: { 'remediation.webhook.shoot.gardener.cloud/exclude': 'true' },
    });
    const proxy = config.webhooks.find((w) => w.name.startsWith('apiserver-proxy.'))!;
    expect(proxy.clientConfig.url).toBe(
      `https://gardener-extension-http-proxy-migrator.${SERVICE_NAMESPACE}:443/webhooks/apiserver-proxy/${NS}`,
    );
    for (const w of config.webhooks) {
      expect(Buffer.from(w.clientConfig.caBundle, 'base64').toString()).toBe(ca);
      // Ignore and at most 15 s keep the shoot free of gardenlet's "problematic webhook" constraint.
      expect(w.failurePolicy).toBe('Ignore');
      expect(w.timeoutSeconds).toBeLessThanOrEqual(15);
    }
  });

  it('puts the technical ID on both shoot paths, and the target after it when the shoot has one', () => {
    const urls = (target?: 'tls-tunnel' | 'unified' | 'hold') =>
      decode(desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE, target }).secret.data).webhooks.map(
        (w) => w.clientConfig.url,
      );
    const base = `https://gardener-extension-http-proxy-migrator.${SERVICE_NAMESPACE}:443/webhooks`;
    expect(urls()).toEqual([`${base}/apiserver-proxy/${NS}`, `${base}/vpn-shoot/${NS}`]);
    expect(urls('unified')).toEqual([`${base}/apiserver-proxy/${NS}/unified`, `${base}/vpn-shoot/${NS}/unified`]);
    expect(urls('hold')).toEqual([`${base}/apiserver-proxy/${NS}/hold`, `${base}/vpn-shoot/${NS}/hold`]);
  });

  it('names a secret per target, so a new target is a new secret the ManagedResource points at', () => {
    const names = (['tls-tunnel', 'unified', 'hold', undefined] as const).map(
      (target) => desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE, target }).secret.metadata.name,
    );
    expect(new Set(names).size).toBe(4);
  });

  it('matches the Gardener rendering of a shoot webhook entry field for field', () => {
    const fixture = yaml.load(readFileSync('test/fixtures/webhook/mutatingwebhookconfiguration.shoot.yaml', 'utf8')) as DeliveredConfig;
    const config = decode(desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE }).secret.data);
    expect(Object.keys(config).sort()).toEqual(Object.keys(fixture).sort());
    expect(config.metadata.labels).toEqual(fixture.metadata.labels);
    const pick = ({
      admissionReviewVersions,
      failurePolicy,
      matchPolicy,
      sideEffects,
      timeoutSeconds,
      namespaceSelector,
    }: WebhookEntry) => ({ admissionReviewVersions, failurePolicy, matchPolicy, sideEffects, timeoutSeconds, namespaceSelector });
    for (const [i, w] of config.webhooks.entries()) {
      expect(pick(w)).toEqual(pick(fixture.webhooks[i]!));
      expect(Object.keys(w).sort()).toEqual(Object.keys(fixture.webhooks[i]!).sort());
    }
  });

  it('points a class-less ManagedResource at the secret, with the reference annotation and keepObjects false', () => {
    const { secret, managedResource } = desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE });
    expect(managedResource).toEqual({
      apiVersion: 'resources.gardener.cloud/v1alpha1',
      kind: 'ManagedResource',
      metadata: {
        name: 'extension-http-proxy-migrator-shoot-webhooks',
        namespace: NS,
        annotations: { [referenceAnnotationKey('secret', secret.metadata.name)]: secret.metadata.name },
      },
      spec: { secretRefs: [{ name: secret.metadata.name }], keepObjects: false },
    });
  });

  it('is deterministic, and a new CA bundle means a new secret name', () => {
    const input = { namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE };
    expect(desiredResources(input)).toEqual(desiredResources(input));
    expect(desiredResources({ ...input, caBundle: otherCa }).secret.metadata.name).not.toBe(desiredResources(input).secret.metadata.name);
  });

  it('carries both CAs during a rotation', () => {
    const { secret } = desiredResources({ namespace: NS, caBundle: ca + otherCa, serviceNamespace: SERVICE_NAMESPACE });
    for (const w of decode(secret.data).webhooks) expect(Buffer.from(w.clientConfig.caBundle, 'base64').toString()).toBe(ca + otherCa);
  });

  it('with the rollout, a shoot moving to a phase also gets the Role and RoleBinding of its move, in the same Secret', () => {
    const base = { namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE, shootAccessRbac: true } as const;
    const documents = (data: Record<string, string>): { kind: string }[] => yaml.loadAll(decodeManifest(data)!) as { kind: string }[];
    const moving = desiredResources({ ...base, target: 'unified' });
    expect(documents(moving.secret.data)).toEqual([
      shootWebhookConfiguration(webhooks, { namespace: SERVICE_NAMESPACE, caBundle: ca, technicalId: NS, target: 'unified' }),
      ...shootAccessRbac(),
    ]);
    // What the reconciler compares a live Secret against is what the Secret decodes to.
    expect(decodeManifest(moving.secret.data)).toBe(moving.manifest);
    // Held, or not entered: no rights in the shoot, the same Secret as without the rollout.
    for (const target of ['hold', undefined] as const) {
      const apart = desiredResources({ ...base, ...(target ? { target } : {}) });
      expect(documents(apart.secret.data).map((d) => d.kind)).toEqual(['MutatingWebhookConfiguration']);
      expect(apart.secret.metadata.name).toBe(
        desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE, ...(target ? { target } : {}) }).secret
          .metadata.name,
      );
    }
    // Older resource managers: one plain key per object, read back to the same text.
    const plain = desiredResources({ ...base, target: 'tls-tunnel', format: 'plain' });
    expect(Object.keys(plain.secret.data)).toEqual([
      'mutatingwebhookconfiguration____gardener-extension-http-proxy-migrator-shoot.yaml',
      'role__kube-system__http-proxy-migrator.yaml',
      'rolebinding__kube-system__http-proxy-migrator.yaml',
    ]);
    expect(decodeManifest(plain.secret.data)).toBe(plain.manifest);
  });

  it('writes plain YAML under Gardener registry key for older resource managers', () => {
    const { secret } = desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE, format: 'plain' });
    expect(Object.keys(secret.data)).toEqual(['mutatingwebhookconfiguration____gardener-extension-http-proxy-migrator-shoot.yaml']);
    expect(decode(secret.data).kind).toBe('MutatingWebhookConfiguration');
  });

  it('honours the service name, namespace and port', () => {
    const { secret } = desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: 'ext-ns', serviceName: 'svc', servicePort: 8443 });
    for (const w of decode(secret.data).webhooks) expect(w.clientConfig.url).toMatch(/^https:\/\/svc\.ext-ns:8443\/webhooks\//);
  });

  it('decodes brotli written at another quality to the same manifests', () => {
    const { secret } = desiredResources({ namespace: NS, caBundle: ca, serviceNamespace: SERVICE_NAMESPACE });
    const text = brotliDecompressSync(Buffer.from(secret.data['data.yaml.br']!, 'base64'));
    const other = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).toString('base64');
    expect(other).not.toBe(secret.data['data.yaml.br']);
    expect(decodeManifest({ 'data.yaml.br': other })).toBe(decodeManifest(secret.data));
    expect(decodeManifest({ 'data.yaml.br': 'bm90IGJyb3RsaQ==' })).toBeUndefined();
  });
});
