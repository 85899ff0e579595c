// The generated install manifests: equal to the copy in git, valid against the Kubernetes schemas,
// and holding what Gardener expects of a webhook extension.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE } from '../../src/gardener/extension-identity.js';
import { defaultHosts } from '../../src/certs/hosts.js';
import { manifestFiles, type ManifestOptions } from '../../src/manifests/bundle.js';
import { DEFAULT_IMAGE, DRAIN_SECONDS } from '../../src/manifests/names.js';
import { renderManifestFile } from '../../src/manifests/render.js';
import { REGISTRATION_CLUSTER_RULES, ROLLOUT_CLUSTER_RULES, SHOOT_MOVE_CLUSTER_RULES, registrationNamespaceRules, rolloutNamespaceRules } from '../../src/register/rbac.js';
import { webhooks } from '../../webhooks/index.js';
import { validateObject } from './schema.js';
import { Command } from '@commander-js/extra-typings';
import { addSettingsOptions } from '../../src/cli/settings-options.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated objects, navigated by the assertions
type Json = Record<string, any>;
const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULTS: ManifestOptions = { namespace: DEFAULT_NAMESPACE, image: DEFAULT_IMAGE };
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function objects(options: ManifestOptions = DEFAULTS): Json[] {
  return manifestFiles(webhooks, options).flatMap((file) => file.objects as Json[]);
}
function find(kind: string, options?: ManifestOptions, name?: string): Json {
  const found = objects(options).find((o) => o.kind === kind && (!name || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}`);
  return found;
}

describe('manifests/ in git', () => {
  it.each(manifestFiles(webhooks, DEFAULTS).map((file) => [file.name, file] as const))('%s is the generator output without a CA', (name, file) => {
    expect(readFileSync(join(ROOT, 'manifests', name), 'utf8')).toBe(renderManifestFile(file));
  });
});

describe('schema validation', () => {
  const variants: [string, ManifestOptions][] = [
    ['defaults', DEFAULTS],
    ['CA, shoot, unified phase and garden kubeconfig', { ...DEFAULTS, caBundle: CA, technicalId: 'shoot--foo--bar', gardenKubeconfigSecret: 'garden-kubeconfig', settings: { phase: 'unified', istioTlsTermination: true, destinationHeaders: ['X-Gardener-Destination'], assumeVpnClientCompatible: true } }],
  ];
  it.each(variants)('every object is valid (%s)', (_, options) => {
    const all = objects(options);
    expect(all.map((o) => o.kind)).toEqual([
      'Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding',
      'Service', 'Deployment', 'PodDisruptionBudget', 'NetworkPolicy',
      'ValidatingWebhookConfiguration', 'PodMonitor', 'PodMonitor', 'PrometheusRule', 'PrometheusRule', 'ConfigMap',
      'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
    ]);
    for (const object of all) expect(() => validateObject(object), `${object.kind} ${object.metadata.name}`).not.toThrow();
  });

  it('the validation catches a wrong field type', () => {
    const broken = find('Deployment');
    broken.spec.replicas = 'two';
    expect(() => validateObject(broken)).toThrow(/replicas must be integer/);
  });
});

describe('webhook configurations', () => {
  it('the shoot configuration has Gardener\'s shoot webhook fields', () => {
    const fixture = yaml.load(readFileSync(join(ROOT, 'test/fixtures/webhook/mutatingwebhookconfiguration.shoot.yaml'), 'utf8')) as Json;
    const shoot = find('MutatingWebhookConfiguration');
    expect(shoot.metadata).toEqual({ name: 'gardener-extension-http-proxy-migrator-shoot', labels: fixture.metadata.labels });
    expect(shoot.webhooks.map((w: Json) => w.name)).toEqual(['apiserver-proxy.http-proxy-migrator.extensions.gardener.cloud', 'vpn-shoot.http-proxy-migrator.extensions.gardener.cloud']);
    shoot.webhooks.forEach((webhook: Json, index: number) => {
      const expected = fixture.webhooks[index];
      for (const field of ['admissionReviewVersions', 'failurePolicy', 'matchPolicy', 'sideEffects', 'timeoutSeconds', 'namespaceSelector', 'rules']) {
        expect(webhook[field], field).toEqual(expected[field]);
      }
    });
    expect(shoot.webhooks[0].objectSelector).toEqual({ matchLabels: { app: 'kubernetes', role: 'apiserver-proxy' } });
    expect(shoot.webhooks[1].objectSelector).toEqual({ matchLabels: { app: 'vpn-shoot' } });
    expect(shoot.webhooks.map((w: Json) => w.clientConfig)).toEqual([
      { url: 'https://gardener-extension-http-proxy-migrator.extension-http-proxy-migrator:443/webhooks/apiserver-proxy' },
      { url: 'https://gardener-extension-http-proxy-migrator.extension-http-proxy-migrator:443/webhooks/vpn-shoot' },
    ]);
  });

  it('--shoot puts the technical ID on the per-shoot path; --ca-file becomes every caBundle', () => {
    const options = { ...DEFAULTS, namespace: 'ext', caBundle: CA, technicalId: 'shoot--foo--bar' };
    const shoot = find('MutatingWebhookConfiguration', options);
    expect(shoot.webhooks[0].clientConfig.url).toBe('https://gardener-extension-http-proxy-migrator.ext:443/webhooks/apiserver-proxy/shoot--foo--bar');
    expect(shoot.webhooks[1].clientConfig.url).toBe('https://gardener-extension-http-proxy-migrator.ext:443/webhooks/vpn-shoot/shoot--foo--bar');
    const configurations = objects(options).filter((o) => o.kind.endsWith('WebhookConfiguration'));
    for (const webhook of configurations.flatMap((c) => c.webhooks)) {
      expect(Buffer.from(webhook.clientConfig.caBundle, 'base64').toString()).toBe(CA);
    }
  });

  it('seed and garden configurations validate gardenlet configuration, failing closed: the seed through the Service, the garden by URL', () => {
    const [seed, garden] = objects().filter((o) => o.kind === 'ValidatingWebhookConfiguration');
    expect(seed!.metadata.name).toBe('gardener-extension-http-proxy-migrator');
    expect(garden!.metadata.name).toBe('gardener-extension-http-proxy-migrator-garden');
    expect(seed!.webhooks[0].rules[0].resources).toEqual(['configmaps']);
    expect(garden!.webhooks[0].rules[0].resources).toEqual(['managedseeds', 'gardenlets']);
    for (const webhook of [...seed!.webhooks, ...garden!.webhooks]) expect(webhook.failurePolicy).toBe('Fail');
    expect(seed!.webhooks[0].clientConfig.service).toEqual({ name: 'gardener-extension-http-proxy-migrator', namespace: DEFAULT_NAMESPACE, path: '/webhooks/gardenlet-config', port: 443 });
    // As gardener-admission-controller is registered: a URL works whichever API server calls (the virtual
    // garden's would look a Service reference up in its own, empty, cluster).
    expect(garden!.webhooks[0].clientConfig).toEqual({ url: `https://gardener-extension-http-proxy-migrator.${DEFAULT_NAMESPACE}/webhooks/gardenlet-config/garden` });
  });

  it('--garden-client-config service: the garden through the Service, for an API server without cluster DNS', () => {
    const [, garden] = objects({ ...DEFAULTS, gardenClientConfig: 'service' }).filter((o) => o.kind === 'ValidatingWebhookConfiguration');
    expect(garden!.webhooks[0].clientConfig.service).toEqual({ name: 'gardener-extension-http-proxy-migrator', namespace: DEFAULT_NAMESPACE, path: '/webhooks/gardenlet-config/garden', port: 443 });
  });

  it('the serving certificate names the garden URL host', () => {
    const [, garden] = objects().filter((o) => o.kind === 'ValidatingWebhookConfiguration');
    const host = new URL(garden!.webhooks[0].clientConfig.url).hostname;
    expect(defaultHosts('gardener-extension-http-proxy-migrator', DEFAULT_NAMESPACE)).toContain(host);
  });
});

