// Running one webhook on one request: the guards every handler shares, and containment of failures.
import { allowed, because, errored, type Verdict } from './response.js';
import type { AdmissionRequest } from './types.js';
import type { Webhook, WebhookContext } from './webhook.js';

export interface RunResult {
  verdict: Verdict;
  /** The handler threw or returned something unusable; the verdict is the failure policy's answer. */
  failure?: Error;
}

/**
 * Runs the handler. A mutating webhook fails open (admitted, no patch, a warning), a validating one
 * fails closed (errored 500); DELETE and CONNECT never carry a patch, because the apiserver refuses one.
 * A synchronous handler gets a synchronous result: the hot path then needs no promise and no deadline timer.
 */
export function runWebhook<C>(webhook: Webhook<C>, request: AdmissionRequest, context: WebhookContext<C>): RunResult | Promise<RunResult> {
  const objectless = request.operation === 'DELETE' || request.operation === 'CONNECT';
  if (webhook.type === 'mutating' && objectless) return { verdict: because('no-object', allowed()) };
  const patchForbidden = objectless || webhook.type === 'validating';
  let answer: Verdict | Promise<Verdict>;
  try {
    answer = webhook.handle(request, context);
  } catch (err) {
    return failed(webhook, err);
  }
  if (isPromise(answer)) {
    return answer.then(
      (verdict) => checked(webhook, verdict, patchForbidden),
      (err: unknown) => failed(webhook, err),
    );
  }
  return checked(webhook, answer, patchForbidden);
}

function checked(webhook: Webhook, verdict: Verdict, patchForbidden: boolean): RunResult {
  const problem = misfit(verdict, patchForbidden);
  if (problem) return { verdict: failedVerdict(webhook), failure: new Error(`${webhook.name} ${problem}`) };
  return { verdict };
}

function failed(webhook: Webhook, err: unknown): RunResult {
  return { verdict: failedVerdict(webhook), failure: err instanceof Error ? err : new Error(String(err)) };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export function failedVerdict(webhook: Webhook, why = 'internal error'): Verdict {
  return webhook.type === 'mutating'
    ? because('failed', allowed(`${webhook.name}: ${why}; admitted unchanged`))
    : errored(`${webhook.name}: ${why}; refused until it can be checked`, 500);
}

/** Handlers are plain JavaScript at run time: a malformed verdict must not reach the encoder. */
function misfit(verdict: Verdict, patchForbidden: boolean): string | undefined {
  if (typeof verdict !== 'object' || verdict === null || typeof verdict.allowed !== 'boolean' || !Array.isArray(verdict.warnings)) {
    return 'returned no verdict';
  }
  if (verdict.patch !== undefined && !Array.isArray(verdict.patch)) return 'returned a patch that is not a JSON Patch array';
  if (patchForbidden && verdict.patch && verdict.patch.length > 0) return 'returned a patch it may not return';
  return undefined;
}
