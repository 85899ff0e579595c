// `--help` everywhere, with examples (and the deployment's serve flags); exit 0.
import { expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

it.each([[[]], [['serve']], [['review']], [['certs']]])('%j --help shows usage and examples', async (command) => {
  const result = await runCli([...command, '--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Usage: http-proxy-migrator/);
  expect(result.stdout).toMatch(/\nExamples:\n {2}\$ http-proxy-migrator /);
  if (command[0] === 'serve') expectServeFlags(result.stdout);
});

function expectServeFlags(stdout: string): void {
  for (const flag of [
    '--port',
    '--metrics-port',
    '--cert-dir',
    '--phase',
    '--shoots',
    '--garden-kubeconfig',
    '--log-level',
    '--config',
    '--grace-period',
  ]) {
    expect(stdout).toContain(flag);
  }
  // Help wraps at the terminal width; compare it as one line.
  const flat = stdout.replace(/\s+/g, ' ');
  expect(flat).toContain('--port <port> webhook (TLS) port (default: 9443)');
  expect(flat).toContain('--metrics-port <port> probes, metrics and status (plain HTTP) port (default: 8080)');
  expect(flat).toMatch(/--cert-dir <dir> [^-]*\(default: "certs"\)/);
}

it('exits 2 on an unknown command', async () => {
  const result = await runCli(['serv']);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(/^error: unknown command 'serv'/);
});
