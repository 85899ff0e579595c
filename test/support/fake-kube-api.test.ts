// The fake API must behave like the real one for client-node's informer, or every test built on it lies.
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKubeApi, RESOURCES } from './fake-kube-api.js';
import { until } from './until.js';

const shoot = (name: string) => ({ metadata: { name, namespace: 'garden-foo', labels: { team: 'a' } }, spec: {} });

describe('FakeKubeApi with the client-node informer', () => {
  let api: FakeKubeApi;
  afterEach(async () => api?.stop());

  it('lists, then streams watch events, and relists after a 410', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots).start();
    api.put(RESOURCES.shoots, shoot('a'));
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(api.writeKubeconfig());
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const path = '/apis/core.gardener.cloud/v1beta1/shoots';
    const informer = k8s.makeInformer(kc, path, () =>
      custom.listClusterCustomObject({ group: 'core.gardener.cloud', version: 'v1beta1', plural: 'shoots' }) as never,
    );
    const seen: string[] = [];
    informer.on('add', (o: k8s.KubernetesObject) => seen.push(`add ${o.metadata?.name}`));
    informer.on('error', () => setTimeout(() => void informer.start(), 50));
    await informer.start();
    await until(() => seen.includes('add a'));
    api.put(RESOURCES.shoots, shoot('b'));
    await until(() => seen.includes('add b'));
    api.expireHistory();
    api.dropWatches();
    api.put(RESOURCES.shoots, shoot('c'));
    await until(() => informer.list().length === 3);
    expect(informer.list().map((o) => o.metadata?.name).sort()).toEqual(['a', 'b', 'c']);
    await informer.stop();
  });

  it('refuses a stale update with 409 and an unknown path with 404', async () => {
    api = await new FakeKubeApi().register(RESOURCES.shoots).start();
    const stored = api.put(RESOURCES.shoots, shoot('a'));
    const base = `${api.url}/apis/core.gardener.cloud/v1beta1/namespaces/garden-foo/shoots/a`;
    const stale = { ...stored, metadata: { ...stored.metadata, resourceVersion: '0' } };
    const put = await fetch(base, { method: 'PUT', body: JSON.stringify(stale), headers: { 'content-type': 'application/json' } });
    expect(put.status).toBe(409);
    expect((await fetch(`${api.url}/apis/nope/v1/things`)).status).toBe(404);
  });
});
