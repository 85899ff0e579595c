// The review side of admission, one exchange per request: decode the body, run the webhook before the
// apiserver's deadline, encode the answer, and leave one log line and the metrics behind. It knows
// nothing about HTTP beyond the status it is told (review-endpoint.ts reads and answers), nothing
// about the objects (webhooks know nothing about HTTP).
import { decodeReview, type DecodedReview } from '../admission/decode.js';
import { encodeAdmissionReview } from '../admission/encode.js';
import { quote } from '../admission/quote.js';
import { runWebhook, type RunResult } from '../admission/run.js';
import type { AdmissionRequest } from '../admission/types.js';
import type { MigrationWebhookContext as WebhookContext } from '../../webhooks/context.js';
import type { MigrationSettings } from '../gardener/settings.js';
import type { Services } from '../gardener/services.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics, WebhookMetrics } from '../observability/metrics.js';
import { clip } from '../util/clip.js';
import { deadlineMissed } from './http-errors.js';
import type { Route } from './router.js';

/** Answer this long before the apiserver gives up, so the answer still counts. */
const DEADLINE_MARGIN_MS = 250;

export interface ReviewHandlingOptions {
  settings: MigrationSettings;
  services: Services;
  logger: Logger;
  metrics: Metrics;
}

export type Decision = RunResult & { timedOut?: boolean };

export class ReviewExchange {
  private readonly started = performance.now();
  private readonly webhookMetrics: WebhookMetrics;
  private readonly line: LogLine;
  private review: DecodedReview | undefined;

  constructor(
    private readonly route: Route,
    private readonly options: ReviewHandlingOptions,
  ) {
    this.webhookMetrics = options.metrics.forWebhook(route.webhook.name);
    this.webhookMetrics.inFlight.inc();
    this.line = logLine(route.webhook.name);
  }

  /** Refused before any review: the reason goes into the log line. */
  refused(reason: string): void {
    this.line.outcome = 'bad-request';
    this.line.reason = reason;
  }

  /**
   * Decodes the body (a body that is no review throws ReviewDecodeError) and runs the webhook. A
   * synchronous handler has answered already; only a pending one races the apiserver's deadline.
   * The decision goes to decided() before it is answered.
   */
  decide(body: string, remoteAddress: string | undefined): Decision | Promise<Decision> {
    const review = (this.review = decodeReview(body));
    const { settings, services } = this.options;
    const context: WebhookContext = {
      settings,
      services,
      pathParameter: this.route.pathParameter,
      remoteAddress,
    };
    const running = runWebhook(this.route.webhook, review.request, context);
    if (!(running instanceof Promise)) return running;
    return raceDeadline(this.route, running);
  }

  /** The decision counted and written into the log line, whether or not the client is still there. */
  decided({ verdict, failure, timedOut }: Decision): void {
    const { metrics, logger } = this.options;
    const webhookName = this.route.webhook.name;
    const request = this.review!.request;
    if (failure) {
      metrics.handlerFailures.inc({ webhook: webhookName });
      logger.error({ webhook: webhookName, uid: request.uid, err: clip(failure.message, 1024) }, 'webhook handler failed');
    }
    this.webhookMetrics.outcomes(verdict.outcome).inc();
    if (verdict.reason !== undefined) this.webhookMetrics.mutations(verdict.reason).inc();
    if (verdict.skipped) metrics.skipped.inc({ webhook: webhookName, reason: verdict.skipped });
    identify(this.line, request);
    this.line.outcome = verdict.outcome;
    this.line.reason = verdict.reason;
    this.line.timedOut = timedOut;
  }

  /** The decision's review in the apiVersion it was asked in. */
  encode({ verdict }: Decision): { text: string; bytes: number } {
    const review = this.review!;
    return encodeAdmissionReview(review.apiVersion, review.request.uid, verdict);
  }

  /** Answered with `status`: counted, timed and logged. */
  answered(status: number): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.webhookMetrics.inFlight.dec();
    this.webhookMetrics.requests(status).inc();
    this.webhookMetrics.latency.observe(seconds);
    this.line.status = status;
    this.line.durationMs = round(seconds * 1000);
    this.options.logger.info(this.line, 'admission');
  }

  /** The client hung up before the answer: nothing to count as answered, but the slot is free. */
  abandoned(): void {
    this.webhookMetrics.inFlight.dec();
    this.line.durationMs = round(performance.now() - this.started);
    this.line.clientGone = true;
    this.options.logger.info(this.line, 'admission');
  }
}

async function raceDeadline(route: Route, running: Promise<RunResult>): Promise<Decision> {
  const budget = Math.min(route.timeoutMs ?? Infinity, route.webhook.timeoutSeconds * 1000) - DEADLINE_MARGIN_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Decision>((resolve) => {
    timer = setTimeout(() => resolve(deadlineMissed(route.webhook, Math.max(budget, 0))), Math.max(budget, 0));
  });
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The request's one log line: identifiers only, never the object, which may hold kubeconfigs and tokens.
 * Every field is there from the start (undefined ones are left out of the line), so each record has the
 * same shape and pino writes it on its fast path; spreading partial records cost several times as much.
 */
interface LogLine {
  webhook: string;
  status: number | undefined;
  durationMs: number | undefined;
  uid: string | undefined;
  kind: string | undefined;
  namespace: string | undefined;
  name: string | undefined;
  operation: string | undefined;
  user: string | undefined;
  dryRun: true | undefined;
  outcome: string | undefined;
  timedOut: boolean | undefined;
  /** Why: a mutating webhook's reason (moved, at-target, ...), or why a request was refused. */
  reason: string | undefined;
  clientGone: true | undefined;
}

function logLine(webhook: string): LogLine {
  return {
    webhook,
    status: undefined,
    durationMs: undefined,
    uid: undefined,
    kind: undefined,
    namespace: undefined,
    name: undefined,
    operation: undefined,
    user: undefined,
    dryRun: undefined,
    outcome: undefined,
    timedOut: undefined,
    reason: undefined,
    clientGone: undefined,
  };
}

/** Every field comes from the client: each is kept short (the uid is already bounded by decoding), whatever it holds. */
function identify(line: LogLine, request: AdmissionRequest): void {
  line.uid = request.uid;
  line.kind = clipped(request.kind?.kind);
  line.namespace = clipped(request.namespace) || undefined;
  line.name = clipped(request.name || request.object?.metadata?.name) || undefined;
  line.operation = clipped(request.operation);
  line.user = clipped(request.userInfo?.username);
  line.dryRun = request.dryRun === true || undefined;
}

/** Kubernetes names are at most 253 characters: a real one is never cut. */
const MAX_LOGGED_IDENTIFIER = 256;

/** A string field of at most 256 characters as it is; anything else (a client may send any JSON) cut or named. */
function clipped(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? clip(value, MAX_LOGGED_IDENTIFIER) : quote(value);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
