// The bare baseline: node:https with the webhook server's TLS settings, certificate and keep-alive,
// that reads the body, parses it and echoes the uid in a fixed AdmissionReview. The webhook server's
// req/s as a share of this one's is what its own work (routing, handler, patch, log, metrics) costs.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { KEEP_ALIVE_TIMEOUT_MS } from '../src/server/server.js';
import { listenerTlsOptions } from '../src/server/tls-options.js';

export function createBaselineServer(certDir: string): Server {
  const cert = readFileSync(join(certDir, 'tls.crt'));
  const key = readFileSync(join(certDir, 'tls.key'));
  const server = createServer(listenerTlsOptions(cert, key), (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: string;
      try {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apiVersion?: string; request?: { uid?: string } };
        body = JSON.stringify({
          apiVersion: review.apiVersion ?? 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request?.uid ?? '', allowed: true },
        });
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('not JSON\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  // As the webhook server sets them.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  return server;
}
