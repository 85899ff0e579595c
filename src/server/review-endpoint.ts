// The HTTP side of admission: read a bounded body, decode, run the webhook before the apiserver's
// deadline, answer with a review, and leave one log line and the metrics behind. It knows nothing
// about the objects; webhooks know nothing about HTTP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeReview, isJsonContentType } from '../admission/decode.js';
import { encodeAdmissionReview } from '../admission/encode.js';
import { quote } from '../admission/quote.js';
import { runWebhook, type RunResult } from '../admission/run.js';
import type { AdmissionRequest } from '../admission/types.js';
import type { MigrationWebhookContext as WebhookContext } from '../../webhooks/context.js';
import type { MigrationSettings } from '../gardener/settings.js';
import type { Services } from '../gardener/services.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { clip } from '../util/clip.js';
import { bodyTooLarge, closesConnection, deadlineMissed, methodNotAllowed, refusalOf, unreadableBody, unsupportedContentType, type Refusal } from './http-errors.js';
import type { Route } from './router.js';

/** An AdmissionReview carries object and oldObject of up to about 3 MB each. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/**
 * A body refused before it has all arrived is read and thrown away up to this much more, then the
 * connection is closed: closing at once resets it under a client that is still writing, and such a
 * client often reports the broken pipe instead of reading the answer.
 */
export const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
/** ... and for at most this long, so a refused client cannot hold the connection by sending slowly. */
const DRAIN_LINGER_MS = 5_000;
/** Answer this long before the apiserver gives up, so the answer still counts. */
const DEADLINE_MARGIN_MS = 250;

export interface ReviewEndpointOptions {
  settings: MigrationSettings;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  /** True while the server drains: answers then ask the client to close the connection. */
  draining: () => boolean;
  maxBodyBytes?: number;
  maxDrainBytes?: number;
}

export type ReviewEndpoint = (route: Route, req: IncomingMessage, res: ServerResponse) => void;

export function createReviewEndpoint(options: ReviewEndpointOptions): ReviewEndpoint {
  const { logger, metrics, settings, services } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxDrainBytes = options.maxDrainBytes ?? MAX_DRAIN_BYTES;

  return (route, req, res) => {
    const started = performance.now();
    const webhookName = route.webhook.name;
    const webhookMetrics = metrics.forWebhook(webhookName);
    webhookMetrics.inFlight.inc();

    const line = logLine(webhookName);

    const finish = (httpStatus: number, body: string, contentType: string, bytes = Buffer.byteLength(body), endLater = false): void => {
      // Ended with the string itself: node encodes it once, together with the head, into the socket's
      // write; a Buffer here would be one more copy, and an allocation outside V8's heap, per answer.
      const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': bytes };
      if (options.draining() || endLater || closesConnection(httpStatus)) headers.connection = 'close';
      res.writeHead(httpStatus, headers);
      if (endLater) res.write(body);
      else res.end(body);
      const seconds = (performance.now() - started) / 1000;
      webhookMetrics.inFlight.dec();
      webhookMetrics.requests(httpStatus).inc();
      webhookMetrics.latency.observe(seconds);
      line.status = httpStatus;
      line.durationMs = round(seconds * 1000);
      logger.info(line, 'admission');
    };
    // The client hung up before the answer: nothing to write or count as answered, but the slot is free.
    const abandon = (): void => {
      webhookMetrics.inFlight.dec();
      line.durationMs = round(performance.now() - started);
      line.clientGone = true;
      logger.info(line, 'admission');
    };
    const reject = ({ status, reason }: Refusal): void => {
      line.outcome = 'bad-request';
      line.reason = reason;
      if (req.complete) return finish(status, `${reason}\n`, 'text/plain; charset=utf-8');
      // The whole answer goes out now; the response ends (and the connection closes) once the client
      // has finished sending, or has sent too much more, or has taken too long.
      finish(status, `${reason}\n`, 'text/plain; charset=utf-8', undefined, true);
      drainThenEnd();
    };
    const drainThenEnd = (): void => {
      let drained = 0;
      const end = (): void => {
        clearTimeout(linger);
        req.off('data', discard);
        if (!res.writableEnded) res.end();
      };
      const discard = (chunk: Buffer): void => {
        drained += chunk.length;
        if (drained > maxDrainBytes) end();
      };
      const linger = setTimeout(end, DRAIN_LINGER_MS);
      req.on('data', discard);
      req.once('end', end);
      req.once('error', end);
      res.once('close', () => clearTimeout(linger));
      req.resume();
    };

    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return reject(methodNotAllowed(req.method));
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      return reject(unsupportedContentType(req.headers['content-type']));
    }
    const declared = Number(req.headers['content-length']);
    if (declared > maxBodyBytes) return reject(bodyTooLarge(maxBodyBytes, declared));

    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      received += chunk.length;
      if (received > maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        reject(bodyTooLarge(maxBodyBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!res.headersSent && !tooLarge) reject(unreadableBody());
    });
    req.on('end', () => {
      if (tooLarge || res.headersSent) return;
      const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      let review;
      try {
        review = decodeReview(body);
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal) return reject(refusal);
        throw err;
      }
      const request = review.request;
      const context: WebhookContext = {
        settings,
        services,
        pathParameter: route.pathParameter,
        remoteAddress: req.socket.remoteAddress,
      };
      const answer = ({ verdict, failure, timedOut }: Decision): void => {
        if (failure) {
          metrics.handlerFailures.inc({ webhook: webhookName });
          logger.error({ webhook: webhookName, uid: request.uid, err: clip(failure.message, 1024) }, 'webhook handler failed');
        }
        webhookMetrics.outcomes(verdict.outcome).inc();
        if (verdict.reason !== undefined) webhookMetrics.mutations(verdict.reason).inc();
        if (verdict.skipped) metrics.skipped.inc({ webhook: webhookName, reason: verdict.skipped });
        identify(line, request);
        line.outcome = verdict.outcome;
        line.reason = verdict.reason;
        line.timedOut = timedOut;
        if (res.destroyed) return abandon();
        const { text, bytes } = encodeAdmissionReview(review.apiVersion, request.uid, verdict);
        finish(200, text, 'application/json', bytes);
      };
      const decision = decide(route, request, context);
      if (decision instanceof Promise) void decision.then(answer);
      else answer(decision);
    });
  };
}

type Decision = RunResult & { timedOut?: boolean };

/** A synchronous handler has answered already; only a pending one races the apiserver's deadline. */
function decide(route: Route, request: AdmissionRequest, context: WebhookContext): Decision | Promise<Decision> {
  const running = runWebhook(route.webhook, request, context);
  if (!(running instanceof Promise)) return running;
  return raceDeadline(route, running);
}

async function raceDeadline(route: Route, running: Promise<RunResult>): Promise<Decision> {
  const budget = Math.min(route.timeoutMs ?? Infinity, route.webhook.timeoutSeconds * 1000) - DEADLINE_MARGIN_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<RunResult & { timedOut: true }>((resolve) => {
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
