// The HTTP side of admission: method, content type and a bounded body in; the answer, its status and
// its connection handling out. What the body means, and what is logged and counted about it, is the
// exchange's (review-handling.ts); what a refusal says is http-errors.ts's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonContentType } from '../admission/decode.js';
import {
  bodyTooLarge,
  closesConnection,
  methodNotAllowed,
  refusalOf,
  unreadableBody,
  unsupportedContentType,
  type Refusal,
} from './http-errors.js';
import { ReviewExchange, type Decision, type ReviewHandlingOptions } from './review-handling.js';
import type { Route } from './router.js';

/** An AdmissionReview carries object and oldObject of up to about 3 MB each. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/**
 * A body refused before it has all arrived is read and thrown away up to this much more, then the
 * connection is closed: closing at once resets it under a client that is still writing, and such a
 * client often reports the broken pipe instead of reading the answer.
 */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
/** ... and for at most this long, so a refused client cannot hold the connection by sending slowly. */
const DRAIN_LINGER_MS = 5_000;

const TEXT = 'text/plain; charset=utf-8';

export interface ReviewEndpointOptions extends ReviewHandlingOptions {
  /** True while the server drains: answers then ask the client to close the connection. */
  draining: () => boolean;
  maxBodyBytes?: number;
  maxDrainBytes?: number;
}

export type ReviewEndpoint = (route: Route, req: IncomingMessage, res: ServerResponse) => void;

export function createReviewEndpoint(options: ReviewEndpointOptions): ReviewEndpoint {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxDrainBytes = options.maxDrainBytes ?? MAX_DRAIN_BYTES;

  return (route, req, res) => {
    const exchange = new ReviewExchange(route, options);

    const finish = (status: number, body: string, contentType: string, bytes = Buffer.byteLength(body), endLater = false): void => {
      // Ended with the string itself: node encodes it once, together with the head, into the socket's
      // write; a Buffer here would be one more copy, and an allocation outside V8's heap, per answer.
      const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': bytes };
      if (options.draining() || endLater || closesConnection(status)) headers.connection = 'close';
      res.writeHead(status, headers);
      if (endLater) res.write(body);
      else res.end(body);
      exchange.answered(status);
    };
    const reject = ({ status, reason }: Refusal): void => {
      exchange.refused(reason);
      if (req.complete) return finish(status, `${reason}\n`, TEXT);
      // The whole answer goes out now; the response ends (and the connection closes) once the client
      // has finished sending, or has sent too much more, or has taken too long.
      finish(status, `${reason}\n`, TEXT, undefined, true);
      drainThenEnd(req, res, maxDrainBytes);
    };
    const send = (decision: Decision): void => {
      exchange.decided(decision);
      // The client hung up before the answer: nothing to write.
      if (res.destroyed) return exchange.abandoned();
      const { text, bytes } = exchange.encode(decision);
      finish(200, text, 'application/json', bytes);
    };

    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return reject(methodNotAllowed(req.method));
    }
    if (!isJsonContentType(req.headers['content-type'])) return reject(unsupportedContentType(req.headers['content-type']));
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
      let decision;
      try {
        decision = exchange.decide(body, req.socket.remoteAddress);
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal) return reject(refusal);
        throw err;
      }
      if (decision instanceof Promise) void decision.then(send);
      else send(decision);
    });
  };
}

/** Reads and throws away what the client still sends, then ends the response (and closes the connection). */
function drainThenEnd(req: IncomingMessage, res: ServerResponse, maxDrainBytes: number): void {
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
}
