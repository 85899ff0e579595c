// Cluster access without client-node, against a real TLS API server on loopback: one connection for
// many requests, a rotated CA file and token file followed from the next request, and whatever only
// client-node can do (exec plugins) handed back to it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/gardener/kube-client.js';
import { NeedsFullClient, kubeconfigAccess } from '../../src/gardener/kubeconfig-access.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { until } from '../support/until.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('kubeconfig access without client-node', () => {
  it('reuses one TLS connection and follows a rotated token file and CA file', async () => {
    const api = await new FakeKubeApi().register(RESOURCES.namespaces).start(0, await loopbackTlsIdentity());
    const dir = mkdtempSync(join(tmpdir(), 'hpm-access-'));
    const access = kubeconfigAccess(api.writeKubeconfig(dir, { tokenFile: 'token' }));
    cleanups.push(
      () => api.stop(),
      () => access.pool.destroy(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    const client = new KubeClient(access);
    writeFileSync(join(dir, 'token'), 'token-one\n');
    for (let i = 0; i < 30; i++) await client.request('GET', '/api/v1/namespaces');
    expect(api.connections).toBe(1);
    writeFileSync(join(dir, 'token'), 'token-two-rotated\n');
    await client.request('GET', '/api/v1/namespaces');
    expect(api.requests.at(0)!.authorization).toBe('Bearer token-one');
    expect(api.requests.at(-1)!.authorization).toBe('Bearer token-two-rotated');

    const rotated = await loopbackTlsIdentity();
    api.rotateCertificate(rotated);
    const outcome = async (): Promise<string> =>
      client.request('GET', '/api/v1/namespaces').then(
        () => 'accepted',
        (err: Error) => err.message,
      );
    await until(async () => /certificate/i.test(await outcome()), 'old CA refused');
    writeFileSync(join(dir, 'ca.crt'), rotated.ca);
    await client.request('GET', '/api/v1/namespaces');
    expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toBe(rotated.ca);
  });

  it('leaves exec plugins, auth providers and proxies to client-node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpm-access-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const write = (user: object, cluster: object = {}): string => {
      const file = join(dir, 'kubeconfig');
      writeFileSync(
        file,
        JSON.stringify({
          clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', ...cluster } }],
          users: [{ name: 'u', user }],
          contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'x',
        }),
      );
      return file;
    };
    expect(() => kubeconfigAccess(write({ exec: { command: 'kubectl-oidc' } }))).toThrow(NeedsFullClient);
    expect(() => kubeconfigAccess(write({ 'auth-provider': { name: 'oidc' } }))).toThrow(NeedsFullClient);
    expect(() => kubeconfigAccess(write({ token: 't' }, { 'proxy-url': 'http://proxy:3128' }))).toThrow(NeedsFullClient);
    expect(kubeconfigAccess(write({ token: 't' })).server()).toBe('https://127.0.0.1:6443');
  });
});
