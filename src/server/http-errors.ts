// The server's one mapping from what went wrong to what the client is answered: an HTTP status with a
// one-line reason for a request that cannot be reviewed, or the failure policy's AdmissionReview verdict
// for a review that got no answer in time. Errors are raised by the layer that finds them (decoding,
// handlers); only this file decides what they look like on the wire.
import { InputError } from '../util/input-error.js';
import { quote } from '../admission/quote.js';
import { withWarnings } from '../admission/response.js';
import { failedVerdict, type RunResult } from '../admission/run.js';
import type { Webhook } from '../admission/webhook.js';

/** A request answered without a review: the status and the one-line reason (the body and the log's reason). */
export interface Refusal {
  status: number;
  reason: string;
}

export const methodNotAllowed = (method: string | undefined): Refusal => ({
  status: 405,
  // Node accepts only the methods it knows, so the method is short.
  reason: `method ${method} not allowed: admission reviews are POSTed`,
});

export const unsupportedContentType = (contentType: string | undefined): Refusal => ({
  status: 415,
  reason: `content type ${quote(contentType ?? '')} is not application/json`,
});

/** `declared` is the Content-Length when that alone exceeds the limit; undefined when the body grew past it. */
export const bodyTooLarge = (limit: number, declared?: number): Refusal => ({
  status: 413,
  reason: declared === undefined ? `body exceeds the limit of ${limit} bytes` : `body of ${declared} bytes exceeds the limit of ${limit}`,
});

export const unreadableBody = (): Refusal => ({ status: 400, reason: 'request body could not be read' });

/** A body that is no review (not JSON, no request, no uid, ...): 400 with the decoder's reason. */
export function refusalOf(err: unknown): Refusal | undefined {
  return err instanceof InputError ? { status: 400, reason: err.message } : undefined;
}

/** Refusals other than 405 close the connection: the client may still be sending a body nobody reads. */
export function closesConnection(status: number): boolean {
  return status >= 400 && status !== 405;
}

/** No answer from the handler before the apiserver's deadline: the failure policy's verdict. */
export function deadlineMissed(webhook: Webhook, budgetMs: number): RunResult & { timedOut: true } {
  return {
    verdict: withWarnings(failedVerdict(webhook, 'no answer before the deadline')),
    failure: new Error(`no answer within ${budgetMs} ms`),
    timedOut: true,
  };
}

/** The operator listener's answer to an endpoint that threw: the message only, never a stack. */
export function operatorFailure(err: unknown): Refusal {
  return { status: 500, reason: `could not answer: ${err instanceof Error ? err.message : String(err)}` };
}
