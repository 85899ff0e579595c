import { describe, expect, it } from 'vitest';
import { MAX_WARNING_LENGTH } from '../../../src/admission/warnings.js';
import { mutateVpnShoot, type VpnShootMutation } from '../../../webhooks/vpn-shoot/mutate.js';
import { VPN_CLIENT_REPOSITORY, containersOf, envOf, fixtures, tlsTunnel, unified, withImage, type KubeObject } from './fixtures.js';

describe('mutateVpnShoot against Gardener renderings', () => {
  it('turns the v1.129 Deployment into exactly what Gardener v1.144 renders', () => {
    const legacy = fixtures.legacyDeployment();
    const result = mutateVpnShoot(legacy, unified);
    expect(result).toEqual({ object: fixtures.expectedDeployment(), reason: 'moved', warnings: [] });
    expect(legacy).toEqual(fixtures.legacyDeployment());
  });

  it('moves every client of the HA StatefulSet and leaves tunnel-controller and the init container alone', () => {
    const legacy = fixtures.legacyStatefulSet();
    const result = mutateVpnShoot(legacy, unified);
    expect(result).toEqual({ object: fixtures.expectedStatefulSet(), reason: 'moved', warnings: [] });
    const mutated = result.object as KubeObject;
    expect(containersOf(mutated)[2]).toBe(containersOf(legacy)[2]);
    const podSpec = (o: KubeObject) => (o.spec as { template: { spec: { initContainers: unknown } } }).template.spec;
    expect(podSpec(mutated).initContainers).toBe(podSpec(legacy).initContainers);
    expect(legacy).toEqual(fixtures.legacyStatefulSet());
  });

  it.each([
    ['its own output (Deployment)', fixtures.expectedDeployment],
    ['its own output (StatefulSet)', fixtures.expectedStatefulSet],
    ['the v1.130 rendering with the key appended last (kept there, not duplicated)', fixtures.unifiedDeploymentV130],
  ])('leaves %s as the very same object, saying it is at the target', (_, load) => {
    const object = load();
    expect(mutateVpnShoot(object, unified)).toEqual({
      object,
      reason: 'at-target',
      warnings: ['vpn-shoot: already on the unified port; left unchanged'],
    });
    expect(mutateVpnShoot(object, unified).object).toBe(object);
  });

  it.each([
    ['the legacy Deployment', fixtures.legacyDeployment],
    ['the legacy StatefulSet', fixtures.legacyStatefulSet],
    ['an old client', () => withImage(fixtures.legacyDeployment(), `${VPN_CLIENT_REPOSITORY}:0.36.0`)],
  ])('leaves %s, on 8132, alone in the tls-tunnel phase: at the target', (_, load) => {
    const object = load();
    const result = mutateVpnShoot(object, tlsTunnel);
    expect(result).toEqual({ object, reason: 'at-target', warnings: ['vpn-shoot: already on the tls-tunnel port; left unchanged'] });
    expect(result.object).toBe(object);
  });

  it.each([
    ['a Deployment this webhook migrated', fixtures.expectedDeployment],
    ['the HA StatefulSet this webhook migrated', fixtures.expectedStatefulSet],
    ["Gardener v1.130's unified rendering", fixtures.unifiedDeploymentV130],
  ])('never moves %s back to 8132 in the tls-tunnel phase: ahead of the target', (_, load) => {
    const object = load();
    const result = mutateVpnShoot(object, tlsTunnel);
    expect(result).toEqual({
      object,
      reason: 'ahead-of-target',
      warnings: ['vpn-shoot: already on the unified port, ahead of --phase tls-tunnel; left unchanged'],
    });
    expect(result.object).toBe(object);
  });

  it('leaves an object that is not vpn-shoot alone in the tls-tunnel phase too, as not ours', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap' };
    expect(mutateVpnShoot(object, tlsTunnel)).toMatchObject({ object, reason: 'not-ours', skipped: 'not-ours' });
  });
});

