// A bare node:https client: raw bodies and headers, full control over what goes on the wire.
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AdmissionReview } from '../../src/admission/types.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An https Agent trusting `ca` only; keep-alive so tests see what a pooled client sees. */
export function trustingAgent(ca: string, options: { keepAlive?: boolean } = {}): Agent {
  return new Agent({ ca, keepAlive: options.keepAlive ?? false });
}

export interface SendOptions extends RequestOptions {
  body?: string | Buffer;
}

/** Sends one request and collects the whole answer. */
export function send(url: string, options: SendOptions): Promise<HttpAnswer> {
  const { body, ...rest } = options;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ...rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a review as JSON, the way kube-apiserver does. */
export function postReview(url: string, agent: Agent, review: unknown): Promise<HttpAnswer> {
  return send(url, { agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(review) });
}

/** POSTs a review and returns the decoded answer, failing on anything but HTTP 200. */
export async function reviewAt(url: string, agent: Agent, review: unknown): Promise<AdmissionReview> {
  const answer = await postReview(url, agent, review);
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body}`);
  return JSON.parse(answer.body) as AdmissionReview;
}
