// Whether a container image is a vpn-client that reads REVERSED_VPN_HEADER_KEY: gardener/vpn2 made the
// header key configurable in 0.42.0 (PR #169); older clients always send `Reversed-VPN`.

export const MIN_VPN_CLIENT_VERSION = '0.42.0';
const MIN_VERSION: readonly [number, number, number] = [0, 42, 0];

/** vpn2 ships the shoot side as `vpn-client`; `vpn-shoot-client` is its pre-0.27 name (NewVPN off). */
const VPN_CLIENT_REPOSITORY_NAMES: ReadonlySet<string> = new Set(['vpn-client', 'vpn-shoot-client']);

/** A tag that fits in a warning: an image tag is the only part of the object a warning may quote. */
const MAX_QUOTED_TAG_LENGTH = 32;

export type VpnClientCompatibility =
  | { kind: 'compatible' }
  /** The tag is a version below 0.42.0. */
  | { kind: 'old'; tag: string }
  /** No comparable version: digest only, `latest`, a non-vpn-client image, or no image at all. */
  | { kind: 'unknown'; why: string };

export function vpnClientCompatibility(image: unknown): VpnClientCompatibility {
  if (typeof image !== 'string' || image.length === 0) return { kind: 'unknown', why: 'no image' };
  const { repositoryName, tag } = splitImageReference(image);
  if (!VPN_CLIENT_REPOSITORY_NAMES.has(repositoryName)) {
    return { kind: 'unknown', why: `image ${quote(repositoryName)} is not vpn-client` };
  }
  if (tag === undefined) return { kind: 'unknown', why: image.includes('@') ? 'digest without a version tag' : 'no version tag' };
  const version = parseVersion(tag);
  if (!version) return { kind: 'unknown', why: `tag ${quote(tag)} is not a version` };
  return isAtLeastMinimum(version) ? { kind: 'compatible' } : { kind: 'old', tag: clip(tag) };
}

/** `registry:5000/path/name:tag@sha256:...` -> name and tag (a registry port is not a tag). */
function splitImageReference(image: string): { repositoryName: string; tag?: string } {
  const withoutDigest = image.split('@', 1)[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return { repositoryName: lastSegment };
  return { repositoryName: lastSegment.slice(0, colon), tag: lastSegment.slice(colon + 1) };
}

interface Version {
  core: [number, number, number];
  prerelease: boolean;
}

// vpn2 tags releases `0.42.0` or `v0.42.0`; a floating `0.42` means some 0.42.x.
const VERSION_TAG = /^v?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function parseVersion(tag: string): Version | undefined {
  const match = VERSION_TAG.exec(tag);
  if (!match) return undefined;
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)],
    prerelease: match[4] !== undefined,
  };
}

/** Semver order: a pre-release of 0.42.0 (`0.42.0-dev`) comes before 0.42.0 and may predate PR #169. */
function isAtLeastMinimum({ core, prerelease }: Version): boolean {
  for (let i = 0; i < 3; i++) {
    if (core[i]! !== MIN_VERSION[i]!) return core[i]! > MIN_VERSION[i]!;
  }
  return !prerelease;
}

function clip(text: string): string {
  return text.length <= MAX_QUOTED_TAG_LENGTH ? text : `${text.slice(0, MAX_QUOTED_TAG_LENGTH - 3)}...`;
}

function quote(text: string): string {
  return JSON.stringify(clip(text));
}
