// Shoot access as Gardener's extensions get it: the access Secret for the token requestor, created once and never
// overwritten, and a client from the generic token kubeconfig with the token from that Secret, over real HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubeconfigAccess } from '../../src/gardener/kubeconfig-access.js';
import type { StoredObject as KubeObject } from '../../src/admission/types.js';
import { SeedClient } from '../../src/register/seed-client.js';
import {
  GENERIC_TOKEN_KUBECONFIG_ANNOTATION,
  SHOOT_ACCESS_SECRET_NAME,
  ShootAccess,
  inSeedAddress,
} from '../../src/register/shoot-access.js';
import { loopbackTlsIdentity } from '../support/certs.js';
import { FakeKubeApi, RESOURCES } from '../support/fake-kube-api.js';

const ID = 'shoot--foo--bar';
let seed: FakeKubeApi;
let shoot: FakeKubeApi;
let ca: string;
let access: ShootAccess;
let seedPool: { destroy(): void };

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const cluster = (kubeconfigSecret?: string): KubeObject => ({
  metadata: { name: ID, ...(kubeconfigSecret ? { annotations: { [GENERIC_TOKEN_KUBECONFIG_ANNOTATION]: kubeconfigSecret } } : {}) },
});

function putKubeconfig(
  name: string,
  cluster: Record<string, unknown> = { server: shoot.url, 'certificate-authority-data': b64(ca) },
): void {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'shoot',
    clusters: [{ name: 'shoot', cluster }],
    users: [{ name: 'shoot', user: { tokenFile: '/var/run/secrets/gardener.cloud/shoot/generic-kubeconfig/token' } }],
    contexts: [{ name: 'shoot', context: { cluster: 'shoot', user: 'shoot' } }],
  };
  seed.put(RESOURCES.secrets, {
    metadata: { name, namespace: ID },
    immutable: true,
    data: { kubeconfig: b64(JSON.stringify(kubeconfig)) },
  });
}

function fillToken(token: string): void {
  const secret = seed.get(RESOURCES.secrets, ID, SHOOT_ACCESS_SECRET_NAME)!;
  seed.put(RESOURCES.secrets, { ...secret, data: { token: b64(token) } });
}

async function connected(c: KubeObject): Promise<import('../../src/gardener/kube-client.js').KubeClient> {
  const connection = await access.connect(ID, c);
  if ('wait' in connection) throw new Error(`waits for ${connection.wait}`);
  return connection.client;
}

beforeEach(async () => {
  seed = await new FakeKubeApi().register(RESOURCES.secrets).start();
  const tls = await loopbackTlsIdentity();
  ca = tls.ca;
  shoot = await new FakeKubeApi().register(RESOURCES.configMaps).start(0, tls);
  const seedAccess = kubeconfigAccess(seed.writeKubeconfig());
  seedPool = seedAccess.pool;
  access = new ShootAccess(new SeedClient(seedAccess));
});
afterEach(async () => {
  access.close();
  seedPool.destroy();
  await Promise.all([seed.stop(), shoot.stop()]);
});

describe('the access Secret', () => {
  it("is created as Gardener's NewShootAccessSecret writes it, then waited on until the token requestor fills it", async () => {
    expect(await access.connect(ID, cluster('kc-1'))).toEqual({ wait: `the token requestor to fill Secret ${SHOOT_ACCESS_SECRET_NAME}` });
    const secret = seed.get(RESOURCES.secrets, ID, SHOOT_ACCESS_SECRET_NAME)!;
    expect(secret).toMatchObject({
      type: 'Opaque',
      metadata: {
        labels: { 'resources.gardener.cloud/purpose': 'token-requestor', 'resources.gardener.cloud/class': 'shoot' },
        annotations: {
          'serviceaccount.resources.gardener.cloud/name': 'http-proxy-migrator',
          'serviceaccount.resources.gardener.cloud/namespace': 'kube-system',
        },
      },
    });
    expect(secret.data).toBeUndefined();
    // Asked again before the token is there: the same wait, no second write.
    expect(await access.connect(ID, cluster('kc-1'))).toEqual({ wait: `the token requestor to fill Secret ${SHOOT_ACCESS_SECRET_NAME}` });
    expect(seed.writes().map((w) => w.method)).toEqual(['POST']);
  });

  it('is never written once it exists: its token is the token requestor’s', async () => {
    await access.connect(ID, cluster('kc-1'));
    fillToken('t-1');
    putKubeconfig('kc-1');
    const writesBefore = seed.writes().length;
    await connected(cluster('kc-1'));
    await connected(cluster('kc-1'));
    expect(seed.writes()).toHaveLength(writesBefore);
    expect(
      Buffer.from((seed.get(RESOURCES.secrets, ID, SHOOT_ACCESS_SECRET_NAME)!.data as { token: string }).token, 'base64').toString(),
    ).toBe('t-1');
  });

  it('that lacks the token-requestor labels is not changed; the move waits and says how to recover', async () => {
    seed.put(RESOURCES.secrets, { metadata: { name: SHOOT_ACCESS_SECRET_NAME, namespace: ID }, data: { token: b64('t-1') } });
    const connection = await access.connect(ID, cluster('kc-1'));
    expect(connection).toEqual({ wait: expect.stringContaining('delete it to have it re-created') });
    expect(seed.writes()).toEqual([]);
  });
});