describe('the server', () => {
  it('is scraped by the seed Prometheus through annotations on the server port', () => {
    expect(find('Deployment').spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/name': 'http-proxy-migrator' });
  });

  it('runs two locked-down replicas spread over nodes that drain before they are killed', () => {
    const deployment = find('Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources.requests).toHaveProperty('memory');
    expect(container.resources.limits).toHaveProperty('memory');
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(container.args).toContain(`--grace-period=${DRAIN_SECONDS}`);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(DRAIN_SECONDS);
    expect(container.args).toEqual(expect.arrayContaining(['serve', '--seed-kubeconfig=in-cluster', '--phase=tls-tunnel']));
  });

  it('mounts the serving certificate Secret where serve reads it', () => {
    const pod = find('Deployment').spec.template.spec;
    expect(pod.volumes[0]).toEqual({ name: 'certs', secret: { secretName: 'gardener-extension-http-proxy-migrator-tls', defaultMode: 0o440 } });
    expect(pod.containers[0].volumeMounts[0]).toEqual({ name: 'certs', mountPath: '/etc/http-proxy-migrator/certs', readOnly: true });
    expect(pod.containers[0].args).toContain('--cert-dir=/etc/http-proxy-migrator/certs');
  });

  it('passes the migration settings and the garden kubeconfig to serve', () => {
    const settings = { phase: 'unified' as const, destinationHeaders: ['X-Gardener-Destination', 'Reversed-VPN'], istioTlsTermination: true, assumeVpnClientCompatible: false };
    const args = find('Deployment', { ...DEFAULTS, settings, gardenKubeconfigSecret: 'garden-access' }).spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['--phase=unified', '--destination-header=X-Gardener-Destination,Reversed-VPN', '--istio-tls-termination', '--garden-kubeconfig=/etc/http-proxy-migrator/garden/kubeconfig']));
  });

  it('PDB: one replica down at most, unhealthy pods always evictable', () => {
    expect(find('PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  it('Service: 443 to the webhook port, open to every webhook caller in Gardener\'s network policies', () => {
    const service = find('Service');
    expect(service.spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'webhook', protocol: 'TCP' }]);
    expect(JSON.parse(service.metadata.annotations['networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports'])).toEqual([{ protocol: 'TCP', port: 9443 }]);
    const ports = find('Deployment').spec.template.spec.containers[0].ports;
    expect(ports.find((p: Json) => p.name === 'webhook').containerPort).toBe(9443);
  });

  it('NetworkPolicy admits only the webhook and metrics ports', () => {
    expect(find('NetworkPolicy').spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 9443 }, { protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8081 }] }]);
  });

  it('ClusterRole: read-only, no wildcards, shoots and the Istio ingress objects', () => {
    const rules: Json[] = find('ClusterRole').rules;
    expect(rules).toContainEqual({ apiGroups: ['core.gardener.cloud'], resources: ['shoots'], verbs: ['get', 'list', 'watch'] });
    expect(rules).toContainEqual({ apiGroups: ['networking.istio.io'], resources: ['envoyfilters', 'gateways'], verbs: ['get', 'list', 'watch'] });
    for (const rule of rules) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
      expect(rule.verbs.every((verb: string) => ['get', 'list', 'watch'].includes(verb))).toBe(true);
    }
    expect(find('ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'gardener-extension-http-proxy-migrator', namespace: DEFAULT_NAMESPACE }]);
  });
  it('register controller: its own writing roles from its declared rules, the Lease only in the server namespace', () => {
    const role = 'gardener-extension-http-proxy-migrator-register';
    expect(find('ClusterRole', DEFAULTS, role).rules).toEqual([...REGISTRATION_CLUSTER_RULES, ...SHOOT_MOVE_CLUSTER_RULES, ...ROLLOUT_CLUSTER_RULES]);
    expect(find('ClusterRoleBinding', DEFAULTS, role).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role });
    expect(find('Role', DEFAULTS, role)).toMatchObject({ metadata: { namespace: DEFAULT_NAMESPACE }, rules: [...registrationNamespaceRules(), ...rolloutNamespaceRules()] });
    expect(find('RoleBinding', DEFAULTS, role).subjects).toEqual([{ kind: 'ServiceAccount', name: 'gardener-extension-http-proxy-migrator', namespace: DEFAULT_NAMESPACE }]);
    for (const rule of [...REGISTRATION_CLUSTER_RULES, ...SHOOT_MOVE_CLUSTER_RULES, ...ROLLOUT_CLUSTER_RULES, ...registrationNamespaceRules(), ...rolloutNamespaceRules()]) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
    }
  });

  it('register controller: a second container with the CA bundle, the real namespace, liveness but no readiness', () => {
    const [, register] = find('Deployment').spec.template.spec.containers;
    expect(register.name).toBe('register');
    expect(register.args).toEqual(['register', '--ca-file=/etc/http-proxy-migrator/certs/ca.crt', '--service-namespace=$(POD_NAMESPACE)', '--metrics-port=8081', '--peer-status-url=http://localhost:8080/', '--phase=tls-tunnel']);
    expect(find('Deployment').spec.template.spec.containers[0].args).toContain('--peer-status-url=http://localhost:8081/');
    expect(register.env).toEqual([
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'NODE_OPTIONS', value: '--max-semi-space-size=2' },
    ]);
    expect(register.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'register-metrics' });
    expect(register.readinessProbe).toBeUndefined();
    expect(register.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    const all = find('Deployment', { ...DEFAULTS, registerShoots: 'all' }).spec.template.spec.containers[1];
    expect(all.args).toContain('--all-shoots');
    // The rollout reaches shoot API servers: Gardener's egress label for that.
    expect(find('Deployment').spec.template.metadata.labels).toMatchObject({ 'networking.resources.gardener.cloud/to-all-shoots-kube-apiserver-tcp-443': 'allowed' });
  });

  it('the server and the register controller get identical migration settings flags, from one source', () => {
    // The flag names come from the settings options themselves, so a new setting cannot be left out of this check.
    const names = addSettingsOptions(new Command()).options.map((o) => o.long!);
    const settingsFlags = (args: string[]): string[] => args.filter((a) => names.includes(a.split('=')[0]!));
    const variants: ManifestOptions['settings'][] = [
      undefined,
      { phase: 'tls-tunnel', destinationHeaders: ['Reversed-VPN', 'X-Gardener-Destination'], istioTlsTermination: true, assumeVpnClientCompatible: true },
      { phase: 'unified', istioTlsTermination: false, assumeVpnClientCompatible: false },
    ];
    for (const settings of variants) {
      const [serve, register] = find('Deployment', { ...DEFAULTS, ...(settings ? { settings } : {}) }).spec.template.spec.containers;
      expect(settingsFlags(serve.args).length).toBeGreaterThan(0);
      expect(settingsFlags(register.args)).toEqual(settingsFlags(serve.args));
    }
    expect(settingsFlags(find('Deployment', { ...DEFAULTS, settings: variants[1] }).spec.template.spec.containers[1].args)).toEqual([
      '--phase=tls-tunnel',
      '--destination-header=Reversed-VPN,X-Gardener-Destination',
      '--istio-tls-termination',
      '--assume-vpn-client-compatible',
    ]);
  });

  it('--register-shoots off: no controller, no writing roles', () => {
    const options: ManifestOptions = { ...DEFAULTS, registerShoots: 'off' };
    expect(find('Deployment', options).spec.template.spec.containers).toHaveLength(1);
    expect(find('Deployment', options).spec.template.metadata.labels).not.toHaveProperty(['networking.resources.gardener.cloud/to-all-shoots-kube-apiserver-tcp-443']);
    expect(objects(options).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual([
      'gardener-extension-http-proxy-migrator',
    ]);
  });
});

describe('garden extension registration', () => {
  it('is written only with a chart, as a helm ControllerDeployment and an opt-in ControllerRegistration', () => {
    expect(manifestFiles(webhooks, DEFAULTS).map((f) => f.name)).not.toContain('garden-extension.yaml');
    const file = manifestFiles(webhooks, { ...DEFAULTS, controllerChart: 'registry.example.com/charts/http-proxy-migrator:0.1.0' }).find(
      (f) => f.name === 'garden-extension.yaml',
    );
    const [deployment, registration] = file!.objects as Json[];
    expect(deployment).toMatchObject({
      apiVersion: 'core.gardener.cloud/v1',
      kind: 'ControllerDeployment',
      helm: { ociRepository: { ref: 'registry.example.com/charts/http-proxy-migrator:0.1.0' } },
    });
    expect(registration).toMatchObject({
      apiVersion: 'core.gardener.cloud/v1beta1',
      kind: 'ControllerRegistration',
      spec: {
        resources: [{ kind: 'Extension', type: 'http-proxy-migrator', globallyEnabled: false }],
        deployment: { deploymentRefs: [{ name: deployment!.metadata.name }] },
      },
    });
  });
});
