// Gardener's monitoring stack on the seed, extended the way docs/extensions/logging-and-monitoring.md
// says: objects in `garden` labelled for the Prometheus they extend, and a dashboard ConfigMap.
import { EXTENSION_NAME, METRICS_PORT } from '../../gardener/extension-identity.js';
import { SELECTOR_LABELS } from '../names.js';
import { dashboard } from './dashboard.js';
import { M } from './metric-names.js';
import { alertRuleGroups, recordingRuleGroups } from './rules.js';

const GARDEN = 'garden';

/** The seed Prometheus scrapes pods in extension-* namespaces carrying these (one port per pod). */
export const SCRAPE_ANNOTATIONS: Record<string, string> = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(METRICS_PORT),
  'prometheus.io/name': EXTENSION_NAME,
};

// Installed by a ControllerRegistration the namespace is extension-<name>-<suffix>: select by pod labels.
const OUR_PODS = { namespaceSelector: { any: true }, selector: { matchLabels: SELECTOR_LABELS } };

/** The register controller's port, which the annotations cannot name (they name the server's). */
function seedRegisterPodMonitor(): object {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `seed-${EXTENSION_NAME}-register`, namespace: GARDEN, labels: { prometheus: 'seed' } },
    spec: { ...OUR_PODS, podMetricsEndpoints: [{ port: 'register-metrics', path: '/metrics' }] },
  };
}

/** The cache Prometheus keeps only what the recording rules read. */
function cachePodMonitor(withRegister: boolean): object {
  const kept = [M.gateShoots, M.requests, M.outcomes, M.certificateNotAfter, M.indexSynced, ...(withRegister ? [M.failing] : [])];
  const keep = [{ sourceLabels: ['__name__'], action: 'keep', regex: `^(${kept.join('|')})$` }];
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `cache-${EXTENSION_NAME}`, namespace: GARDEN, labels: { prometheus: 'cache' } },
    spec: {
      ...OUR_PODS,
      podMetricsEndpoints: [
        { port: 'metrics', path: '/metrics', metricRelabelings: keep },
        ...(withRegister ? [{ port: 'register-metrics', path: '/metrics', metricRelabelings: keep }] : []),
      ],
    },
  };
}

function prometheusRule(name: string, prometheus: string, groups: object[]): object {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name, namespace: GARDEN, labels: { prometheus } },
    spec: { groups },
  };
}

function dashboardConfigMap(): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `extension-${EXTENSION_NAME}-dashboard`, namespace: GARDEN, labels: { 'dashboard.monitoring.gardener.cloud/seed': 'true' } },
    data: { [`${EXTENSION_NAME}.json`]: `${JSON.stringify(dashboard(), null, 2)}\n` },
  };
}

export function monitoringObjects(options: { withRegister: boolean }): object[] {
  return [
    ...(options.withRegister ? [seedRegisterPodMonitor()] : []),
    cachePodMonitor(options.withRegister),
    prometheusRule(`cache-${EXTENSION_NAME}`, 'cache', recordingRuleGroups()),
    prometheusRule(`aggregate-${EXTENSION_NAME}`, 'aggregate', alertRuleGroups()),
    dashboardConfigMap(),
  ];
}
