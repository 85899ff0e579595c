// Gardener releases: reading a version where Gardener writes one (image tags, chart versions, a seed's
// status.gardener.version) and comparing releases by minor version, the unit the gate table changes in.
import semver from 'semver';
import { clip } from '../util/clip.js';

/** A Gardener release as read from some field: `minor` is what the tables key on (v1.<minor>.x). */
export interface Release {
  /** As written, normalised to a leading `v` (v1.149.3, v1.150.0-dev). */
  version: string;
  minor: number;
}

/** The newest release whose gates this table knows (gardener/gardener HEAD at v1.150.0-dev). */
export const NEWEST_KNOWN_MINOR = 150;

export type ReleaseParse = { ok: true; release: Release } | { ok: false; reason: string };

/**
 * A version as Gardener writes it: `v1.149.3`, `1.149.3`, `v1.150.0-dev`; helm's chart label writes
 * build metadata with `_` for `+`. Only major version 1 exists.
 */
export function parseRelease(text: string): ReleaseParse {
  // The same few versions come with every review (a seed's, a chart's): read each once.
  const known = parsed_.get(text);
  if (known) return known;
  const result = parseUncached(text);
  if (parsed_.size >= KEPT) parsed_.delete(parsed_.keys().next().value!);
  parsed_.set(text, result);
  return result;
}

const KEPT = 256;
const parsed_ = new Map<string, ReleaseParse>();

function parseUncached(text: string): ReleaseParse {
  const parsed = semver.parse(text.replace(/_/g, '+'));
  if (!parsed) return { ok: false, reason: `${quote(text)} is not a version (expected v1.<minor>.<patch>)` };
  if (parsed.major !== 1) return { ok: false, reason: `${quote(text)} is not a Gardener v1 release` };
  return { ok: true, release: { version: `v${parsed.version}`, minor: parsed.minor } };
}

export function minorName(minor: number): string {
  return `v1.${minor}`;
}

/** Client-supplied text in a message: quoted and bounded, never a whole field. */
export function quote(text: string, max = 64): string {
  return JSON.stringify(clip(text, max));
}
