// What a newcomer meets first: help that matches the README, the unknown flag named first, one meaning
// of the exit code for every verdict, a hint where a review lacks its shoot, and a start-up banner that
// says what each webhook does in the running phase and how to see the other one.
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCertDir, type CertDir } from '../support/certs.js';
import { runCli, spawnServe, LOOPBACK_SERVE_ARGS } from '../support/cli.js';

const examples = resolve(import.meta.dirname, '../../examples');
const example = (name: string): string => join(examples, name);

it('register --help shows the resync period as the README does: 5m', async () => {
  const result = await runCli(['register', '--help']);
  expect(result.code).toBe(0);
  expect(result.stdout.replace(/\s+/g, ' ')).toContain('re-read (default: 5m)');
});

it.each([['mutate'], ['review'], ['validate']])('%s --bogus names the unknown flag first, not the missing -f', async (command) => {
  const result = await runCli([command, '--bogus']);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toBe("error: unknown option '--bogus'");
});

it('a missing required flag is still reported when every flag is known', async () => {
  const result = await runCli(['mutate']);
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toBe("error: required option '-f, --file <file>' not specified");
});

describe('review exits as validate does: 0 allowed, 1 denied, 2 bad input', () => {
  it('0 when the answer allows', async () => {
    const result = await runCli([
      'review',
      '--webhook',
      'apiserver-proxy',
      '--technical-id',
      'shoot--foo--bar',
      '-f',
      example('review.apiserver-proxy.json'),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).response.allowed).toBe(true);
  });

  it('1 when the answer denies, with the answer printed', async () => {
    const result = await runCli([
      'review',
      '--webhook',
      'gardenlet-config',
      '--shoots',
      example('shoots.yaml'),
      '-f',
      example('review.gardenlet-config.json'),
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).response).toMatchObject({ allowed: false, status: { code: 403 } });
    const validated = await runCli(['validate', '--shoots', example('shoots.yaml'), '-f', example('gardenlet-configmap.yaml')]);
    expect(validated.code).toBe(1);
  });

  it('2 on bad input', async () => {
    const result = await runCli(['review', '--webhook', 'vpn-shoot', '-f', example('missing.json')]);
    expect(result.code).toBe(2);
  });
});

it('review without --technical-id says how to give the shoot', async () => {
  const result = await runCli(['review', '--webhook', 'apiserver-proxy', '-f', example('review.apiserver-proxy.json')]);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('give --technical-id shoot--<project>--<name>');
  const given = await runCli([
    'review',
    '--webhook',
    'apiserver-proxy',
    '--technical-id',
    'shoot--foo--bar',
    '-f',
    example('review.apiserver-proxy.json'),
  ]);
  expect(given.stderr).toBe('');
  expect(JSON.parse(given.stdout).response.patch).toBeDefined();
});

describe("serve's banner", () => {
  let certs: CertDir;
  beforeAll(async () => {
    certs = await makeCertDir();
  });

  async function bannerOf(phase: string): Promise<string> {
    const serve = await spawnServe(['--cert-dir', certs.dir, ...LOOPBACK_SERVE_ARGS, '--phase', phase]);
    await expect.poll(() => serve.stderr()).toMatch(/phase: restart with/);
    serve.child.kill('SIGTERM');
    await serve.exited;
    return serve.stderr();
  }

  it('in tls-tunnel says vpn-shoot is left alone, and how to try the unified phase', async () => {
    const banner = await bannerOf('tls-tunnel');
    expect(banner).toContain('phase tls-tunnel:');
    expect(banner).toContain('moves envoy.yaml to HTTP CONNECT on port 8132, header Reversed-VPN');
    expect(banner).toContain('leaves vpn-shoot unchanged: the VPN client moves only in the unified phase');
    expect(banner).toContain('the unified phase: restart with --phase unified (npm start -- --phase unified)');
    expect(banner).toMatch(/curl [^\n]*--data @examples\/review\.vpn-shoot\.json [^\n]*\/webhooks\/vpn-shoot\n/);
  });

  it('in unified says what vpn-shoot now does, and how to go back', async () => {
    const banner = await bannerOf('unified');
    expect(banner).toContain('moves envoy.yaml to HTTP CONNECT on port 8443, header X-Gardener-Destination');
    expect(banner).toContain('moves the VPN client to port 8443 with REVERSED_VPN_HEADER_KEY=X-Gardener-Destination');
    expect(banner).toContain('the tls-tunnel phase: restart with --phase tls-tunnel');
  });
});