describe('mutateVpnShoot on other starting points', () => {
  const clientEnv = (object: unknown, container = 0) => envOf(containersOf(object as KubeObject)[container]!);
  const names = (object: unknown, container = 0) => clientEnv(object, container).map((e) => e.name);
  const legacyWithEnv = (edit: (env: ReturnType<typeof envOf>) => void) => {
    const object = fixtures.legacyDeployment();
    edit(envOf(containersOf(object)[0]!));
    return object;
  };
  const expectedNames = names(fixtures.expectedDeployment());

  it('updates an existing REVERSED_VPN_HEADER_KEY where it stands instead of adding a second one', () => {
    const object = legacyWithEnv((env) => env.push({ name: 'REVERSED_VPN_HEADER_KEY', value: 'Reversed-VPN' }));
    const result = mutateVpnShoot(object, unified);
    const env = clientEnv(result.object);
    expect(env.filter((e) => e.name === 'REVERSED_VPN_HEADER_KEY')).toEqual([
      { name: 'REVERSED_VPN_HEADER_KEY', value: 'X-Gardener-Destination' },
    ]);
    expect(env.at(-1)!.name).toBe('REVERSED_VPN_HEADER_KEY');
    expect(env.find((e) => e.name === 'OPENVPN_PORT')!.value).toBe('8443');
  });

  it('adds OPENVPN_PORT before REVERSED_VPN_HEADER when the client relied on the 8132 default', () => {
    const object = legacyWithEnv((env) =>
      env.splice(
        env.findIndex((e) => e.name === 'OPENVPN_PORT'),
        1,
      ),
    );
    const result = mutateVpnShoot(object, unified);
    expect(result.object).toEqual(fixtures.expectedDeployment());
  });

  it('adds only the header key when the port is already 8443', () => {
    const object = legacyWithEnv((env) => (env.find((e) => e.name === 'OPENVPN_PORT')!.value = '8443'));
    expect(mutateVpnShoot(object, unified).object).toEqual(fixtures.expectedDeployment());
  });

  it('sets every duplicate of OPENVPN_PORT, since the last one wins', () => {
    const object = legacyWithEnv((env) => env.push({ name: 'OPENVPN_PORT', value: '8132' }));
    const env = clientEnv(mutateVpnShoot(object, unified).object);
    expect(env.filter((e) => e.name === 'OPENVPN_PORT').map((e) => e.value)).toEqual(['8443', '8443']);
  });

  it('migrates a client whose REVERSED_VPN_HEADER comes from a reference, keeping the reference', () => {
    const valueFrom = { fieldRef: { fieldPath: 'metadata.annotations[header]' } };
    const object = legacyWithEnv((env) => {
      const header = env.find((e) => e.name === 'REVERSED_VPN_HEADER')!;
      delete header.value;
      header.valueFrom = valueFrom;
    });
    const result = mutateVpnShoot(object, unified);
    expect(names(result.object)).toEqual(expectedNames);
    expect(clientEnv(result.object).find((e) => e.name === 'REVERSED_VPN_HEADER')!.valueFrom).toEqual(valueFrom);
  });

  it('migrates an object without a namespace, as offline files often are', () => {
    const object = fixtures.legacyDeployment();
    delete (object.metadata as KubeObject).namespace;
    const expected = fixtures.expectedDeployment();
    delete (expected.metadata as KubeObject).namespace;
    expect(mutateVpnShoot(object, unified)).toEqual({ object: expected, reason: 'moved', warnings: [] });
  });

  it('leaves an object that is being deleted alone', () => {
    const object = fixtures.legacyDeployment();
    (object.metadata as KubeObject).deletionTimestamp = '2025-01-01T00:00:00Z';
    expect(mutateVpnShoot(object, unified)).toEqual({ object, reason: 'being-deleted', warnings: [] });
  });

  it('says nothing about the client version when there is nothing to change', () => {
    const object = withImage(fixtures.expectedDeployment(), `${VPN_CLIENT_REPOSITORY}@sha256:${'c'.repeat(64)}`);
    expect(mutateVpnShoot(object, unified)).toEqual({
      object,
      reason: 'at-target',
      warnings: ['vpn-shoot: already on the unified port; left unchanged'],
    });
  });
});

describe('mutateVpnShoot and the vpn-client version', () => {
  const digest = `${VPN_CLIENT_REPOSITORY}@sha256:${'d'.repeat(64)}`;

  it.each([
    [
      'a client older than 0.42.0',
      fixtures.legacyDeployment,
      `${VPN_CLIENT_REPOSITORY}:0.36.0`,
      'old-vpn-client',
      /vpn-client 0\.36\.0 is older than 0\.42\.0/,
    ],
    [
      'an old HA client',
      fixtures.legacyStatefulSet,
      `${VPN_CLIENT_REPOSITORY}:0.41.0`,
      'old-vpn-client',
      /0\.41\.0 is older than 0\.42\.0/,
    ],
    [
      'a digest-only image',
      fixtures.legacyDeployment,
      digest,
      'unknown-vpn-client-version',
      /needs vpn-client 0\.42\.0.*digest without a version tag/,
    ],
    [
      'the latest tag',
      fixtures.legacyStatefulSet,
      `${VPN_CLIENT_REPOSITORY}:latest`,
      'unknown-vpn-client-version',
      /tag "latest" is not a version/,
    ],
    [
      'an image that is not vpn-client',
      fixtures.legacyDeployment,
      'registry.example.com/vpn:1.0.0',
      'unknown-vpn-client-version',
      /image "vpn" is not vpn-client/,
    ],
  ])('admits %s unchanged with one warning naming 0.42.0', (_, load, image, reason, warning) => {
    const object = withImage(load(), image);
    const result = mutateVpnShoot(object, unified);
    expect(result.object).toBe(object);
    expect(result.skipped).toBe(reason);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(warning);
    expect(result.warnings[0]).toContain('0.42.0');
  });

  it('migrates nothing when one HA client is older than the other', () => {
    const object = fixtures.legacyStatefulSet();
    containersOf(object)[1]!.image = `${VPN_CLIENT_REPOSITORY}:0.40.0`;
    const result = mutateVpnShoot(object, unified);
    expect(result.object).toBe(object);
    expect(result.skipped).toBe('old-vpn-client');
  });

  it('prefers the old-client answer when one client is old and another cannot be read', () => {
    const object = fixtures.legacyStatefulSet();
    containersOf(object)[0]!.image = digest;
    containersOf(object)[1]!.image = `${VPN_CLIENT_REPOSITORY}:0.40.0`;
    expect(mutateVpnShoot(object, unified).skipped).toBe('old-vpn-client');
  });

  it('migrates an unreadable version when the operator assumes compatibility, and says so', () => {
    const object = withImage(fixtures.legacyStatefulSet(), digest);
    const result = mutateVpnShoot(object, { ...unified, assumeVpnClientCompatible: true });
    expect(result.skipped).toBeUndefined();
    expect(result.object).toEqual(withImage(fixtures.expectedStatefulSet(), digest));
    expect(result.warnings).toEqual([
      'vpn-shoot: vpn-client 0.42.0 assumed (--assume-vpn-client-compatible): digest without a version tag',
    ]);
  });

  it('never assumes compatibility for a version known to be older', () => {
    const object = withImage(fixtures.legacyDeployment(), `${VPN_CLIENT_REPOSITORY}:0.36.0`);
    expect(mutateVpnShoot(object, { ...unified, assumeVpnClientCompatible: true }).skipped).toBe('old-vpn-client');
  });
});

