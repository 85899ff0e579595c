// The seed's Istio objects as Gardener renders them (test/fixtures/istio), loaded for the preflight.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { collectIstioObjects, type IstioObject } from '../../src/preflight/istio-objects.js';

export const ISTIO_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'istio');

export const FIXTURE = {
  legacy: 'envoyfilter.reversed-vpn.legacy-v1.112.yaml',
  phase1: 'envoyfilter.reversed-vpn.phase1-v1.113.yaml',
  gepDocument: 'envoyfilter.reversed-vpn.expected-after-mutation.gep30-doc.yaml',
  unifiedHttpProxy: 'unified-head.http-proxy.yaml',
  unifiedLegacyTlsTunnel: 'unified-head.legacy-tls-tunnel.yaml',
} as const;

export function fixturePath(name: string): string {
  return join(ISTIO_FIXTURES, name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function loadIstio(...names: string[]): IstioObject[] {
  return names.flatMap((name) => collectIstioObjects(yaml.loadAll(fixtureText(name))).objects);
}

/** Raw documents, for tests that edit a fixture before judging it. */
export function fixtureDocuments(name: string): Record<string, unknown>[] {
  return yaml.loadAll(fixtureText(name)) as Record<string, unknown>[];
}

export const PHASE1_REGEX = String.raw`^outbound\|(1194\|\|vpn-seed-server(-[0-4])?|443\|\|kube-apiserver)\..*\.svc\.cluster\.local$`;
