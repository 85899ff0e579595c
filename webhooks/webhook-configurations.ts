// Webhook configurations built from the registry, the way Gardener's extension library builds them
// (extensions/pkg/webhook/registration.go): names, client config modes and defaults.
import type { Webhook, WebhookPlacement, WebhookTarget } from '../src/admission/webhook.js';
import { serviceHost } from '../src/certs/hosts.js';
import { EXTENSION_NAME, SERVICE_NAME, SERVICE_PORT } from '../src/gardener/extension-identity.js';
import type { ShootTarget } from '../src/gardener/shoot-target.js';
import { shootPathParameters } from './shoot-path.js';

const SHOOT_WEBHOOK_CONFIGURATION_NAME = `gardener-extension-${EXTENSION_NAME}-shoot`;
const SEED_WEBHOOK_CONFIGURATION_NAME = `gardener-extension-${EXTENSION_NAME}`;
const GARDEN_WEBHOOK_CONFIGURATION_NAME = `gardener-extension-${EXTENSION_NAME}-garden`;

export interface WebhookEndpoint {
  namespace: string;
  serviceName?: string;
  servicePort?: number;
  /** PEM bundle; omitted from the configuration when absent (injected later). */
  caBundle?: string;
  /**
   * How the garden's API server reaches the server: a URL (default, as Gardener registers its own admission
   * controller) or a Service reference, for a garden API server that cannot resolve cluster DNS names.
   */
  gardenClientConfig?: GardenClientConfig;
}

export const GARDEN_CLIENT_CONFIGS = ['url', 'service'] as const;
export type GardenClientConfig = (typeof GARDEN_CLIENT_CONFIGS)[number];

export interface ShootWebhookOptions extends WebhookEndpoint {
  /** The shoot's technical ID, for the per-shoot path that tells the server which shoot is calling. */
  technicalId?: string;
  /** The shoot's own target, after the technical ID in the path (absent: the server's --phase). */
  target?: ShootTarget;
}

type Json = Record<string, unknown>;

function webhookConfigName(webhook: Webhook): string {
  return `${webhook.name}.${EXTENSION_NAME}.extensions.gardener.cloud`;
}

/**
 * The MutatingWebhookConfiguration that goes into a shoot. Shoot targets use Gardener's url-service mode:
 * the shoot's kube-apiserver runs in the seed and reaches the Service by its cluster DNS name.
 */
export function shootWebhookConfiguration(webhooks: readonly Webhook[], options: ShootWebhookOptions): Json {
  const service = options.serviceName ?? SERVICE_NAME;
  const port = options.servicePort ?? SERVICE_PORT;
  const parameters = shootPathParameters(options.technicalId, options.target);
  const entries = placementsFor(webhooks, 'shoot').map(({ webhook, placement }) => {
    const path = pathWith(webhook, parameters);
    return webhookEntry(webhook, placement, withCa({ url: `https://${service}.${options.namespace}:${port}${path}` }, options.caBundle));
  });
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: SHOOT_WEBHOOK_CONFIGURATION_NAME,
      labels: { 'remediation.webhook.shoot.gardener.cloud/exclude': 'true' },
    },
    webhooks: entries,
  };
}

/** The configurations for one target (seed or garden), one object per webhook type present. */
export function clusterWebhookConfigurations(
  webhooks: readonly Webhook[],
  target: Exclude<WebhookTarget, 'shoot'>,
  endpoint: WebhookEndpoint,
): Json[] {
  const placed = placementsFor(webhooks, target);
  const name = target === 'seed' ? SEED_WEBHOOK_CONFIGURATION_NAME : GARDEN_WEBHOOK_CONFIGURATION_NAME;
  const result: Json[] = [];
  for (const type of ['mutating', 'validating'] as const) {
    const ofType = placed.filter(({ webhook }) => webhook.type === type);
    if (ofType.length === 0) continue;
    result.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: type === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
      metadata: { name },
      webhooks: ofType.map(({ webhook, placement }) =>
        webhookEntry(webhook, placement, withCa(clusterClientConfig(webhook, placement, endpoint), endpoint.caBundle)),
      ),
    });
  }
  return result;
}

/**
 * The seed's API server reaches the Service by reference. The garden's may not: in an operator-managed
 * garden gardener-apiserver reads webhook configurations from the virtual garden, whose kube-apiserver
 * would look the Service up in its own, empty, cluster. So the garden gets a URL naming the runtime
 * cluster's Service, as Gardener registers its own admission controller
 * (pkg/component/gardener/admissioncontroller/webhooks.go).
 */
function clusterClientConfig(webhook: Webhook, placement: WebhookPlacement, endpoint: WebhookEndpoint): Json {
  const name = endpoint.serviceName ?? SERVICE_NAME;
  const port = endpoint.servicePort ?? SERVICE_PORT;
  const path = placement.path ?? webhook.path;
  if (placement.target === 'garden' && endpoint.gardenClientConfig !== 'service')
    return { url: `https://${serviceHost(name, endpoint.namespace)}${port === 443 ? '' : `:${port}`}${path}` };
  return { service: { name, namespace: endpoint.namespace, path, port } };
}

/** The webhook's path with the segments it declares, in order, up to the first one not given. */
function pathWith(webhook: Webhook, parameters: Readonly<Record<string, string>>): string {
  let path = webhook.path;
  for (const { name } of webhook.pathParameters ?? []) {
    const value = parameters[name];
    if (value === undefined) break;
    path += `/${encodeURIComponent(value)}`;
  }
  return path;
}

function placementsFor(webhooks: readonly Webhook[], target: WebhookTarget): { webhook: Webhook; placement: WebhookPlacement }[] {
  return webhooks.flatMap((webhook) => webhook.placements.filter((p) => p.target === target).map((placement) => ({ webhook, placement })));
}

function webhookEntry(webhook: Webhook, placement: WebhookPlacement, clientConfig: Json): Json {
  const entry: Json = {
    name: webhookConfigName(webhook),
    admissionReviewVersions: ['v1', 'v1beta1'],
    clientConfig,
    failurePolicy: webhook.failurePolicy,
    matchPolicy: 'Exact',
    sideEffects: 'None',
    timeoutSeconds: webhook.timeoutSeconds,
  };
  if (placement.namespaceSelector) entry.namespaceSelector = placement.namespaceSelector;
  if (placement.objectSelector) entry.objectSelector = placement.objectSelector;
  entry.rules = placement.rules;
  return entry;
}

function withCa(clientConfig: Json, caBundle: string | undefined): Json {
  return caBundle ? { ...clientConfig, caBundle: Buffer.from(caBundle).toString('base64') } : clientConfig;
}