describe('mutateVpnShoot on shapes it does not recognise', () => {
  const legacy = fixtures.legacyDeployment;
  const editing = (edit: (object: KubeObject) => void) => () => {
    const object = legacy();
    edit(object);
    return object;
  };
  const clientEntry = (object: KubeObject, name: string) => envOf(containersOf(object)[0]!).find((e) => e.name === name)!;

  it.each<[string, () => unknown, VpnShootMutation['skipped'], RegExp]>([
    ['no object', () => undefined, 'unrecognised', /no object to mutate/],
    ['null', () => null, 'unrecognised', /no object to mutate/],
    ['an array', () => [legacy()], 'unrecognised', /no object to mutate/],
    ['a ConfigMap', () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vpn-shoot' } }), 'not-ours', /got v1 ConfigMap/],
    ['an old API version', editing((o) => (o.apiVersion = 'extensions/v1beta1')), 'not-ours', /got extensions\/v1beta1 Deployment/],
    ['a DaemonSet', editing((o) => (o.kind = 'DaemonSet')), 'not-ours', /got apps\/v1 DaemonSet/],
    ['another name', editing((o) => ((o.metadata as KubeObject).name = 'my-vpn')), 'not-ours', /not kube-system\/my-vpn/],
    ['another namespace', editing((o) => ((o.metadata as KubeObject).namespace = 'default')), 'not-ours', /not default\/vpn-shoot/],
    ['no metadata', editing((o) => delete o.metadata), 'not-ours', /not \(no name\)/],
    ['no pod template', editing((o) => delete (o.spec as KubeObject).template), 'unrecognised', /containers is missing/],
    [
      'containers that are not a list',
      editing((o) => ((o.spec as { template: { spec: KubeObject } }).template.spec.containers = {})),
      'unrecognised',
      /containers is missing/,
    ],
    ['no VPN client container', editing((o) => delete containersOf(o)[0]!.env), 'unrecognised', /no VPN client container/],
    [
      'OPENVPN_PORT from a ConfigMap',
      editing((o) => {
        const port = clientEntry(o, 'OPENVPN_PORT');
        delete port.value;
        port.valueFrom = { configMapKeyRef: { name: 'vpn', key: 'port' } };
      }),
      'unrecognised',
      /container vpn-shoot: OPENVPN_PORT is set by valueFrom/,
    ],
    [
      'REVERSED_VPN_HEADER_KEY from a Secret',
      editing((o) => {
        envOf(containersOf(o)[0]!).push({ name: 'REVERSED_VPN_HEADER_KEY', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } });
      }),
      'unrecognised',
      /REVERSED_VPN_HEADER_KEY is set by valueFrom/,
    ],
    [
      'a client without REVERSED_VPN_HEADER',
      editing((o) => {
        const env = envOf(containersOf(o)[0]!);
        env.splice(
          env.findIndex((e) => e.name === 'REVERSED_VPN_HEADER'),
          1,
        );
      }),
      'unrecognised',
      /container vpn-shoot: no REVERSED_VPN_HEADER/,
    ],
  ])('admits %s unchanged with a warning', (_, load, reason, warning) => {
    const object = load();
    const result = mutateVpnShoot(object, unified);
    expect(result.object).toBe(object);
    expect(result.skipped).toBe(reason);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^vpn-shoot: admitted unchanged: /);
    expect(result.warnings[0]).toMatch(warning);
    expect(result.warnings[0]!.length).toBeLessThanOrEqual(MAX_WARNING_LENGTH);
    // Names only: no env value, endpoint or secret reference of the object.
    expect(result.warnings[0]).not.toMatch(/outbound\||api\.bar\.foo|configMapKeyRef|secretKeyRef|8132/);
  });
});
