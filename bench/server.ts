// The server under test, as its own process so the runner can pin it to a core and read its memory:
//   node server.js real|baseline <scenario> <cert-dir> [--shoots <file>] [--log <file>]
// Prints {"port":..,"metricsPort":..} as one line on stdout once it listens; exits cleanly on SIGTERM
// (which is also when --cpu-prof writes its profile).
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { findScenario } from './scenarios.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { shoots: { type: 'string' }, log: { type: 'string' } },
});
const [mode, scenarioName, certDir] = positionals;
if ((mode !== 'real' && mode !== 'baseline') || !scenarioName || !certDir) {
  process.stderr.write('usage: server.js real|baseline <scenario> <cert-dir> [--shoots <file>] [--log <file>]\n');
  process.exit(2);
}
const scenario = findScenario(scenarioName);

if (mode === 'baseline') {
  const { createBaselineServer } = await import('./baseline.js');
  const server = createBaselineServer(certDir);
  server.listen(0, '127.0.0.1', () => announce({ port: (server.address() as AddressInfo).port }));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
} else {
  if (!values.log) {
    process.stderr.write('the real server needs --log <file>: stdout carries the port\n');
    process.exit(2);
  }
  // Loaded here so the baseline process carries none of it.
  const [{ createLogDestination, createLogger, flushLogger }, { Metrics }, { openShootSource }, { startServer }, { webhooks }] =
    await Promise.all([
      import('../src/observability/logger.js'),
      import('../src/observability/metrics.js'),
      import('../src/gardener/shoot-source.js'),
      import('../src/server/server.js'),
      import('../webhooks/index.js'),
    ]);
  // Production's destination and level, to a file, so the log's cost is paid.
  const sink = createLogDestination(values.log);
  const logger = createLogger('info', sink);
  const metrics = new Metrics();
  // Not a literal, so the source may take or ignore the metrics as its options evolve.
  const sourceOptions = { shootsFile: values.shoots, logger, metrics };
  const shoots = await openShootSource(sourceOptions);
  const server = await startServer({
    webhooks,
    settings: scenario.settings,
    services: shoots.services,
    logger,
    metrics,
    certDir,
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    readinessChecks: shoots.readiness,
    gracePeriodMs: 2_000,
  });
  announce({ port: server.port, metricsPort: Number(new URL(server.metricsUrl).port) });
  process.once('SIGTERM', () => {
    void server.shutdown().finally(() => {
      shoots.stop();
      flushLogger(logger);
      process.exit(0);
    });
  });
}

function announce(ports: { port: number; metricsPort?: number }): void {
  process.stdout.write(`${JSON.stringify(ports)}\n`);
}
