// Offline matching must pick the webhooks the apiserver would call, from the same registrations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { resourceOf, webhooksFor } from '../../src/admission/match.js';
import { matchesLabelSelector } from '../../src/admission/selector.js';
import type { KubeObject } from '../../src/admission/types.js';
import { webhooks } from '../../webhooks/index.js';

const load = (path: string) => yaml.load(readFileSync(join(import.meta.dirname, '../fixtures', path), 'utf8')) as KubeObject;

describe('resourceOf', () => {
  it.each([
    ['v1', 'ConfigMap', '', 'v1', 'configmaps'],
    ['apps/v1', 'StatefulSet', 'apps', 'v1', 'statefulsets'],
    ['networking.istio.io/v1alpha3', 'EnvoyFilter', 'networking.istio.io', 'v1alpha3', 'envoyfilters'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies'],
    ['networking.istio.io/v1beta1', 'Gateway', 'networking.istio.io', 'v1beta1', 'gateways'],
  ])('%s %s is %s/%s %s', (apiVersion, kind, group, version, resource) => {
    expect(resourceOf({ apiVersion, kind })).toEqual({ group, version, resource, kind });
  });

  it('has no resource without apiVersion and kind', () => {
    expect(resourceOf({ kind: 'ConfigMap' })).toBeUndefined();
    expect(resourceOf({ apiVersion: 'v1' })).toBeUndefined();
    expect(resourceOf({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual({
      group: '',
      version: 'v1',
      resource: 'configmaps',
      kind: 'ConfigMap',
    });
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'kubernetes', role: 'apiserver-proxy' };
  it.each([
    [undefined, true],
    [{ matchLabels: { app: 'kubernetes' } }, true],
    [{ matchLabels: { app: 'vpn-shoot' } }, false],
    [{ matchExpressions: [{ key: 'role', operator: 'In' as const, values: ['apiserver-proxy'] }] }, true],
    [{ matchExpressions: [{ key: 'role', operator: 'NotIn' as const, values: ['apiserver-proxy'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn' as const, values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' as const }] }, false],
  ])('%j -> %s', (selector, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });
});

describe('webhooksFor', () => {
  it("routes Gardener's objects to their webhooks, and nothing else", () => {
    const names = (object: KubeObject) => webhooksFor(webhooks, object, 'mutating').map((w) => w.name);
    expect(names(load('apiserver-proxy/configmap.legacy-v1.112.yaml'))).toEqual(['apiserver-proxy']);
    expect(names(load('vpn-shoot/deployment.legacy-v1.129.yaml'))).toEqual(['vpn-shoot']);
    expect(names(load('apiserver-proxy/daemonset.legacy-v1.112.yaml'))).toEqual([]);
    expect(names({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([]);
    expect(
      webhooksFor(webhooks, load('gardenlet/managedseed.remove-http-proxy-legacy-port.yaml'), 'validating').map((w) => w.name),
    ).toEqual(['gardenlet-config']);
  });
});
