// The Plutono dashboard for the seed: migration progress, blockers and skips by reason, the reviews,
// certificate expiry, the registration and each seed's gardenlet release. Every panel names the seed Prometheus data source, which is
// not Plutono's default there.
import { M } from './metric-names.js';

export const DATA_SOURCE = 'prometheus-seed';
const DASHBOARD_UID = 'http-proxy-migrator';

interface Target {
  expr: string;
  legendFormat: string;
  refId?: string;
  instant?: boolean;
}

interface PanelSpec {
  title: string;
  type: 'timeseries' | 'bargauge' | 'stat' | 'table';
  description: string;
  unit?: string;
  targets: Target[];
  width?: number;
  max?: number;
}

const PANELS: PanelSpec[] = [
  {
    title: 'Migration progress per seed and gate',
    type: 'bargauge',
    description: 'Migrated shoots of those gardenlet\'s check counts; 100 % means the gate can be turned on for that seed.',
    unit: 'percentunit',
    max: 1,
    width: 12,
    targets: [{ expr: `max by (seed, gate) (${M.gateShoots}{state="migrated"}) / clamp_min(max by (seed, gate) (${M.gateShoots}{state="counted"}), 1)`, legendFormat: '{{seed}} {{gate}}', instant: true }],
  },
  {
    title: 'Blocking shoots per seed and gate',
    type: 'timeseries',
    description: 'Shoots that would fail gardenlet\'s start-up check if the gate were on. A line that stays flat for days is a stalled migration.',
    width: 12,
    targets: [{ expr: `max by (seed, gate) (${M.gateShoots}{state="blocking"})`, legendFormat: '{{seed}} {{gate}}' }],
  },
  {
    title: 'Blockers by reason',
    type: 'table',
    description: 'Blocking shoots grouped by reason; the status page and `audit` list them with what to do.',
    width: 12,
    targets: [{ expr: `max by (seed, gate, reason) (${M.gateShootsByReason}{state="blocking"})`, legendFormat: '{{seed}} {{gate}} {{reason}}', instant: true }],
  },
  {
    title: 'Skipped shoots by reason',
    type: 'table',
    description: 'Shoots gardenlet\'s check passes over (workerless, not reconciled yet, being created or deleted).',
    width: 12,
    targets: [{ expr: `max by (seed, gate, reason) (${M.gateShootsByReason}{state="skipped"})`, legendFormat: '{{seed}} {{gate}} {{reason}}', instant: true }],
  },
  {
    title: 'Review rate per webhook',
    type: 'timeseries',
    description: 'Admission reviews answered per second, by webhook and HTTP status code.',
    unit: 'reqps',
    width: 8,
    targets: [{ expr: `sum by (webhook, code) (rate(${M.requests}[5m]))`, legendFormat: '{{webhook}} {{code}}' }],
  },
  {
    title: 'Review latency p99 per webhook',
    type: 'timeseries',
    description: 'From the first byte of a review to its answer; kube-apiserver gives up after the webhook\'s timeout.',
    unit: 's',
    width: 8,
    targets: [{ expr: `histogram_quantile(0.99, sum by (webhook, le) (rate(${M.latencyBucket}[5m])))`, legendFormat: '{{webhook}}' }],
  },
  {
    title: 'Failed reviews per webhook',
    type: 'timeseries',
    description: '5xx answers and errored verdicts (answered by the failure policy).',
    unit: 'reqps',
    width: 8,
    targets: [
      { expr: `sum by (webhook) (rate(${M.requests}{code=~"5.."}[5m]))`, legendFormat: '{{webhook}} 5xx' },
      { expr: `sum by (webhook) (rate(${M.outcomes}{outcome="error"}[5m]))`, legendFormat: '{{webhook}} error verdict' },
    ],
  },
  {
    title: 'Verdicts by outcome',
    type: 'timeseries',
    description: 'Admission verdicts per second by webhook and outcome.',
    unit: 'reqps',
    width: 12,
    targets: [{ expr: `sum by (webhook, outcome) (rate(${M.outcomes}[5m]))`, legendFormat: '{{webhook}} {{outcome}}' }],
  },
  {
    title: 'Mutating webhook answers by reason',
    type: 'timeseries',
    description: 'moved (patched forward), at-target and ahead-of-target (left as they are), not-ours, a skip reason, or failed.',
    unit: 'reqps',
    width: 12,
    targets: [{ expr: `sum by (webhook, reason) (rate(${M.mutations}[5m]))`, legendFormat: '{{webhook}} {{reason}}' }],
  },
  {
    title: 'Objects left unchanged by reason',
    type: 'timeseries',
    description: 'Objects in scope admitted unchanged per second, by webhook and reason.',
    unit: 'reqps',
    width: 12,
    targets: [{ expr: `sum by (webhook, reason) (rate(${M.skipped}[5m]))`, legendFormat: '{{webhook}} {{reason}}' }],
  },
  {
    title: 'Certificate expiry',
    type: 'stat',
    description: 'Time left on the serving certificate, its CA and the CA bundle written into shoots. Alerts below 7 days.',
    unit: 's',
    width: 8,
    targets: [{ expr: `min by (certificate) (${M.certificateNotAfter}) - time()`, legendFormat: '{{certificate}}', instant: true }],
  },
  {
    title: 'Shoot index synced',
    type: 'stat',
    description: '1 when a replica has listed the garden\'s shoots; 0 refuses gardenlet configuration that turns a gate on.',
    width: 8,
    targets: [{ expr: `min by (pod) (${M.indexSynced})`, legendFormat: '{{pod}}', instant: true }],
  },
  {
    title: 'Shoot webhook registration',
    type: 'timeseries',
    description: 'Shoot namespaces with the current shoot webhooks, those still pending, and those whose last sync failed.',
    width: 8,
    targets: [
      { expr: `max(${M.registered})`, legendFormat: 'registered' },
      { expr: `max(${M.pending})`, legendFormat: 'pending' },
      { expr: `max(${M.failing})`, legendFormat: 'failing' },
    ],
  },
  {
    title: 'Garden webhook calls',
    type: 'timeseries',
    description: 'Reviews from the garden; flat at zero while ManagedSeeds and Gardenlets change means the garden configuration is not consulted.',
    unit: 'reqps',
    width: 12,
    targets: [{ expr: `sum(rate(${M.gardenCalls}[5m]))`, legendFormat: 'garden reviews' }],
  },
  {
    title: 'Gardenlet release per seed',
    type: 'table',
    description: "The release a seed's gardenlet configuration is judged by when the object names none: from the seed's status (source seed) or --gardener-version; 0 with source none means gates there are not judged by the release that reads them.",
    width: 12,
    targets: [{ expr: `max by (seed, release, source) (${M.seedReleaseAware})`, legendFormat: '{{seed}} {{release}} {{source}}', instant: true }],
  },
];

export function dashboard(): Record<string, unknown> {
  let x = 0;
  let y = 0;
  const panels = PANELS.map((spec, i) => {
    const w = spec.width ?? 12;
    if (x + w > 24) {
      x = 0;
      y += 8;
    }
    const panel = {
      id: i + 1,
      title: spec.title,
      type: spec.type,
      description: spec.description,
      datasource: DATA_SOURCE,
      gridPos: { h: 8, w, x, y },
      fieldConfig: { defaults: { ...(spec.unit ? { unit: spec.unit } : {}), ...(spec.max !== undefined ? { min: 0, max: spec.max } : {}) }, overrides: [] },
      targets: spec.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), datasource: DATA_SOURCE, ...t })),
    };
    x += w;
    return panel;
  });
  return {
    uid: DASHBOARD_UID,
    title: 'http-proxy-migrator (GEP-30)',
    tags: ['http-proxy-migrator', 'gep-30'],
    editable: false,
    schemaVersion: 27,
    time: { from: 'now-7d', to: 'now' },
    refresh: '1m',
    panels,
  };
}
