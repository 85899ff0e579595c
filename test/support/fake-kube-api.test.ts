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
    const informer = k8s.makeInformer(
      kc,
      path,
      () => custom.listClusterCustomObject({ group: 'core.gardener.cloud', version: 'v1beta1', plural: 'shoots' }) as never,
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
    expect(
      informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    await informer.stop();
  });

  it('updates status only through the status subresource, when a type opts in', async () => {
    api = await new FakeKubeApi().register(RESOURCES.extensions).withStatusSubresource(RESOURCES.extensions).trackGenerations().start();
    const stored = api.put(RESOURCES.extensions, { metadata: { name: 'e', namespace: 'ns' }, spec: { type: 't' }, status: { a: 1 } });
    const base = `${api.url}/apis/extensions.gardener.cloud/v1alpha1/namespaces/ns/extensions/e`;
    const put = (path: string, body: object) =>
      fetch(path, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect((await put(base, { ...stored, metadata: { ...stored.metadata, labels: { l: 'x' } }, status: { a: 2 } })).status).toBe(200);
    expect(api.get(RESOURCES.extensions, 'ns', 'e')).toMatchObject({ metadata: { labels: { l: 'x' } }, status: { a: 1 } });
    const current = api.get(RESOURCES.extensions, 'ns', 'e')!;
    expect((await put(`${base}/status`, { ...current, metadata: { ...current.metadata, labels: {} }, status: { a: 3 } })).status).toBe(200);
    expect(api.get(RESOURCES.extensions, 'ns', 'e')).toMatchObject({ metadata: { labels: { l: 'x' }, generation: 1 }, status: { a: 3 } });
  });

  it('holds a deleted object while it has finalizers, and removes it with the last one', async () => {
    api = await new FakeKubeApi().register(RESOURCES.extensions).trackGenerations().start();
    api.put(RESOURCES.extensions, { metadata: { name: 'e', namespace: 'ns', finalizers: ['a'] }, spec: {} });
    const base = `${api.url}/apis/extensions.gardener.cloud/v1alpha1/namespaces/ns/extensions/e`;
    expect((await fetch(base, { method: 'DELETE' })).status).toBe(200);
    const deleting = api.get(RESOURCES.extensions, 'ns', 'e')!;
    expect(deleting.metadata).toMatchObject({ generation: 2, deletionTimestamp: expect.any(String) });
    const body = JSON.stringify({ ...deleting, metadata: { ...deleting.metadata, finalizers: [], deletionTimestamp: undefined } });
    expect((await fetch(base, { method: 'PUT', body, headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(api.get(RESOURCES.extensions, 'ns', 'e')).toBeUndefined();
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

describe('FakeKubeApi writes as the API judges them', () => {
  let api: FakeKubeApi;
  afterEach(async () => api?.stop());
  const cm = (name: string, data: Record<string, string>, immutable = false) => ({
    metadata: { name, namespace: 'kube-system' },
    data,
    ...(immutable ? { immutable } : {}),
  });
  const call = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const PATH = '/api/v1/namespaces/kube-system/configmaps';

  it('deletes only when the preconditions name the stored uid and resourceVersion (409 otherwise)', async () => {
    api = await new FakeKubeApi().register(RESOURCES.configMaps).start();
    const stored = api.put(RESOURCES.configMaps, cm('a', { k: 'v' }));
    const wrongUid = await call('DELETE', `${PATH}/a`, {
      kind: 'DeleteOptions',
      preconditions: { uid: 'other', resourceVersion: stored.metadata.resourceVersion },
    });
    expect(wrongUid.status).toBe(409);
    const wrongVersion = await call('DELETE', `${PATH}/a`, {
      kind: 'DeleteOptions',
      preconditions: { uid: stored.metadata.uid, resourceVersion: '1' },
    });
    expect(wrongVersion.status).toBe(409);
    expect(api.get(RESOURCES.configMaps, 'kube-system', 'a')).toBeDefined();
    const right = await call('DELETE', `${PATH}/a`, {
      kind: 'DeleteOptions',
      preconditions: { uid: stored.metadata.uid, resourceVersion: stored.metadata.resourceVersion },
    });
    expect(right.status).toBe(200);
    expect(api.get(RESOURCES.configMaps, 'kube-system', 'a')).toBeUndefined();
    expect(api.writes().map((w) => w.body)).toEqual([
      { kind: 'DeleteOptions', preconditions: { uid: 'other', resourceVersion: stored.metadata.resourceVersion } },
      { kind: 'DeleteOptions', preconditions: { uid: stored.metadata.uid, resourceVersion: '1' } },
      { kind: 'DeleteOptions', preconditions: { uid: stored.metadata.uid, resourceVersion: stored.metadata.resourceVersion } },
    ]);
  });

  it('passes creates and patches through the admission hook, which may change or refuse them', async () => {
    api = await new FakeKubeApi().register(RESOURCES.configMaps).start();
    const seen: string[] = [];
    api.admit(RESOURCES.configMaps, async ({ operation, object, oldObject }) => {
      seen.push(`${operation} ${object.metadata.name} old=${oldObject ? 'yes' : 'no'}`);
      if (object.metadata.name === 'refused') return { refuse: 'no' };
      return { object: { ...object, data: { ...(object.data as object), admitted: 'yes' } } };
    });
    const changes: string[] = [];
    api.onChange((_type, event, object) => changes.push(`${event} ${object.metadata.name}`));
    expect((await call('POST', PATH, cm('a', { k: 'v' }))).status).toBe(201);
    expect((await call('POST', PATH, cm('refused', {}))).status).toBe(400);
    expect((await call('PATCH', `${PATH}/a`, { metadata: { labels: { l: '1' } } }, 'application/merge-patch+json')).status).toBe(200);
    expect(seen).toEqual(['CREATE a old=no', 'CREATE refused old=no', 'UPDATE a old=yes']);
    expect(api.get(RESOURCES.configMaps, 'kube-system', 'a')).toMatchObject({
      data: { k: 'v', admitted: 'yes' },
      metadata: { labels: { l: '1' } },
    });
    expect(api.get(RESOURCES.configMaps, 'kube-system', 'refused')).toBeUndefined();
    expect(changes).toEqual(['ADDED a', 'MODIFIED a']);
  });

  it('refuses a patch that changes the data of an immutable ConfigMap', async () => {
    api = await new FakeKubeApi().register(RESOURCES.configMaps).start();
    api.put(RESOURCES.configMaps, cm('a', { k: 'v' }, true));
    expect((await call('PATCH', `${PATH}/a`, { data: { k: 'w' } }, 'application/merge-patch+json')).status).toBe(422);
    expect((await call('PATCH', `${PATH}/a`, { metadata: { labels: { l: '1' } } }, 'application/merge-patch+json')).status).toBe(200);
  });
});
