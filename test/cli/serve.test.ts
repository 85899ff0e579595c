// `serve` as operators run it: the binary, real certificates, ports 0; SIGTERM drains and exits 0.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { beforeAll, expect, it } from 'vitest';
import { webhooks } from '../../webhooks/index.js';
import { makeCertDir, type CertDir } from '../support/certs.js';
import { runCli, spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';
import { postReview, trustingAgent } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { refusesConnections } from '../support/raw.js';

let certs: CertDir;
beforeAll(async () => {
  certs = await makeCertDir();
});

function portOf(url: string): number {
  return Number(new URL(url).port);
}

it('announces the ports it chose and serves reviews and probes', async () => {
  const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS]);
  expect(portOf(serve.url)).toBeGreaterThan(0);
  expect(portOf(serve.metricsUrl)).toBeGreaterThan(0);
  expect((await fetch(`${serve.metricsUrl}/readyz`)).status).toBe(200);
  // Any registered webhook will do: the envelope is the server's, whatever the handler decides.
  const review = admissionReview({ operation: 'DELETE' });
  const agent = trustingAgent(certs.caCert);
  const answer = await postReview(`${serve.url}${webhooks[0]!.path}`, agent, review);
  agent.destroy();
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ kind: 'AdmissionReview', response: { uid: review.request!.uid } });
  serve.child.kill('SIGTERM');
  expect(await serve.exited).toEqual({ code: 0, signal: null });
});

it('on SIGTERM: readiness false at once, no new connections, the in-flight review finishes, exit 0', async () => {
  const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS, '--log-level', 'info']);
  const review = JSON.stringify(admissionReview());
  const body = Buffer.from(review);
  // Half a request on the wire: in flight from the server's point of view until the rest arrives.
  const socket = await new Promise<ReturnType<typeof tlsConnect>>((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port: portOf(serve.url), ca: certs.caCert, servername: 'localhost' }, () => resolve(s));
    s.once('error', reject);
  });
  let response = '';
  socket.setEncoding('utf8').on('data', (c: string) => (response += c));
  socket.write(
    `POST ${webhooks[0]!.path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  socket.write(body.subarray(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 100));

  serve.child.kill('SIGTERM');
  await expect.poll(async () => (await fetch(`${serve.metricsUrl}/readyz`)).status).toBe(503);
  expect(await refusesConnections(portOf(serve.url))).toBe(true);
  expect(serve.child.exitCode).toBeNull();

  socket.end(body.subarray(10));
  await serve.exited.then(({ code, signal }) => expect({ code, signal }).toEqual({ code: 0, signal: null }));
  expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(response.toLowerCase()).toContain('connection: close');
  expect(response).toContain(JSON.parse(review).request.uid);
  // The buffered logs are flushed before the exit.
  expect(serve.stdout()).toMatch(/"msg":"shutting down"/);
  expect(serve.stdout()).toMatch(/"signal":"SIGTERM"/);
});

it('exits 0 on SIGINT', async () => {
  const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS, '--log-level', 'silent']);
  serve.child.kill('SIGINT');
  expect(await serve.exited).toEqual({ code: 0, signal: null });
});

it('takes its settings from --config, with flags on the command line winning', async () => {
  const config = join(certs.dir, 'config.yaml');
  // Without the file's certDir and ports it could not start here; its logLevel loses to the flag.
  writeFileSync(config, `certDir: ${certs.dir}\nhost: 127.0.0.1\nport: 0\nmetrics-port: 0\nlogLevel: silent\nphase: unified\n`);
  const serve = await spawnServe(['--config', config, '--log-level', 'info']);
  serve.child.kill('SIGTERM');
  expect(await serve.exited).toMatchObject({ code: 0 });
  expect(serve.stdout()).toMatch(/"msg":"serving"/);
});

it.each([
  ['an unknown flag', ['--nope'], /^error: unknown option '--nope'$/],
  ['a bad port', ['--port', 'http'], /^error: option '--port <port>' argument 'http' is invalid\. must be a port number/],
  [
    'a cert dir without certificates',
    ['--cert-dir', '/nonexistent/certs'],
    /^error: --cert-dir: \/nonexistent\/certs\/tls\.crt does not exist$/,
  ],
  ['an unreadable --config', ['--config', '/nonexistent/config.yaml'], /^error: cannot read \/nonexistent\/config\.yaml: ENOENT$/],
  ['an unreadable --client-ca', ['--client-ca', '/nonexistent/ca.crt'], /^error: cannot read \/nonexistent\/ca\.crt: ENOENT$/],
  [
    'a --gardener-version that is not a release',
    ['--gardener-version', '1.149'],
    /^error: option '--gardener-version <version>' argument '1\.149' is invalid\. "1\.149" is not a version/,
  ],
])('exits 2 with a one-line reason on %s', async (_what, args, reason) => {
  const argv = args.includes('--cert-dir') ? args : ['--cert-dir', certs.dir, ...args];
  const result = await runCli(['serve', ...LOOPBACK_SERVE_ARGS, ...argv]);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(reason);
  expect(result.stdout).toBe('');
});

it('exits 2 naming an unknown setting in --config', async () => {
  const config = join(certs.dir, 'bad-config.yaml');
  writeFileSync(config, 'certDir: certs\nprot: 9443\n');
  const result = await runCli(['serve', '--config', config]);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(`error: ${config}: unknown setting "prot" (settings are the flags of 'serve' in camelCase)\n`);
});
