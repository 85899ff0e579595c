// Client-supplied values in answers: a short, escaped prefix, never the whole value. A field may be
// megabytes long, and may hold a token; the answer and the log need only enough to spot it.
import { clip } from '../util/clip.js';

/** At most this many characters of a value are quoted. */
const QUOTED_PREFIX = 64;

/** `"abc"`, `"abc..." (7340032 characters)`, or the kind of a value that is not a string. */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= QUOTED_PREFIX) return JSON.stringify(value);
    return `${JSON.stringify(clip(value, QUOTED_PREFIX))} (${value.length} characters)`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a value of type ${typeof value}`;
}
