// A seed on loopback for the registration tests: the fake API with the resources the controller
// touches, shoot namespaces and Extensions, a CA bundle file, and a controller with a short resync.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { Registry } from 'prom-client';
import { afterEach } from 'vitest';
import { generateCertificates } from '../../src/certs/generate.js';
import { pooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { ShootWebhookController, type ControllerOptions } from '../../src/register/controller.js';
import { MANAGED_RESOURCE_NAME } from '../../src/register/desired.js';
import { FINALIZER, OPERATION_ANNOTATION, type ExtensionStatus } from '../../src/register/extension-contract.js';
import { RegistrationMetrics } from '../../src/register/metrics.js';
import { startRegistration, type RunningRegistration } from '../../src/register/registration.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';

export const SERVICE_NAMESPACE = 'extension-http-proxy-migrator-7xk2p';
export const RESYNC_MS = 200;
/** For tests that must prove retries and events alone do the work: no resync within the test. */
export const NO_RESYNC_MS = 600_000;
export const silentLogger = createLogger('silent');

export async function newCa(): Promise<string> {
  // As a PEM file holds it: ending in a newline.
  return `${(await generateCertificates({ hosts: ['localhost'] })).caCert.trimEnd()}\n`;
}

export interface WebhookEntry {
  name: string;
  clientConfig: { url: string; caBundle: string };
  failurePolicy: string;
  timeoutSeconds: number;
  [field: string]: unknown;
}
export interface DeliveredConfig {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  webhooks: WebhookEntry[];
}
export interface StoredManagedResource {
  metadata: { name: string; namespace: string; annotations?: Record<string, string>; [field: string]: unknown };
  spec: { secretRefs: { name: string }[]; keepObjects?: boolean; class?: string };
}

export interface StoredExtension {
  metadata: {
    name: string;
    namespace: string;
    generation?: number;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec: { type: string };
  status?: ExtensionStatus;
}

export interface Seed {
  api: FakeKubeApi;
  kubeConfig: k8s.KubeConfig;
  caFile: string;
  writeCa(pem: string): void;
  addShoot(namespace: string, options?: { extension?: boolean; labels?: Record<string, string> }): void;
  /** `reconciled`: as our controller leaves it once done (finalizer, Succeeded, generation observed). */
  addExtension(namespace: string, type?: string, options?: { reconciled?: boolean; annotations?: Record<string, string> }): void;
  /** Gone at once, finalizers or not (as if force-deleted). */
  removeExtension(namespace: string): void;
  /** A DELETE as gardenlet sends it: held by finalizers until they are removed. */
  deleteExtension(namespace: string): void;
  /** gardenlet asking for an operation: `gardener.cloud/operation: <operation>`. */
  requestOperation(namespace: string, operation: string): void;
  extension(namespace: string): StoredExtension | undefined;
  managedResource(namespace: string): StoredManagedResource | undefined;
  /** The MutatingWebhookConfiguration the namespace's ManagedResource currently delivers. */
  delivered(namespace: string): DeliveredConfig | undefined;
  startController(
    options?: Partial<ControllerOptions>,
  ): Promise<{ controller: ShootWebhookController; metrics: RegistrationMetrics; registry: Registry }>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs after the current test, in reverse order of registration, with the seed's own clean-up. */
export function afterThisTest(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

export interface SeedApi {
  api: FakeKubeApi;
  dir: string;
  kubeConfig: k8s.KubeConfig;
  caFile: string;
}

/** A fake seed with what the register controller and the rollout read and write, its kubeconfig and a CA file. */
export async function startSeedApi(prefix: string, extend: (api: FakeKubeApi) => FakeKubeApi = (api) => api): Promise<SeedApi> {
  const api = await extend(
    new FakeKubeApi()
      .register(
        RESOURCES.namespaces,
        RESOURCES.secrets,
        RESOURCES.extensions,
        RESOURCES.managedResources,
        RESOURCES.leases,
        RESOURCES.configMaps,
        RESOURCES.events,
        RESOURCES.clusters,
      )
      .trackGenerations(),
  ).start();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(
    () => api.stop(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(api.writeKubeconfig(dir));
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, await newCa());
  return { api, dir, kubeConfig, caFile };
}

export async function startSeed(): Promise<Seed> {
  const { api, kubeConfig, caFile } = await startSeedApi('hpm-register-', (api) => api.withStatusSubresource(RESOURCES.extensions));

  const seed: Seed = {
    api,
    kubeConfig,
    caFile,
    writeCa: (pem) => writeFileSync(caFile, pem),
    addShoot(namespace, options = {}) {
      api.put(RESOURCES.namespaces, {
        metadata: { name: namespace, labels: options.labels ?? { 'gardener.cloud/role': 'shoot' } },
        status: { phase: 'Active' },
      });
      if (options.extension ?? true) seed.addExtension(namespace);
    },
    addExtension(namespace, type = 'http-proxy-migrator', options = {}) {
      const metadata = {
        name: type,
        namespace,
        annotations: options.annotations,
        ...(options.reconciled ? { finalizers: [FINALIZER] } : {}),
      };
      const stored = api.put(RESOURCES.extensions, { metadata, spec: { type } });
      if (options.reconciled) {
        const lastOperation = {
          type: 'Create',
          state: 'Succeeded',
          progress: 100,
          description: 'shoot webhooks registered',
          lastUpdateTime: new Date().toISOString(),
        };
        api.put(RESOURCES.extensions, { ...stored, status: { observedGeneration: stored.metadata.generation, lastOperation } });
      }
    },
    removeExtension(namespace) {
      api.remove(RESOURCES.extensions, namespace, 'http-proxy-migrator');
    },
    deleteExtension(namespace) {
      api.delete(RESOURCES.extensions, namespace, 'http-proxy-migrator');
    },
    requestOperation(namespace, operation) {
      const ext = api.get(RESOURCES.extensions, namespace, 'http-proxy-migrator')!;
      const annotations = { ...(ext.metadata.annotations as Record<string, string> | undefined), [OPERATION_ANNOTATION]: operation };
      api.put(RESOURCES.extensions, { ...ext, metadata: { ...ext.metadata, annotations } });
    },
    extension: (namespace) => api.get(RESOURCES.extensions, namespace, 'http-proxy-migrator') as unknown as StoredExtension | undefined,
    managedResource: (namespace) =>
      api.get(RESOURCES.managedResources, namespace, MANAGED_RESOURCE_NAME) as unknown as StoredManagedResource | undefined,
    delivered(namespace) {
      const mr = seed.managedResource(namespace);
      const ref = mr?.spec.secretRefs[0]?.name;
      const secret = ref ? (api.get(RESOURCES.secrets, namespace, ref) as { data?: Record<string, string> } | undefined) : undefined;
      const encoded = secret?.data?.['data.yaml.br'];
      return encoded ? (yaml.load(brotliDecompressSync(Buffer.from(encoded, 'base64')).toString('utf8')) as DeliveredConfig) : undefined;
    },
    async startController(options = {}) {
      const registry = new Registry();
      const metrics = new RegistrationMetrics(registry);
      const controller = new ShootWebhookController({
        cluster: pooledKubeConfig(kubeConfig),
        caFile,
        settings: { serviceNamespace: SERVICE_NAMESPACE },
        resyncPeriodMs: RESYNC_MS,
        backoff: { baseMs: 20, maxMs: 200 },
        logger: silentLogger,
        metrics,
        ...options,
      });
      cleanups.push(() => controller.stop());
      await controller.start();
      return { controller, metrics, registry };
    },
  };
  return seed;
}

export { until } from '../support/until.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value;
}

/** A leader-electing registration against the fake seed, as a replica of the webhook Deployment runs it. */
export function startReplica(
  seed: Seed,
  timing: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number },
  registry = new Registry(),
): Promise<RunningRegistration> {
  return startRegistration({
    cluster: pooledKubeConfig(seed.kubeConfig),
    caFile: seed.caFile,
    settings: { serviceNamespace: SERVICE_NAMESPACE },
    resyncPeriodMs: RESYNC_MS,
    registry,
    leaderElection: { namespace: SERVICE_NAMESPACE, ...timing },
    logger: silentLogger,
  });
}
