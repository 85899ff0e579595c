// Everything an operator applies, grouped by the cluster it goes to: the server (seed, and the garden
// runtime cluster for the garden webhook), the seed and garden webhook configurations, and the shoot's.
import type { ShootTarget } from '../gardener/shoot-target.js';
import { DEFAULT_SETTINGS, type MigrationSettings } from '../gardener/settings.js';
import type { Webhook } from '../admission/webhook.js';
import { controllerRegistrationObjects } from './controller-registration.js';
import { deployment } from './deployment.js';
import { podDisruptionBudget } from './disruption-budget.js';
import { namespace } from './namespace.js';
import { networkPolicy } from './network-policy.js';
import type { RegisterMode } from './names.js';
import { clusterRole, clusterRoleBinding, registerClusterRole, registerRole, registerRoleBinding, serviceAccount } from './rbac.js';
import { monitoringObjects } from './monitoring/objects.js';
import { service } from './service.js';
import { wavesConfigMap } from './waves-configmap.js';
import { clusterWebhookConfigurations, shootWebhookConfiguration, type GardenClientConfig } from '../../webhooks/webhook-configurations.js';

export interface ManifestOptions {
  namespace: string;
  image: string;
  /** PEM bundle of the CA that signed the serving certificate; left out when absent. */
  caBundle?: string;
  /** Write the shoot configuration for this shoot's per-shoot path. */
  technicalId?: string;
  /** With technicalId: the shoot's own target in its paths. */
  target?: ShootTarget;
  settings?: MigrationSettings;
  gardenKubeconfigSecret?: string;
  /** Which shoots the register controller writes the shoot webhook configuration into (default: extension). */
  registerShoots?: RegisterMode;
  /**
   * OCI reference of a Helm chart that installs the server on a seed: adds the garden's ControllerDeployment
   * and ControllerRegistration, so that shoots can opt in with `spec.extensions`. Without a chart a
   * registration would leave such shoots waiting for an installation that never becomes healthy.
   */
  controllerChart?: string;
  /** How the garden's API server reaches the garden webhook (default: URL). */
  gardenClientConfig?: GardenClientConfig;
  /**
   * The rollout's waves file, validated, as the operator wrote it: a ConfigMap the register container
   * mounts and runs the rollout from (`register --waves`). Needs the register controller.
   */
  wavesText?: string;
}

export interface ManifestFile {
  name: string;
  /** Where the objects go, for the file's header. */
  appliesTo: string;
  objects: object[];
}

export function manifestFiles(webhooks: readonly Webhook[], options: ManifestOptions): ManifestFile[] {
  // The rollout runs in the register container: without it the waves would be mounted nowhere.
  if (options.wavesText !== undefined && options.registerShoots === 'off') throw new Error('the waves need the register controller');
  const endpoint = { namespace: options.namespace, caBundle: options.caBundle, gardenClientConfig: options.gardenClientConfig };
  const registerShoots = options.registerShoots ?? 'extension';
  const registerRbac =
    registerShoots === 'off'
      ? []
      : [registerClusterRole(), clusterRoleBinding(options.namespace, registerClusterRole().metadata!.name), registerRole(options.namespace), registerRoleBinding(options.namespace)];
  return [
    {
      name: 'server.yaml',
      appliesTo: 'the seed (and the garden runtime cluster, for the garden webhook)',
      objects: [
        namespace(options.namespace),
        serviceAccount(options.namespace),
        clusterRole(),
        clusterRoleBinding(options.namespace),
        ...registerRbac,
        service(options.namespace),
        ...(options.wavesText === undefined ? [] : [wavesConfigMap(options.namespace, options.wavesText)]),
        deployment({
          namespace: options.namespace,
          image: options.image,
          settingsArgs: settingsArgs(options.settings ?? DEFAULT_SETTINGS),
          gardenKubeconfigSecret: options.gardenKubeconfigSecret,
          registerShoots,
          wavesText: options.wavesText,
        }),
        podDisruptionBudget(options.namespace),
        networkPolicy(options.namespace),
      ],
    },
    { name: 'seed-webhooks.yaml', appliesTo: 'the seed', objects: clusterWebhookConfigurations(webhooks, 'seed', endpoint) },
    {
      name: 'monitoring.yaml',
      appliesTo: "each seed the server runs on (Gardener's monitoring stack in its garden namespace)",
      objects: monitoringObjects({ withRegister: registerShoots !== 'off' }),
    },
    {
      name: 'garden-webhooks.yaml',
      appliesTo: "the API server gardener-apiserver reads webhook configurations from: the virtual garden where gardener-operator runs the garden, else the garden cluster",
      objects: clusterWebhookConfigurations(webhooks, 'garden', endpoint),
    },
    ...(options.controllerChart
      ? [{ name: 'garden-extension.yaml', appliesTo: 'the garden cluster', objects: controllerRegistrationObjects({ ociChart: options.controllerChart }) }]
      : []),
    {
      name: 'shoot-webhooks.yaml',
      appliesTo: options.technicalId ? `the shoot ${options.technicalId}` : 'each shoot (normally written by the extension controller)',
      objects: [shootWebhookConfiguration(webhooks, { ...endpoint, technicalId: options.technicalId, target: options.target })],
    },
  ];
}

/** The settings as serve flags; defaults are written too, so the Deployment says which phase it runs. */
function settingsArgs(settings: MigrationSettings): string[] {
  const args = [`--phase=${settings.phase}`];
  if (settings.destinationHeaders?.length) args.push(`--destination-header=${settings.destinationHeaders.join(',')}`);
  if (settings.istioTlsTermination) args.push('--istio-tls-termination');
  if (settings.assumeVpnClientCompatible) args.push('--assume-vpn-client-compatible');
  return args;
}