describe('the shoot client', () => {
  beforeEach(async () => {
    await access.connect(ID, cluster('kc-1'));
    fillToken('t-1');
  });

  it('uses the kubeconfig the Cluster names and the token from the access Secret, renewed tokens from the next step', async () => {
    putKubeconfig('kc-1');
    await (await connected(cluster('kc-1'))).request('GET', '/api/v1/namespaces/kube-system/configmaps');
    fillToken('t-2');
    await (await connected(cluster('kc-1'))).request('GET', '/api/v1/namespaces/kube-system/configmaps');
    expect(shoot.requests.map((r) => r.authorization)).toEqual(['Bearer t-1', 'Bearer t-2']);
    // One TLS connection, kept across steps.
    expect(shoot.connections).toBe(1);
  });

  it('follows a CA rotation: a new kubeconfig Secret named by the Cluster gives a new client on new connections', async () => {
    putKubeconfig('kc-1');
    const first = await connected(cluster('kc-1'));
    await first.request('GET', '/api/v1/namespaces/kube-system/configmaps');
    putKubeconfig('kc-2');
    const second = await connected(cluster('kc-2'));
    expect(second).not.toBe(first);
    await second.request('GET', '/api/v1/namespaces/kube-system/configmaps');
    expect(shoot.connections).toBe(2);
    expect(access.openShoots()).toEqual([ID]);
  });

  it("falls back to Gardener's fixed name without the Cluster annotation, and waits for a missing kubeconfig", async () => {
    expect(await access.connect(ID, cluster())).toEqual({ wait: 'the kubeconfig Secret generic-token-kubeconfig with key kubeconfig' });
    putKubeconfig('generic-token-kubeconfig');
    await (await connected(cluster())).request('GET', '/api/v1/namespaces/kube-system/configmaps');
    expect(shoot.requests).toHaveLength(1);
  });

  it('refuses a kubeconfig that points at files of this process, naming what, never quoting it', async () => {
    putKubeconfig('kc-1', { server: shoot.url, 'certificate-authority': '/etc/passwd' });
    expect(await access.connect(ID, cluster('kc-1'))).toEqual({ wait: 'a usable kubeconfig in Secret kc-1 (certificate-authority file)' });
    expect(access.openShoots()).toEqual([]);
  });

  it('names a kubeconfig that is not YAML without quoting any of it', async () => {
    seed.put(RESOURCES.secrets, {
      metadata: { name: 'kc-1', namespace: ID },
      data: { kubeconfig: b64('clusters: [\n  token: "secret-value') },
    });
    const connection = await access.connect(ID, cluster('kc-1'));
    expect(connection).toEqual({ wait: 'a usable kubeconfig in Secret kc-1 (not readable YAML)' });
  });

  it('closes a shoot’s connections on release and everything on close', async () => {
    putKubeconfig('kc-1');
    await (await connected(cluster('kc-1'))).request('GET', '/api/v1/namespaces/kube-system/configmaps');
    access.release(ID);
    expect(access.openShoots()).toEqual([]);
    await (await connected(cluster('kc-1'))).request('GET', '/api/v1/namespaces/kube-system/configmaps');
    expect(shoot.connections).toBe(2);
    access.close();
    expect(access.openShoots()).toEqual([]);
  });

  it('keeps only the shoots still moving', async () => {
    putKubeconfig('kc-1');
    await connected(cluster('kc-1'));
    access.retain(new Set([ID]));
    expect(access.openShoots()).toEqual([ID]);
    access.retain(new Set(['shoot--foo--other']));
    expect(access.openShoots()).toEqual([]);
  });
});

describe('the address of the shoot API server from the seed', () => {
  it.each([
    ['kube-apiserver', 'https://kube-apiserver.shoot--foo--bar.svc'],
    ['https://kube-apiserver', 'https://kube-apiserver.shoot--foo--bar.svc'],
    ['https://kube-apiserver:443', 'https://kube-apiserver.shoot--foo--bar.svc'],
    ['https://api.bar.foo.internal.example.com', 'https://api.bar.foo.internal.example.com'],
    ['https://10.2.170.21:443', 'https://10.2.170.21'],
    ['https://[fd00::1]:6443', 'https://[fd00::1]:6443'],
  ])('%s -> %s', (server, expected) => {
    expect(inSeedAddress(server, ID)).toBe(expected);
  });
});
