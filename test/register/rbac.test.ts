// The RBAC rules are exactly what the registration does: every request of a full life cycle (register
// and report to the Extension, rotate, edit, delete the Extension, lead, release) is allowed by a rule,
// and every rule verb was needed.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCaBundle } from '../../src/certs/ca-bundle.js';
import { desiredResources, managedResourceFor } from '../../src/register/desired.js';
import {
  REGISTRATION_CLUSTER_RULES,
  ROLLOUT_CLUSTER_RULES,
  registrationNamespaceRules,
  rolloutNamespaceRules,
  type PolicyRule,
} from '../../src/register/rbac.js';
import type { RecordedRequest } from '../support/fake-kube-api.js';
import { RESOURCES } from '../support/fake-kube-api.js';
import { MANAGED_RESOURCE_NAME } from '../../src/register/desired.js';
import { SERVICE_NAMESPACE, newCa, startReplica, startSeed, until } from './harness.js';
import { FakeClock, haltOf, startRolloutSeed, waves } from './rollout-harness.js';
import { SteppingMover } from './stepping-mover.js';

interface Access {
  group: string;
  resource: string;
  verb: string;
  namespace?: string;
  name?: string;
}

function accessOf({ method, path }: RecordedRequest): Access {
  const url = new URL(path, 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  const [group, rest] = parts[0] === 'api' ? ['', parts.slice(2)] : [parts[1]!, parts.slice(3)];
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [namespace, plural, name, subresource] = namespaced
    ? [rest[1], rest[2]!, rest[3], rest[4]]
    : [undefined, rest[0]!, rest[1], rest[2]];
  const resource = subresource ? `${plural}/${subresource}` : plural;
  const collectionVerb = url.searchParams.get('watch') === 'true' ? 'watch' : 'list';
  const verb = { GET: name ? 'get' : collectionVerb, POST: 'create', PUT: 'update', DELETE: 'delete', PATCH: 'patch' }[method]!;
  return { group, resource, verb, namespace, name };
}

const allows = (rules: readonly PolicyRule[], a: Access): boolean =>
  rules.some(
    (r) =>
      r.apiGroups.includes(a.group) &&
      r.resources.includes(a.resource) &&
      r.verbs.includes(a.verb) &&
      (!r.resourceNames || (a.name !== undefined && r.resourceNames.includes(a.name))),
  );

describe('registration RBAC', () => {
  it('allows every request of a full life cycle, and no verb that was not used', async () => {
    const seed = await startSeed();
    seed.addShoot('shoot--foo--bar');
    seed.addShoot('shoot--foo--baz');
    // Registered by another build, whose brotli bytes differ: its secret is read to compare the manifests.
    seed.addShoot('shoot--foo--old', { extension: false });
    seed.addExtension('shoot--foo--old', undefined, { reconciled: true });
    const desired = desiredResources({
      namespace: 'shoot--foo--old',
      caBundle: readCaBundle(seed.caFile),
      serviceNamespace: SERVICE_NAMESPACE,
    });
    const text = brotliDecompressSync(Buffer.from(desired.secret.data['data.yaml.br']!, 'base64'));
    const otherBytes = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).toString('base64');
    const oldName = `${MANAGED_RESOURCE_NAME}-0000beef`;
    seed.api.put(RESOURCES.secrets, {
      ...desired.secret,
      metadata: { ...desired.secret.metadata, name: oldName },
      data: { 'data.yaml.br': otherBytes },
    });
    seed.api.put(RESOURCES.managedResources, managedResourceFor('shoot--foo--old', oldName) as never);
    const timing = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 };
    const running = await startReplica(seed, timing);
    await until(
      () =>
        seed.api.list(RESOURCES.managedResources).length === 3 &&
        seed.api.requests.some((r) => r.method === 'GET' && r.path.includes('/secrets/')),
      'registered',
    );
    seed.writeCa(await newCa());
    const before = seed.managedResource('shoot--foo--bar')!.spec.secretRefs[0]!.name;
    await until(() => seed.managedResource('shoot--foo--bar')!.spec.secretRefs[0]!.name !== before, 'rotated');
    await until(() => seed.extension('shoot--foo--baz')?.status?.lastOperation?.state === 'Succeeded', 'Extension reconciled');
    seed.deleteExtension('shoot--foo--baz');
    await until(() => seed.api.get(RESOURCES.managedResources, 'shoot--foo--baz', MANAGED_RESOURCE_NAME) === undefined, 'removed');
    await until(() => seed.extension('shoot--foo--baz') === undefined, 'Extension released');
    await running.stop();

    const accesses = seed.api.requests.map(accessOf);
    const clusterRules = REGISTRATION_CLUSTER_RULES;
    const namespaceRules = registrationNamespaceRules();
    for (const a of accesses) {
      const rules = a.resource === 'leases' ? namespaceRules : clusterRules;
      if (a.resource === 'leases') expect(a.namespace).toBe(SERVICE_NAMESPACE);
      expect(allows(rules, a), `${a.verb} ${a.group}/${a.resource} ${a.namespace ?? ''}/${a.name ?? ''}`).toBe(true);
    }
    const used = new Set(accesses.map((a) => `${a.group}/${a.resource}/${a.verb}`));
    for (const r of [...clusterRules, ...namespaceRules]) {
      for (const verb of r.verbs)
        expect(used, `${r.apiGroups[0]}/${r.resources[0]}/${verb} granted but never used`).toContain(
          `${r.apiGroups[0]}/${r.resources[0]}/${verb}`,
        );
    }
    for (const r of [...clusterRules, ...namespaceRules]) expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain('*');
  });

  it('allows every request of a rollout (entries, moves, a halt with its Event, a resume), and no rollout verb that was not used', async () => {
    const seed = await startRolloutSeed();
    const shoots = ['a', 'b'].map((name) => seed.addShoot({ project: 'p1', name }));
    const rollout = await seed.start(
      new SteppingMover(1),
      waves({ waves: [{ name: 'all', target: 'unified', selector: {} }] }),
      new FakeClock(),
    );
    await until(() => shoots.every((id) => seed.progress(id)?.movedAt !== undefined), 'moved');
    seed.setCondition(shoots[0]!, 'shoot-core-apiserver-proxy', 'ResourcesHealthy', 'False', 'Broken');
    await until(() => haltOf(seed) !== undefined && seed.events().length === 1, 'halted');
    seed.setCondition(shoots[0]!, 'shoot-core-apiserver-proxy', 'ResourcesHealthy', 'True');
    seed.setResume(JSON.parse(haltOf(seed)!).at);
    await until(() => haltOf(seed) === undefined, 'resumed');
    await rollout.stop();

    const accesses = seed.api.requests.map(accessOf);
    const clusterRules = [...REGISTRATION_CLUSTER_RULES, ...ROLLOUT_CLUSTER_RULES];
    const namespaceRules = [...registrationNamespaceRules(), ...rolloutNamespaceRules()];
    for (const a of accesses) {
      const inOwnNamespace = a.resource === 'leases' || a.resource === 'configmaps';
      if (inOwnNamespace) expect(a.namespace).toBe(SERVICE_NAMESPACE);
      expect(
        allows(inOwnNamespace ? namespaceRules : clusterRules, a),
        `${a.verb} ${a.group}/${a.resource} ${a.namespace ?? ''}/${a.name ?? ''}`,
      ).toBe(true);
    }
    const used = new Set(accesses.map((a) => `${a.group}/${a.resource}/${a.verb}`));
    for (const r of [...ROLLOUT_CLUSTER_RULES, ...rolloutNamespaceRules()]) {
      for (const verb of r.verbs)
        expect(used, `${r.apiGroups[0]}/${r.resources[0]}/${verb} granted but never used`).toContain(
          `${r.apiGroups[0]}/${r.resources[0]}/${verb}`,
        );
      expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain('*');
    }
  });
});
