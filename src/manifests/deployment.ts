// The webhook server Deployment, following Gardener's conventions for webhook servers: two replicas on
// different nodes, a locked-down container, and a drain that finishes before the kubelet kills it.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIoK8sApiCoreV1Volume } from 'kubernetes-models/v1/Volume';
import type { IIoK8sApiCoreV1VolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { METRICS_PORT, REGISTER_METRICS_PORT, SERVICE_NAME, WEBHOOK_PORT } from '../gardener/extension-identity.js';
import { SCRAPE_ANNOTATIONS } from './monitoring/objects.js';
import {
  CERT_DIR,
  COMMON_LABELS,
  CONTAINER_NAME,
  DRAIN_SECONDS,
  GARDEN_KUBECONFIG_DIR,
  REGISTER_CONTAINER_NAME,
  SELECTOR_LABELS,
  TERMINATION_GRACE_SECONDS,
  TLS_SECRET_NAME,
  WAVES_CONFIGMAP_NAME,
  WAVES_DIR,
  WAVES_KEY,
  type RegisterMode,
} from './names.js';
import { wavesChecksumAnnotation } from './waves-configmap.js';

export interface DeploymentOptions {
  namespace: string;
  image: string;
  /**
   * Migration settings as flags (--phase=..., ...), given to the server and the register controller alike: the
   * rollout's "in the target" must be the webhook's own, or it would delete a ConfigMap the webhook never moves.
   */
  settingsArgs: string[];
  /** Secret with key `kubeconfig` for the garden cluster, for the gardenlet-config webhook's shoot index. */
  gardenKubeconfigSecret?: string;
  /** Run the register controller beside the server, writing the shoot webhook configurations. */
  registerShoots: RegisterMode;
  /**
   * The rollout's waves file as given (its ConfigMap is generated beside the Deployment): the register
   * controller runs the rollout, with the garden kubeconfig Secret, if any, for the garden's Shoot conditions.
   */
  wavesText?: string;
}

// Gardener's seed NetworkPolicies deny egress by default in extension namespaces; these labels allow what
// the server calls: DNS, the seed's API server (live preflight) and, for the garden cluster, public networks.
const EGRESS_LABELS = {
  'networking.gardener.cloud/to-dns': 'allowed',
  'networking.gardener.cloud/to-runtime-apiserver': 'allowed',
  'networking.gardener.cloud/to-public-networks': 'allowed',
};

// The register controller's rollout moves shoots through their API servers (kube-apiserver.<technical-id>.svc:443):
// Gardener's label for that (the kube-apiserver Service carries the alias `all-shoots` and admits extension namespaces).
const SHOOT_API_EGRESS_LABELS = { 'networking.resources.gardener.cloud/to-all-shoots-kube-apiserver-tcp-443': 'allowed' };

const NON_ROOT_ID = 65532;

const CONTAINER_SECURITY: IIoK8sApiCoreV1SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** V8 settings of the register container (the benchmark runs the controller with the same). */
export const REGISTER_NODE_OPTIONS = '--max-semi-space-size=2';

/**
 * The register controller: every replica campaigns for the Lease, one writes. It has a liveness probe but
 * no readiness probe, because a pod's readiness covers all its containers and the webhook must keep serving
 * while the controller syncs or waits for the Lease.
 */
function registerContainer(image: string, mode: Exclude<RegisterMode, 'off'>, settingsArgs: readonly string[], rollout: RolloutMounts): IIoK8sApiCoreV1Container {
  return {
    name: REGISTER_CONTAINER_NAME,
    image,
    imagePullPolicy: 'IfNotPresent',
    args: [
      'register',
      `--ca-file=${CERT_DIR}/ca.crt`,
      // Gardener's extension namespaces carry a random suffix: the webhook URL must name the real one.
      '--service-namespace=$(POD_NAMESPACE)',
      `--metrics-port=${REGISTER_METRICS_PORT}`,
      // Both pages are opened through `kubectl port-forward <pod> 8080 8081`: each links the other there.
      `--peer-status-url=http://localhost:${METRICS_PORT}/`,
      ...(mode === 'all' ? ['--all-shoots'] : []),
      ...settingsArgs,
      ...rollout.args,
    ],
    env: [
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      // A small young generation: the controller's garbage is short-lived, and V8's default 16 MB
      // semi-spaces alone would add about 30 MB of resident memory at 2,000 shoots.
      { name: 'NODE_OPTIONS', value: REGISTER_NODE_OPTIONS },
    ],
    ports: [{ name: 'register-metrics', containerPort: REGISTER_METRICS_PORT, protocol: 'TCP' }],
    livenessProbe: { httpGet: { path: '/healthz', port: 'register-metrics' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
    resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    securityContext: CONTAINER_SECURITY,
    volumeMounts: [{ name: 'certs', mountPath: CERT_DIR, readOnly: true }, ...rollout.mounts],
  };
}

interface RolloutMounts {
  args: string[];
  mounts: IIoK8sApiCoreV1VolumeMount[];
}

/** What the register container needs to run the rollout: the waves file and, if given, the garden kubeconfig. */
function rolloutMounts(options: DeploymentOptions): RolloutMounts {
  if (options.wavesText === undefined) return { args: [], mounts: [] };
  const args = [`--waves=${WAVES_DIR}/${WAVES_KEY}`];
  const mounts: IIoK8sApiCoreV1VolumeMount[] = [{ name: 'waves', mountPath: WAVES_DIR, readOnly: true }];
  if (options.gardenKubeconfigSecret) {
    args.push(`--garden-kubeconfig=${GARDEN_KUBECONFIG_DIR}/kubeconfig`);
    mounts.push({ name: 'garden-kubeconfig', mountPath: GARDEN_KUBECONFIG_DIR, readOnly: true });
  }
  return { args, mounts };
}

export function deployment(options: DeploymentOptions): IDeployment {
  const volumes: IIoK8sApiCoreV1Volume[] = [{ name: 'certs', secret: { secretName: TLS_SECRET_NAME, defaultMode: 0o440 } }];
  const mounts: IIoK8sApiCoreV1VolumeMount[] = [{ name: 'certs', mountPath: CERT_DIR, readOnly: true }];
  const args = [
    'serve',
    `--cert-dir=${CERT_DIR}`,
    `--port=${WEBHOOK_PORT}`,
    `--metrics-port=${METRICS_PORT}`,
    `--grace-period=${DRAIN_SECONDS}`,
    // The server judges the seed it runs in before it mutates any apiserver-proxy.
    '--seed-kubeconfig=in-cluster',
    ...options.settingsArgs,
  ];
  if (options.registerShoots !== 'off') args.push(`--peer-status-url=http://localhost:${REGISTER_METRICS_PORT}/`);
  if (options.gardenKubeconfigSecret) {
    volumes.push({ name: 'garden-kubeconfig', secret: { secretName: options.gardenKubeconfigSecret, defaultMode: 0o440 } });
    mounts.push({ name: 'garden-kubeconfig', mountPath: GARDEN_KUBECONFIG_DIR, readOnly: true });
    args.push(`--garden-kubeconfig=${GARDEN_KUBECONFIG_DIR}/kubeconfig`);
  }
  const withRollout = options.wavesText !== undefined && options.registerShoots !== 'off';
  if (withRollout) volumes.push({ name: 'waves', configMap: { name: WAVES_CONFIGMAP_NAME } });
  const annotations = withRollout ? { ...SCRAPE_ANNOTATIONS, ...wavesChecksumAnnotation(options.wavesText!) } : SCRAPE_ANNOTATIONS;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: SERVICE_NAME, namespace: options.namespace, labels: COMMON_LABELS },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 2,
      selector: { matchLabels: SELECTOR_LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...COMMON_LABELS, ...EGRESS_LABELS, ...(options.registerShoots === 'off' ? {} : SHOOT_API_EGRESS_LABELS) }, annotations },
        spec: {
          serviceAccountName: SERVICE_NAME,
          automountServiceAccountToken: true,
          priorityClassName: 'gardener-system-900',
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NON_ROOT_ID,
            runAsGroup: NON_ROOT_ID,
            fsGroup: NON_ROOT_ID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            // Hard on nodes: one node going away must leave a replica answering. pod-template-hash keeps
            // a rollout's new pods from being counted against the old ones.
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: SELECTOR_LABELS },
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: SELECTOR_LABELS },
              matchLabelKeys: ['pod-template-hash'],
            },
          ],
          containers: [
            {
              name: CONTAINER_NAME,
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              args,
              ports: [
                { name: 'webhook', containerPort: WEBHOOK_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 5, failureThreshold: 2 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'metrics' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
              // No CPU limit, as in Gardener's components: throttling would only add admission latency.
              resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '384Mi' } },
              securityContext: CONTAINER_SECURITY,
              volumeMounts: mounts,
            },
            ...(options.registerShoots === 'off' ? [] : [registerContainer(options.image, options.registerShoots, options.settingsArgs, rolloutMounts(options))]),
          ],
          volumes,
        },
      },
    },
  };
}
