// The shoot a vpn-shoot workload belongs to, read from Gardener's renderings (Deployment and HA StatefulSet).
import { describe, expect, it } from 'vitest';
import { namespaceFromReversedVpnHeader, vpnShootNamespace } from '../../../webhooks/vpn-shoot/shoot-namespace.js';
import { containersOf, fixtures } from './fixtures.js';

describe('vpn-shoot shoot namespace', () => {
  it('reads the technical ID from the Deployment and from both HA clients', () => {
    expect(vpnShootNamespace(fixtures.legacyDeployment())).toEqual({ namespace: 'shoot--foo--bar' });
    expect(vpnShootNamespace(fixtures.legacyStatefulSet())).toEqual({ namespace: 'shoot--foo--bar' });
    expect(vpnShootNamespace(fixtures.expectedDeployment())).toEqual({ namespace: 'shoot--foo--bar' });
  });

  it.each([
    ['outbound|1194||vpn-seed-server.shoot--foo--bar.svc.cluster.local', 'shoot--foo--bar'],
    ['outbound|1194||vpn-seed-server-1.shoot-foo-bar.svc.cluster.local', 'shoot-foo-bar'],
    ['outbound|443||kube-apiserver.shoot--foo--bar.svc.cluster.local', undefined],
    ['outbound|1194||vpn-seed-server.shoot--foo--bar.svc.cluster.local.evil', undefined],
    ['invalid-host', undefined],
  ])('reads %s as %s', (value, namespace) => {
    expect(namespaceFromReversedVpnHeader(value)).toBe(namespace);
  });

  it('refuses clients that name different shoots, or a header it cannot read', () => {
    const ha = fixtures.legacyStatefulSet();
    const env = (containersOf(ha)[1]!.env as { name: string; value?: string }[]).find((e) => e.name === 'REVERSED_VPN_HEADER')!;
    env.value = 'outbound|1194||vpn-seed-server-1.shoot--other--one.svc.cluster.local';
    expect(vpnShootNamespace(ha)).toEqual({ problem: 'the VPN client containers name 2 different shoot namespaces' });
    env.value = 'somewhere';
    expect(vpnShootNamespace(ha)).toMatchObject({ problem: expect.stringMatching(/^REVERSED_VPN_HEADER is not/) });
    expect(vpnShootNamespace({})).toEqual({ problem: 'spec.template.spec.containers is missing' });
  });
});
