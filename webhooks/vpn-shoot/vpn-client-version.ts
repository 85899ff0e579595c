// Whether a container image is a vpn-client that reads REVERSED_VPN_HEADER_KEY: gardener/vpn2 made the
// header key configurable in 0.42.0 (PR #169); older clients always send `Reversed-VPN`.
import semver, { type SemVer } from 'semver';
import { clip } from '../../src/util/clip.js';

export const MIN_VPN_CLIENT_VERSION = '0.42.0';

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
  // Semver order: a pre-release of 0.42.0 (`0.42.0-dev`) comes before 0.42.0 and may predate PR #169.
  return semver.gte(version, MIN_VPN_CLIENT_VERSION) ? { kind: 'compatible' } : { kind: 'old', tag: clip(tag, MAX_QUOTED_TAG_LENGTH) };
}

/** `registry:5000/path/name:tag@sha256:...` -> name and tag (a registry port is not a tag). */
function splitImageReference(image: string): { repositoryName: string; tag?: string } {
  const withoutDigest = image.split('@', 1)[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return { repositoryName: lastSegment };
  return { repositoryName: lastSegment.slice(0, colon), tag: lastSegment.slice(colon + 1) };
}

// vpn2 tags releases `0.42.0` or `v0.42.0`; a floating `0.42` means some 0.42.x, read as 0.42.0.
const FLOATING_MINOR = /^(v?\d+\.\d+)(?=$|[-+])/;

function parseVersion(tag: string): SemVer | null {
  return semver.parse(tag.replace(FLOATING_MINOR, '$1.0'));
}

function quote(text: string): string {
  return JSON.stringify(clip(text, MAX_QUOTED_TAG_LENGTH));
}
