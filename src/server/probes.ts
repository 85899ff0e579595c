// The plain-HTTP side: liveness, readiness and Prometheus metrics.
import express, { type Express } from 'express';
import type { Metrics } from '../observability/metrics.js';

/** A named condition the server needs before it can answer correctly; false keeps /readyz failing. */
export interface ReadinessCheck {
  name: string;
  ready: () => boolean;
}

export function createProbeApp(metrics: Metrics, checks: () => readonly ReadinessCheck[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', (_req, res) => {
    const failing = checks()
      .filter((c) => !c.ready())
      .map((c) => c.name);
    if (failing.length === 0) res.type('text/plain').send('ok\n');
    else res.status(503).type('text/plain').send(`not ready: ${failing.join(', ')}\n`);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use((req, res) => {
    res.status(404).type('text/plain').send(`no endpoint at ${req.method} ${req.path}\n`);
  });
  return app;
}
