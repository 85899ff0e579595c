// The plain-text answers of the non-admission endpoints: probes, metrics and unknown paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clip } from '../util/clip.js';

function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The request's path without its query, as it was sent (not decoded). */
function requestPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

/** `404 no <what> at METHOD /path`: one line that says what was asked for. */
export function sendNotFound(req: IncomingMessage, res: ServerResponse, what: string): void {
  // The path is the client's (up to the 16 KiB header limit): a long one is cut, as in every answer.
  sendText(res, 404, `no ${what} at ${req.method} ${clip(requestPath(req), 256)}\n`);
}
