// What the server actually answered: one review sent before the load (so a placeholder handler or a
// failing one is visible next to its numbers), and the verdict counters it kept during the load.
import { get } from 'node:http';
import { request } from 'node:https';
import type { AdmissionReview } from '../src/admission/types.js';
import type { ReviewRequest } from './reviews.js';

export interface VerdictSample {
  status: number;
  /** e.g. "allowed, JSONPatch of 3 operations" or "denied: <message>". */
  summary: string;
  uidEchoed: boolean;
}

export function sampleVerdict(port: number, ca: Buffer, review: ReviewRequest): Promise<VerdictSample> {
  const sentUid = (JSON.parse(review.body.toString('utf8')) as AdmissionReview).request?.uid;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        method: 'POST',
        path: review.path,
        ca,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': review.body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          try {
            const response = (JSON.parse(text) as AdmissionReview).response;
            resolve({ status, summary: summarise(response), uidEchoed: response?.uid === sentUid });
          } catch {
            resolve({ status, summary: `not a review: ${text.slice(0, 120)}`, uidEchoed: false });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(review.body);
  });
}

function summarise(response: AdmissionReview['response']): string {
  if (!response) return 'no response in the review';
  const parts = [response.allowed ? 'allowed' : 'denied'];
  if (response.patch) {
    const ops = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as unknown[];
    parts.push(`JSONPatch of ${ops.length} operation${ops.length === 1 ? '' : 's'}`);
  } else if (response.allowed) {
    parts.push('no patch');
  }
  if (response.status?.message) parts.push(`"${truncate(response.status.message, 140)}"`);
  if (response.warnings?.length) parts.push(`warning: "${truncate(response.warnings[0]!, 140)}"`);
  return parts.join(', ');
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** Verdict and failure counters by label set, from the server's Prometheus endpoint. */
export async function scrapeVerdictCounters(metricsPort: number): Promise<Record<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port: metricsPort, path: '/metrics', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const counters: Record<string, number> = {};
  const wanted = /^http_proxy_migrator_webhook_(outcomes|skipped|handler_failures)_total\{([^}]*)\} (\S+)$/;
  for (const line of text.split('\n')) {
    const match = wanted.exec(line);
    if (!match) continue;
    const labels = match[2]!.replace(/webhook="[^"]*",?/, '').replace(/"/g, '');
    counters[labels ? `${match[1]} ${labels}` : match[1]!] = Number(match[3]);
  }
  return counters;
}
