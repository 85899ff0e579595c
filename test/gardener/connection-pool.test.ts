// One keep-alive connection pool per cluster, against a real TLS API server on loopback: client-node's
// own API clients, its Watch and our requests reuse connections; the pool stays within its bound; a
// rotated CA file and a rotated token file are followed without a restart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/gardener/kube-client.js';
import { PooledKubeConfig } from '../../src/gardener/pooled-kube-config.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';
import { until } from '../support/until.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tlsApi(user?: Record<string, unknown>, limits?: ConstructorParameters<typeof PooledKubeConfig>[0]) {
  const api = await new FakeKubeApi().register(RESOURCES.namespaces, RESOURCES.secrets).start(0, await loopbackTlsIdentity());
  const dir = mkdtempSync(join(tmpdir(), 'hpm-pool-'));
  const kubeConfig = new PooledKubeConfig(limits);
  kubeConfig.loadFromFile(api.writeKubeconfig(dir, user));
  cleanups.push(
    () => api.stop(),
    () => kubeConfig.pool.destroy(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  for (let i = 0; i < 3; i++) api.put(RESOURCES.namespaces, { metadata: { name: `shoot--p--s${i}` } });
  return { api, dir, kubeConfig, client: new KubeClient(kubeConfig) };
}

describe('connection pool', () => {
  it('serves requests from our client, client-node API clients and its Watch over one TLS connection', async () => {
    const { api, kubeConfig, client } = await tlsApi();
    const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
    for (let i = 0; i < 40; i++) {
      await client.request('GET', '/api/v1/namespaces');
      await core.listNamespace();
    }
    expect(api.requests.length).toBe(80);
    expect(api.connections).toBe(1);

    // A watch holds a connection of its own while it is open; the requests beside it share another.
    const events: string[] = [];
    const watch = await new k8s.Watch(kubeConfig).watch(
      '/api/v1/namespaces',
      { resourceVersion: '0' },
      (type) => events.push(type),
      () => undefined,
    );
    cleanups.push(() => watch.abort());
    await until(() => events.length === 3, 'watch replayed the namespaces');
    for (let i = 0; i < 20; i++) await client.request('GET', '/api/v1/namespaces');
    expect(api.connections).toBe(2);
    expect(kubeConfig.pool.connectionsOpened).toBe(2);
  });

  it('keeps concurrent requests within its bound', async () => {
    const { api, client } = await tlsApi(undefined, { maxSockets: 4, maxFreeSockets: 4, idleTimeoutMs: 60_000 });
    await Promise.all(Array.from({ length: 200 }, () => client.request('GET', '/api/v1/namespaces')));
    expect(api.requests.length).toBe(200);
    expect(api.connections).toBeLessThanOrEqual(4);
    await Promise.all(Array.from({ length: 200 }, () => client.request('GET', '/api/v1/namespaces')));
    expect(api.connections).toBeLessThanOrEqual(4);
  });

  it('follows a rotated CA file without a restart', async () => {
    const { api, dir, client } = await tlsApi();
    await client.request('GET', '/api/v1/namespaces');
    const rotated = await loopbackTlsIdentity();
    api.rotateCertificate(rotated);
    // The old CA cannot verify the new server certificate: the client really verifies. (The first
    // attempt may still meet the connection the server is closing.)
    const failure = async (): Promise<string> =>
      client.request('GET', '/api/v1/namespaces').then(
        () => 'accepted',
        (err: Error) => err.message,
      );
    await until(async () => /certificate/i.test(await failure()), 'old CA refused');
    writeFileSync(join(dir, 'ca.crt'), rotated.ca);
    await client.request('GET', '/api/v1/namespaces');
    expect(api.requests.at(-1)!.method).toBe('GET');
  });

  it('follows a rotated token file without a restart, from a kubeconfig and in-cluster alike', async () => {
    const { api, dir, client } = await tlsApi({ tokenFile: 'token' });
    writeFileSync(join(dir, 'token'), 'first-token\n');
    await client.request('GET', '/api/v1/namespaces');
    writeFileSync(join(dir, 'token'), 'second-token-longer\n');
    await client.request('GET', '/api/v1/namespaces');
    expect(api.requests.map((r) => r.authorization)).toEqual(['Bearer first-token', 'Bearer second-token-longer']);

    // In-cluster: the service account token file the kubelet rotates.
    const prefix = mkdtempSync(join(tmpdir(), 'hpm-incluster-'));
    cleanups.push(() => rmSync(prefix, { recursive: true, force: true }));
    const accountDir = join(prefix, '/var/run/secrets/kubernetes.io/serviceaccount');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(accountDir, { recursive: true });
    writeFileSync(join(accountDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')));
    writeFileSync(join(accountDir, 'token'), 'pod-token-1');
    const port = new URL(api.url).port;
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = port;
    const inCluster = new PooledKubeConfig();
    inCluster.loadFromCluster(prefix);
    cleanups.push(() => inCluster.pool.destroy());
    delete process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_PORT;
    const podClient = new KubeClient(inCluster);
    await podClient.request('GET', '/api/v1/namespaces');
    writeFileSync(join(accountDir, 'token'), 'pod-token-2-rotated');
    await podClient.request('GET', '/api/v1/namespaces');
    expect(api.requests.slice(-2).map((r) => r.authorization)).toEqual(['Bearer pod-token-1', 'Bearer pod-token-2-rotated']);
  });
});
