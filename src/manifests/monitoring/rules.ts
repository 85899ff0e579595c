// Recording rules for the cache Prometheus and alerts for the aggregate Prometheus, as Gardener splits
// them: the seed and cache Prometheus do not alert; the aggregate one federates `seed:*:*` series from
// the cache one and sends its alerts to the seed's Alertmanager.
import { M, R } from './metric-names.js';

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
}

export interface RuleGroup {
  name: string;
  rules: (RecordingRule | AlertingRule)[];
}

/**
 * Both processes run in every replica, so replicas report the same landscape: max and min over pods
 * give one series per seed and gate, and the one replica that is behind.
 */
export function recordingRuleGroups(): RuleGroup[] {
  return [
    {
      name: 'http-proxy-migrator.rules',
      rules: [
        { record: R.gateShoots, expr: `max by (seed, gate, state) (${M.gateShoots})` },
        { record: R.reviews, expr: `sum by (webhook) (rate(${M.requests}[5m]))` },
        // 5xx answers and errored verdicts (answered by the failure policy): different labels, so `or` keeps both.
        { record: R.failedReviews, expr: `sum by (webhook) (rate(${M.requests}{code=~"5.."}[5m]) or rate(${M.outcomes}{outcome="error"}[5m]))` },
        { record: R.certificateNotAfter, expr: `min by (certificate) (${M.certificateNotAfter})` },
        { record: R.indexSynced, expr: `min by (pod) (${M.indexSynced})` },
        { record: R.failing, expr: `max(${M.failing})` },
      ],
    },
  ];
}

const WHERE = 'on seed {{ $externalLabels.seed }}';

export function alertRuleGroups(): RuleGroup[] {
  const blocking = `${R.gateShoots}{state="blocking"}`;
  return [
    {
      name: 'http-proxy-migrator.alerts',
      rules: [
        {
          alert: 'HttpProxyMigratorFailingReviews',
          expr: `${R.failedReviews} / ${R.reviews} > 0.05`,
          for: '5m',
          labels: { severity: 'critical', type: 'seed', visibility: 'operator', service: 'http-proxy-migrator' },
          annotations: {
            summary: 'http-proxy-migrator fails admission reviews',
            description:
              `The {{ $labels.webhook }} webhook ${WHERE} answered {{ $value | humanizePercentage }} of its reviews with a 5xx or an error verdict over the last 5 minutes. ` +
              'Failing-closed webhooks block the objects they guard. Read the server logs (one line per review names the outcome and reason) and its /status page; check the shoot index and the seed preflight.',
          },
        },
        {
          alert: 'HttpProxyMigratorCertificateExpiring',
          expr: `${R.certificateNotAfter} - time() < 7 * 86400`,
          labels: { severity: 'warning', type: 'seed', visibility: 'operator', service: 'http-proxy-migrator' },
          annotations: {
            summary: 'http-proxy-migrator certificate expires within 7 days',
            description:
              `The {{ $labels.certificate }} certificate of http-proxy-migrator ${WHERE} expires in {{ $value | humanizeDuration }}. ` +
              'Renew the serving certificate Secret (tls.crt, tls.key, ca.crt); the server reloads it without a restart and the register controller writes a new CA bundle into every shoot within one resync.',
          },
        },
        {
          alert: 'HttpProxyMigratorShootIndexNotSynced',
          expr: `${R.indexSynced} == 0`,
          for: '10m',
          labels: { severity: 'warning', type: 'seed', visibility: 'operator', service: 'http-proxy-migrator' },
          annotations: {
            summary: 'http-proxy-migrator has no synced shoot index',
            description:
              `The pod {{ $labels.pod }} ${WHERE} has not listed the garden's shoots for 10 minutes, so it refuses gardenlet configuration that turns a removal gate on. ` +
              'Check the garden kubeconfig Secret, the egress to the garden API server and the pod logs (shoot index failures).',
          },
        },
        {
          alert: 'HttpProxyMigratorRegistrationFailing',
          expr: `${R.failing} > 0`,
          for: '30m',
          labels: { severity: 'warning', type: 'seed', visibility: 'operator', service: 'http-proxy-migrator' },
          annotations: {
            summary: 'http-proxy-migrator cannot register its shoot webhooks',
            description:
              `{{ $value }} shoot namespaces ${WHERE} have failed to get the shoot webhook ManagedResource for 30 minutes: their apiserver-proxy and vpn-shoot are not moved. ` +
              "Open the register controller's status page (port 8081) for the namespaces and errors; check its RBAC and the CA bundle file.",
          },
        },
        {
          alert: 'HttpProxyMigratorMigrationStalled',
          // Blockers now, as many as at any time in the last 7 days, and already some 7 days ago: a full week without progress.
          expr: `${blocking} > 0 and ${blocking} >= max_over_time(${blocking}[7d]) and (${blocking} offset 7d) > 0`,
          for: '1h',
          labels: { severity: 'info', type: 'seed', visibility: 'operator', service: 'http-proxy-migrator' },
          annotations: {
            summary: 'GEP-30 migration stalled',
            description:
              'Seed {{ $labels.seed }} has had {{ $value }} shoots blocking {{ $labels.gate }} for 7 days without one fewer ' +
              `(reported ${WHERE}). Open the status page or run \`http-proxy-migrator audit --seed {{ $labels.seed }}\`: blockers are grouped by reason with what to do.`,
          },
        },
      ],
    },
  ];
}

/** Every metric or recorded series an expression names, for the test against a real scrape. */
export function namesIn(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:seed:)?http_proxy_migrator_[a-z0-9_]+(?::[a-z0-9_]+)?/g) ?? [])];
}
