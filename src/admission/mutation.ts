// One way for every mutating webhook to turn its pure mutation into an answer.
import type { QuotedString } from './patch-json.js';
import { because, leftAsIs, patchResponseFromObjects, skipped, withQuotedStrings, type Verdict } from './response.js';

/** What a pure mutation gives back. */
export interface Mutation {
  /** The mutated object, or the very object passed in when nothing changes. */
  object: unknown;
  /** Why, in a word: the answer's reason (counted in metrics). */
  reason: string;
  warnings: readonly string[];
  /** Set when the object was left alone although it might be in scope; the first warning says why. */
  skipped?: string;
  /** Strings in the mutated object that the webhook also rendered as JSON text, so they are not escaped again. */
  quoted?: readonly QuotedString[];
}

/**
 * Unchanged with a warning (skipped), allowed as it is (the same object: no diff to walk), or patched by
 * the diff from the original to the mutated object.
 */
export function fromMutation(original: unknown, mutation: Mutation): Verdict {
  const { object, reason, warnings } = mutation;
  if (mutation.skipped !== undefined) {
    const [why = `admitted unchanged: ${mutation.skipped}`, ...more] = warnings;
    return skipped(mutation.skipped, why, ...more);
  }
  if (object === original) return leftAsIs(reason, warnings);
  return because(reason, withQuotedStrings(patchResponseFromObjects(original, object, ...warnings), mutation.quoted ?? []));
}
