// The operator listener (plain HTTP, port 8080): probes, metrics, the /status document and its page.
// One factory for both processes, the webhook server and the register controller; each brings its own
// status. Admission reviews never pass through here: they stay on the node:https listener.
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import { CONTENT_SECURITY_POLICY } from './status/page-layout.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import { operatorFailure } from './http-errors.js';

export interface OperatorAppOptions<D> {
  registry: Registry;
  readiness: () => readonly ReadinessCheck[];
  status: () => D | Promise<D>;
  page: (doc: D) => string;
}

const TEXT = 'text/plain; charset=utf-8';

export function createOperatorApp<D>(options: OperatorAppOptions<D>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    next();
  });

  const text = (res: Response, status: number, body: string): void => void res.status(status).type(TEXT).send(body);
  const notAcceptable = (offered: string) => (req: Request, res: Response) =>
    text(res, 406, `${req.path} is served as ${offered}, not as ${req.get('accept') ?? ''}\n`);
  const json = async (res: Response): Promise<void> =>
    void res.type('application/json').send(`${JSON.stringify(await options.status(), null, 2)}\n`);

  route(app, '/healthz', (_req, res) => text(res, 200, 'ok\n'));
  route(app, '/readyz', (_req, res) => {
    const failing = options
      .readiness()
      .filter((c) => !c.ready())
      .map((c) => c.name);
    if (failing.length === 0) text(res, 200, 'ok\n');
    else text(res, 503, `not ready: ${failing.join(', ')}\n`);
  });
  route(app, '/metrics', async (_req, res) => {
    const body = await options.registry.metrics();
    res.status(200).type(options.registry.contentType).send(body);
  });
  route(app, '/status', (req, res, next) => {
    res.format({ 'application/json': () => json(res).catch(next), default: () => notAcceptable('application/json')(req, res) });
  });
  route(app, '/', (req, res, next) => {
    res.format({
      'text/html': async () => {
        try {
          const page = options.page(await options.status());
          res.set('content-security-policy', CONTENT_SECURITY_POLICY).type('html').send(page);
        } catch (err) {
          next(err);
        }
      },
      'application/json': () => json(res).catch(next),
      default: () => notAcceptable('text/html or application/json')(req, res),
    });
  });

  app.use((req, res) => text(res, 404, `no endpoint at ${req.method} ${req.path}\n`));
  // Four parameters: express's error handler.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, reason } = operatorFailure(err);
    text(res, status, `${reason}\n`);
  });
  return app;
}

type Handler = (req: Request, res: Response, next: NextFunction) => void | Promise<void>;

/** GET (and HEAD) answered; any other method gets 405 with the methods that work. */
function route(app: express.Express, path: string, handler: Handler): void {
  app
    .route(path)
    .get(handler)
    .all((req, res) => {
      res.set('allow', 'GET, HEAD').status(405).type(TEXT).send(`${req.method} is not allowed at ${req.path}; use GET\n`);
    });
}

/** Listens on the operator port; resolves once listening. */
export async function listenOperator(app: express.Express, port: number, host?: string): Promise<Server> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
