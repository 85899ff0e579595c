import { describe, expect, it } from 'vitest';
import { vpnClientCompatibility } from '../../../webhooks/vpn-shoot/vpn-client-version.js';
import { VPN_CLIENT_REPOSITORY } from './fixtures.js';

describe('vpnClientCompatibility', () => {
  it.each([
    ['the release that made the header key configurable', `${VPN_CLIENT_REPOSITORY}:0.42.0`],
    ['the client Gardener v1.144 ships', `${VPN_CLIENT_REPOSITORY}:0.49.0`],
    ['a v-prefixed tag', `${VPN_CLIENT_REPOSITORY}:v0.51.0`],
    ['a later major version', `${VPN_CLIENT_REPOSITORY}:1.0.0`],
    ['a floating minor tag', `${VPN_CLIENT_REPOSITORY}:0.42`],
    ['a pre-release of a later version', `${VPN_CLIENT_REPOSITORY}:0.43.0-dev-0c89547b`],
    ['a tag pinned by digest as well', `${VPN_CLIENT_REPOSITORY}:0.42.0@sha256:${'a'.repeat(64)}`],
    ['a mirror registry with a port', 'registry.example.com:5000/gardener/vpn-client:0.45.1'],
    ['a bare image name', 'vpn-client:0.42.0'],
  ])('accepts %s', (_, image) => {
    expect(vpnClientCompatibility(image)).toEqual({ kind: 'compatible' });
  });

  it.each([
    ['the client Gardener v1.112 ships', `${VPN_CLIENT_REPOSITORY}:0.34.0`, '0.34.0'],
    ['the client Gardener v1.113 ships', `${VPN_CLIENT_REPOSITORY}:0.36.0`, '0.36.0'],
    ['the last release before 0.42.0', `${VPN_CLIENT_REPOSITORY}:v0.41.9`, 'v0.41.9'],
    ['a pre-release of 0.42.0 (may predate the change)', `${VPN_CLIENT_REPOSITORY}:0.42.0-dev`, '0.42.0-dev'],
    ['a pre-release of the floating 0.42', `${VPN_CLIENT_REPOSITORY}:0.42-dev`, '0.42-dev'],
    ['the pre-0.27 image name', 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-shoot-client:0.25.0', '0.25.0'],
  ])('refuses %s', (_, image, tag) => {
    expect(vpnClientCompatibility(image)).toEqual({ kind: 'old', tag });
  });

  it.each([
    ['a digest without a tag', `${VPN_CLIENT_REPOSITORY}@sha256:${'b'.repeat(64)}`, 'digest without a version tag'],
    ['latest', `${VPN_CLIENT_REPOSITORY}:latest`, 'tag "latest" is not a version'],
    ['a tag with four numbers', `${VPN_CLIENT_REPOSITORY}:0.42.0.1`, 'tag "0.42.0.1" is not a version'],
    ['no tag at all', VPN_CLIENT_REPOSITORY, 'no version tag'],
    ['an image that is not vpn-client', 'registry.example.com/mirror/openvpn:0.50.0', 'image "openvpn" is not vpn-client'],
    ['a missing image', undefined, 'no image'],
    ['an image that is not a string', 42, 'no image'],
  ])('cannot compare %s', (_, image, why) => {
    expect(vpnClientCompatibility(image)).toEqual({ kind: 'unknown', why });
  });

  it('quotes at most 32 characters of a long tag', () => {
    const result = vpnClientCompatibility(`${VPN_CLIENT_REPOSITORY}:0.1.0-${'x'.repeat(100)}`);
    expect(result.kind).toBe('old');
    expect(result.kind === 'old' && result.tag.length).toBe(32);
  });
});
