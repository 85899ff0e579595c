// The monitoring objects as Gardener's stack picks them up: labels, namespaces, ports and data sources.
import { describe, expect, it } from 'vitest';
import { DATA_SOURCE, dashboard } from '../../src/manifests/monitoring/dashboard.js';
import { monitoringObjects } from '../../src/manifests/monitoring/objects.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated objects, navigated by the assertions
type Json = Record<string, any>;
const objects = monitoringObjects({ withRegister: true }) as Json[];
const named = (name: string, kind?: string): Json => objects.find((o) => o.metadata.name === name && (!kind || o.kind === kind))!;

describe('monitoring objects', () => {
  it('all live in garden, labelled for the Prometheus or Plutono they extend', () => {
    expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace, o.metadata.labels])).toEqual([
      ['PodMonitor', 'seed-http-proxy-migrator-register', 'garden', { prometheus: 'seed' }],
      ['PodMonitor', 'cache-http-proxy-migrator', 'garden', { prometheus: 'cache' }],
      ['PrometheusRule', 'cache-http-proxy-migrator', 'garden', { prometheus: 'cache' }],
      ['PrometheusRule', 'aggregate-http-proxy-migrator', 'garden', { prometheus: 'aggregate' }],
      ['ConfigMap', 'extension-http-proxy-migrator-dashboard', 'garden', { 'dashboard.monitoring.gardener.cloud/seed': 'true' }],
    ]);
  });

  it('the seed Prometheus gets the register port through a PodMonitor (the annotations name the server port)', () => {
    expect(named('seed-http-proxy-migrator-register').spec.podMetricsEndpoints).toEqual([{ port: 'register-metrics', path: '/metrics' }]);
    expect(monitoringObjects({ withRegister: false }).map((o) => (o as Json).metadata.name)).not.toContain('seed-http-proxy-migrator-register');
  });

  it('records only seed:<metric>:<aggregation> series on the cache Prometheus, the names the aggregate one federates', () => {
    for (const group of named('cache-http-proxy-migrator', 'PrometheusRule').spec.groups) {
      for (const rule of group.rules) expect(rule.record).toMatch(/^seed:http_proxy_migrator_[a-z0-9_]+:[a-z0-9_]+$/);
    }
  });

  it('alerts carry a summary and a description naming the seed', () => {
    const rules = named('aggregate-http-proxy-migrator').spec.groups.flatMap((g: Json) => g.rules);
    expect(rules.map((r: Json) => r.alert).sort()).toEqual([
      'HttpProxyMigratorCertificateExpiring', 'HttpProxyMigratorFailingReviews', 'HttpProxyMigratorMigrationStalled',
      'HttpProxyMigratorRegistrationFailing', 'HttpProxyMigratorShootIndexNotSynced',
    ]);
    for (const rule of rules) {
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toMatch(/seed/);
      expect(rule.expr, rule.alert).toMatch(/seed:http_proxy_migrator_/);
    }
  });

  it('every dashboard panel and target names the prometheus-seed data source', () => {
    const board = JSON.parse(named('extension-http-proxy-migrator-dashboard').data['http-proxy-migrator.json']) as Json;
    expect(board).toEqual(dashboard());
    expect(board.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of board.panels) {
      expect(panel.datasource, panel.title).toBe(DATA_SOURCE);
      for (const target of panel.targets) expect(target.datasource, panel.title).toBe(DATA_SOURCE);
    }
    expect(DATA_SOURCE).toBe('prometheus-seed');
  });
});
