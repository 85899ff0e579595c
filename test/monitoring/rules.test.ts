// The generated rules through promtool: `check rules` on the spec.groups of each PrometheusRule, and
// `test rules` with series that fire and series that do not fire each alert, recording rules included.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { alertRuleGroups, recordingRuleGroups, type AlertingRule } from '../../src/manifests/monitoring/rules.js';
import { requireBinary } from '../support/system-binary.js';

const run = promisify(execFile);
const promtool = requireBinary('promtool (Debian package prometheus)', 'promtool', '/usr/bin/promtool');
const SEED = 'aws-eu1';
const dir = mkdtempSync(join(tmpdir(), 'hpm-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recordingFile = join(dir, 'cache.rules.yaml');
const alertFile = join(dir, 'aggregate.rules.yaml');
writeFileSync(recordingFile, yaml.dump({ groups: recordingRuleGroups() }));
writeFileSync(alertFile, yaml.dump({ groups: alertRuleGroups() }));

const alerts = new Map(
  alertRuleGroups()
    .flatMap((g) => g.rules)
    .filter((r): r is AlertingRule => 'alert' in r)
    .map((r) => [r.alert, r]),
);

/** The annotations as Prometheus renders them, for the labels and the formatted value given. */
function rendered(alert: string, labels: Record<string, string>, value: string): Record<string, string> {
  const rule = alerts.get(alert)!;
  const fill = (text: string): string =>
    text
      .replace(/\{\{ \$externalLabels\.seed \}\}/g, SEED)
      .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '')
      .replace(/\{\{ \$value( \| \w+)? \}\}/g, value);
  return { summary: fill(rule.annotations.summary), description: fill(rule.annotations.description) };
}

function firing(alert: string, labels: Record<string, string>, value: string) {
  const rule = alerts.get(alert)!;
  return { exp_labels: { ...rule.labels, ...labels }, exp_annotations: rendered(alert, labels, value) };
}

const M = 'http_proxy_migrator_';
const GATE = 'RemoveHTTPProxyLegacyPort';
const WEEK_AND_2H = 7 * 24 + 2;

const minuteTests = [
  {
    name: 'failing reviews: 5xx answers and error verdicts over 5 % fire; a few do not',
    interval: '1m',
    input_series: [
      { series: `${M}webhook_requests_total{webhook="gardenlet-config",code="200",pod="a"}`, values: '0+60x20' },
      { series: `${M}webhook_requests_total{webhook="gardenlet-config",code="500",pod="a"}`, values: '0+30x20' },
      { series: `${M}webhook_requests_total{webhook="vpn-shoot",code="200",pod="a"}`, values: '0+60x20' },
      { series: `${M}webhook_outcomes_total{webhook="vpn-shoot",outcome="error",pod="a"}`, values: '0+6x20' },
      { series: `${M}webhook_requests_total{webhook="apiserver-proxy",code="200",pod="a"}`, values: '0+100x20' },
      { series: `${M}webhook_requests_total{webhook="apiserver-proxy",code="500",pod="a"}`, values: '0+1x20' },
    ],
    promql_expr_test: [
      {
        expr: `seed:${M}webhook_failed_reviews:rate5m`,
        eval_time: '10m',
        exp_samples: [
          { labels: `seed:${M}webhook_failed_reviews:rate5m{webhook="gardenlet-config"}`, value: 0.5 },
          { labels: `seed:${M}webhook_failed_reviews:rate5m{webhook="vpn-shoot"}`, value: 6 / 60 },
          { labels: `seed:${M}webhook_failed_reviews:rate5m{webhook="apiserver-proxy"}`, value: 1 / 60 },
        ],
      },
      {
        expr: `seed:${M}webhook_reviews:rate5m{webhook="gardenlet-config"}`,
        eval_time: '10m',
        exp_samples: [{ labels: `seed:${M}webhook_reviews:rate5m{webhook="gardenlet-config"}`, value: 1.5 }],
      },
    ],
    alert_rule_test: [
      { alertname: 'HttpProxyMigratorFailingReviews', eval_time: '3m', exp_alerts: [] },
      {
        alertname: 'HttpProxyMigratorFailingReviews',
        eval_time: '15m',
        exp_alerts: [
          firing('HttpProxyMigratorFailingReviews', { webhook: 'gardenlet-config' }, '33.33%'),
          firing('HttpProxyMigratorFailingReviews', { webhook: 'vpn-shoot' }, '10%'),
        ],
      },
    ],
  },
  {
    name: 'certificate expiry: under 7 days fires, the soonest of the replicas counts; 30 days does not',
    interval: '1m',
    input_series: [
      { series: `${M}certificate_not_after_timestamp_seconds{certificate="serving",pod="a"}`, values: `${6 * 86400}x20` },
      { series: `${M}certificate_not_after_timestamp_seconds{certificate="serving",pod="b"}`, values: `${40 * 86400}x20` },
      { series: `${M}certificate_not_after_timestamp_seconds{certificate="ca",pod="a"}`, values: `${30 * 86400}x20` },
    ],
    promql_expr_test: [
      {
        expr: `seed:${M}certificate_not_after_timestamp_seconds:min`,
        eval_time: '10m',
        exp_samples: [
          { labels: `seed:${M}certificate_not_after_timestamp_seconds:min{certificate="serving"}`, value: 6 * 86400 },
          { labels: `seed:${M}certificate_not_after_timestamp_seconds:min{certificate="ca"}`, value: 30 * 86400 },
        ],
      },
    ],
    alert_rule_test: [
      {
        alertname: 'HttpProxyMigratorCertificateExpiring',
        eval_time: '10m',
        exp_alerts: [firing('HttpProxyMigratorCertificateExpiring', { certificate: 'serving' }, '5d 23h 50m 0s')],
      },
    ],
  },
  {
    name: 'shoot index: unsynced for 10 minutes fires; unsynced for 5 minutes does not',
    interval: '1m',
    input_series: [
      { series: `${M}shoot_index_synced{pod="a"}`, values: '0x30' },
      { series: `${M}shoot_index_synced{pod="b"}`, values: '0x5 1x25' },
    ],
    promql_expr_test: [
      {
        expr: `seed:${M}shoot_index_synced:min`,
        eval_time: '10m',
        exp_samples: [
          { labels: `seed:${M}shoot_index_synced:min{pod="a"}`, value: 0 },
          { labels: `seed:${M}shoot_index_synced:min{pod="b"}`, value: 1 },
        ],
      },
    ],
    alert_rule_test: [
      { alertname: 'HttpProxyMigratorShootIndexNotSynced', eval_time: '8m', exp_alerts: [] },
      {
        alertname: 'HttpProxyMigratorShootIndexNotSynced',
        eval_time: '20m',
        exp_alerts: [firing('HttpProxyMigratorShootIndexNotSynced', { pod: 'a' }, '0')],
      },
    ],
  },
  {
    name: 'registration: failing for 30 minutes fires; failures that heal within it do not',
    interval: '1m',
    input_series: [{ series: `${M}shoot_webhooks_failing{pod="a"}`, values: '3x20 0x10 2x60' }],
    promql_expr_test: [
      {
        expr: `seed:${M}shoot_webhooks_failing:max`,
        eval_time: '5m',
        exp_samples: [{ labels: `seed:${M}shoot_webhooks_failing:max`, value: 3 }],
      },
    ],
    alert_rule_test: [
      { alertname: 'HttpProxyMigratorRegistrationFailing', eval_time: '25m', exp_alerts: [] },
      { alertname: 'HttpProxyMigratorRegistrationFailing', eval_time: '60m', exp_alerts: [] },
      {
        alertname: 'HttpProxyMigratorRegistrationFailing',
        eval_time: '80m',
        exp_alerts: [firing('HttpProxyMigratorRegistrationFailing', {}, '2')],
      },
    ],
  },
];

/** A week of history, sampled and evaluated hourly. */
const hourTests = [
  {
    name: 'migration stalled: blockers flat for a week fire; blockers that fell, or less than a week of history, do not',
    interval: '1h',
    input_series: [
      { series: `${M}gate_shoots{seed="stuck",gate="${GATE}",state="blocking",pod="a"}`, values: `5x${WEEK_AND_2H}` },
      { series: `${M}gate_shoots{seed="stuck",gate="${GATE}",state="blocking",pod="b"}`, values: `4x${WEEK_AND_2H}` },
      { series: `${M}gate_shoots{seed="moving",gate="${GATE}",state="blocking",pod="a"}`, values: `10x80 5x${WEEK_AND_2H - 80}` },
      { series: `${M}gate_shoots{seed="done",gate="${GATE}",state="blocking",pod="a"}`, values: `0x${WEEK_AND_2H}` },
      { series: `${M}gate_shoots{seed="new",gate="${GATE}",state="blocking",pod="a"}`, values: `_x100 7x${WEEK_AND_2H - 100}` },
    ],
    promql_expr_test: [
      {
        expr: `seed:${M}gate_shoots:max{seed="stuck"}`,
        eval_time: '1h',
        exp_samples: [{ labels: `seed:${M}gate_shoots:max{seed="stuck",gate="${GATE}",state="blocking"}`, value: 5 }],
      },
    ],
    alert_rule_test: [
      { alertname: 'HttpProxyMigratorMigrationStalled', eval_time: '100h', exp_alerts: [] },
      {
        alertname: 'HttpProxyMigratorMigrationStalled',
        eval_time: `${WEEK_AND_2H}h`,
        exp_alerts: [firing('HttpProxyMigratorMigrationStalled', { seed: 'stuck', gate: GATE, state: 'blocking' }, '5')],
      },
    ],
  },
];

describe.skipIf(!promtool)('rules through promtool', () => {
  it('promtool check rules accepts the recording rules and the alerts', async () => {
    for (const file of [recordingFile, alertFile]) {
      const { stdout } = await run(promtool!, ['check', 'rules', file]);
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    }
  });

  it.each([
    ['minute', '1m', minuteTests],
    ['hour', '1h', hourTests],
  ] as const)(
    'promtool test rules (%s evaluations): each alert fires and does not fire where it should',
    async (name, interval, cases) => {
      const testFile = join(dir, `rules.${name}.test.yaml`);
      // Recording before alerting at each step, as the cache Prometheus records before the aggregate one federates;
      // without an order promtool evaluates the groups in random order, and an hourly step would see no recorded sample.
      const order = [...recordingRuleGroups(), ...alertRuleGroups()].map((g) => g.name);
      const doc = {
        rule_files: [recordingFile, alertFile],
        evaluation_interval: interval,
        group_eval_order: order,
        tests: cases.map((t) => ({ ...t, external_labels: { seed: SEED } })),
      };
      writeFileSync(testFile, yaml.dump(doc, { lineWidth: -1 }));
      const result = await run(promtool!, ['test', 'rules', testFile]).catch((err: { stdout: string; stderr: string }) => err);
      expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    },
    60_000,
  );

  it('covers every alert with a firing and a quiet evaluation', () => {
    const tests = [...minuteTests, ...hourTests];
    const covered = new Set(tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect([...covered].sort()).toEqual([...alerts.keys()].sort());
    for (const name of alerts.keys()) {
      const evaluations = tests.flatMap((t) => t.alert_rule_test.filter((a) => a.alertname === name));
      expect(
        evaluations.some((a) => a.exp_alerts.length > 0),
        name,
      ).toBe(true);
      // Quiet: an evaluation expecting no alert, or series in the same case that must not show up among the firing ones.
      const quiet =
        evaluations.some((a) => a.exp_alerts.length === 0) ||
        tests.some((t) => t.alert_rule_test.some((a) => a.alertname === name) && t.input_series.length > 1);
      expect(quiet, name).toBe(true);
    }
  });
});
