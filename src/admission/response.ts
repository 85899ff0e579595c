// The whole outcome space of a webhook, in the manner of controller-runtime's response.go.
// Every handler answers with one of these; the uid is filled in when the review is answered.
import type { Operation as PatchOperation } from 'fast-json-patch';
import { diff } from './diff.js';
import type { QuotedString } from './patch-json.js';
import type { Status } from './types.js';
import { fitWarnings } from './warnings.js';

export type Outcome = 'allowed' | 'patched' | 'denied' | 'error';

/** A webhook's verdict before it is bound to a request uid. */
export interface Verdict {
  outcome: Outcome;
  allowed: boolean;
  status?: Status;
  patch?: PatchOperation[];
  warnings: string[];
  /** Why a mutating webhook left the object alone although it is in scope (a metric label). */
  skipped?: string;
  /**
   * Why a mutating webhook answered as it did: `moved`, `at-target`, `ahead-of-target`, or a skip reason
   * (the mutations metric's label, and the log line's).
   */
  reason?: string;
  /** The JSON text of strings in the patch that the webhook rendered, so they are not escaped again. */
  quoted?: readonly QuotedString[];
}

export function allowed(...warnings: string[]): Verdict {
  return { outcome: 'allowed', allowed: true, warnings: fitWarnings(warnings) };
}

/**
 * Admitted unchanged although the object is in scope, because something the mutation needs is
 * missing (unknown shoot, seed not ready, old client): counted by `reason`, explained by `warning`.
 */
export function skipped(reason: string, warning: string, ...warnings: string[]): Verdict {
  return { ...allowed(warning, ...warnings), skipped: reason, reason };
}

/**
 * Admitted exactly as it is, because it is already where the webhook would take it. The warnings are
 * taken as given (short, made once by the webhook): on a migrated seed this is the common answer.
 */
export function leftAsIs(reason: string, warnings: readonly string[]): Verdict {
  return { outcome: 'allowed', allowed: true, warnings: warnings as string[], reason };
}

/** The verdict with the reason a mutating webhook gives for it. */
export function because(reason: string, verdict: Verdict): Verdict {
  verdict.reason = reason;
  return verdict;
}

/** A rejection: the request is refused whatever the failure policy (HTTP-like code, 403 by default). */
export function denied(message: string, code = 403, ...warnings: string[]): Verdict {
  return {
    outcome: 'denied',
    allowed: false,
    status: { code, message, reason: reasonFor(code) },
    warnings: fitWarnings(warnings),
  };
}

/** The webhook could not decide (500 by default). */
export function errored(message: string, code = 500, ...warnings: string[]): Verdict {
  return {
    outcome: 'error',
    allowed: false,
    status: { code, message, reason: reasonFor(code) },
    warnings: fitWarnings(warnings),
  };
}

/** Allowed with the given JSON Patch; an empty patch is a plain "allowed". */
export function patched(patch: PatchOperation[], ...warnings: string[]): Verdict {
  if (patch.length === 0) return allowed(...warnings);
  return { outcome: 'patched', allowed: true, patch, warnings: fitWarnings(warnings) };
}

/**
 * The patch that turns `original` into `mutated`, as a diff (never hand-written paths), so that it
 * always applies to the object the apiserver holds.
 */
export function patchResponseFromObjects(original: unknown, mutated: unknown, ...warnings: string[]): Verdict {
  return patched(diff(original, mutated), ...warnings);
}

/** A patching verdict whose patch carries strings the webhook also rendered as JSON text. */
export function withQuotedStrings(verdict: Verdict, quoted: readonly QuotedString[]): Verdict {
  if (!verdict.patch || quoted.length === 0) return verdict;
  // Member by member: an object spread took one of V8's slow paths here, microseconds on every answer.
  const { outcome, allowed, status, patch, warnings, skipped, reason } = verdict;
  const result: Verdict = { outcome, allowed, patch, warnings, quoted };
  if (status) result.status = status;
  if (skipped !== undefined) result.skipped = skipped;
  if (reason !== undefined) result.reason = reason;
  return result;
}

export function withWarnings(verdict: Verdict, ...warnings: string[]): Verdict {
  return { ...verdict, warnings: fitWarnings([...verdict.warnings, ...warnings]) };
}

function reasonFor(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 403:
      return 'Forbidden';
    case 422:
      return 'Invalid';
    case 503:
      return 'ServiceUnavailable';
    default:
      return code >= 500 ? 'InternalError' : 'BadRequest';
  }
}
