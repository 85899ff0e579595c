// The plain-HTTP side: liveness, readiness and Prometheus metrics. Three fixed read-only paths need
// no framework: without one the process starts sooner and idles in about 4 MB less.
import type { RequestListener } from 'node:http';
import type { Metrics } from '../observability/metrics.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import { requestPath, sendNotFound, sendText } from './text-answer.js';

export type { ReadinessCheck };

export function createProbeApp(metrics: Metrics, checks: () => readonly ReadinessCheck[]): RequestListener {
  return (req, res) => {
    // HEAD as GET: node leaves the body out of the answer.
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendNotFound(req, res, 'endpoint');
    switch (requestPath(req)) {
      case '/healthz':
        return sendText(res, 200, 'ok\n');
      case '/readyz': {
        const failing = checks()
          .filter((c) => !c.ready())
          .map((c) => c.name);
        if (failing.length === 0) return sendText(res, 200, 'ok\n');
        return sendText(res, 503, `not ready: ${failing.join(', ')}\n`);
      }
      case '/metrics':
        metrics.registry.metrics().then(
          (text) => sendText(res, 200, text, metrics.registry.contentType),
          (err: unknown) => sendText(res, 500, `metrics could not be collected: ${err instanceof Error ? err.message : String(err)}\n`),
        );
        return;
      default:
        return sendNotFound(req, res, 'endpoint');
    }
  };
}
