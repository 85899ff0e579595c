// Wave membership over 2,000 generated Clusters: every shoot exactly once, the same in every run and in any
// order, and unchanged for existing shoots when shoots are added.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { assign, type Assignment } from '../../src/rollout/assign.js';
import { clusterMember, isMemberError, withNamespaceHold, type ShootMember } from '../../src/rollout/cluster-member.js';
import { BUCKETS, inPercent, stableBucket } from '../../src/rollout/stable-bucket.js';
import { parseWavesConfig } from '../../src/rollout/waves-config.js';
import { clusterObject, generatedClusters, type ShootShape } from '../support/clusters.js';

const config = parseWavesConfig(yaml.load(readFileSync('examples/rollout-waves.yaml', 'utf8')));

function members(clusters: readonly unknown[]): ShootMember[] {
  return clusters.map((c) => {
    const m = clusterMember(c);
    if (isMemberError(m)) throw new Error(m.error);
    return m;
  });
}

/** technical ID -> where the assignment put it. */
function placement(a: Assignment): Map<string, string> {
  const where = new Map<string, string>();
  const put = (id: string, place: string) => {
    expect(where.has(id), `${id} placed twice`).toBe(false);
    where.set(id, place);
  };
  for (const { wave, shoots } of a.waves) for (const s of shoots) put(s.technicalId, `wave:${wave.name}`);
  for (const s of a.held) put(s.technicalId, 'held');
  for (const s of a.unassigned) put(s.technicalId, 'unassigned');
  for (const s of a.notCounted) put(s.technicalId, 'notCounted');
  return where;
}

describe('wave membership from Clusters', () => {
  const clusters = generatedClusters(2000);

  it('places each of 2,000 shoots exactly once, and sets apart held, hibernated and workerless shoots', () => {
    const all = members(clusters);
    const where = placement(assign(all, config));
    expect(where.size).toBe(2000);
    for (const m of all) {
      const place = where.get(m.technicalId);
      if (m.annotations['http-proxy-migrator.gardener.cloud/hold'] === 'true') expect(place).toBe('held');
      else if (m.notCounted) expect(place).toBe('notCounted');
      else expect(place).toMatch(/^wave:/);
    }
    const counts = [...where.values()].reduce<Record<string, number>>((acc, p) => ({ ...acc, [p]: (acc[p] ?? 0) + 1 }), {});
    // Generated: 40 projects with project 0 named ops; every 7th canary; holds, hibernation and workerless by index.
    expect(counts['wave:operators']).toBeGreaterThan(0);
    expect(counts['wave:canaries']).toBeGreaterThan(0);
    expect(counts['wave:ten-percent']).toBeGreaterThan(0);
    expect(counts.held).toBeGreaterThan(0);
    expect(counts.notCounted).toBeGreaterThan(0);
    expect(counts.unassigned).toBeUndefined();
  });

  it('is the same in every run and whatever the order of the Clusters', () => {
    const first = placement(assign(members(clusters), config));
    const again = placement(assign(members(generatedClusters(2000)), config));
    const reversed = placement(assign(members([...clusters].reverse()), config));
    expect(again).toEqual(first);
    expect(reversed).toEqual(first);
  });

  it('keeps every existing shoot in its wave when 500 shoots are added', () => {
    const before = placement(assign(members(clusters), config));
    const after = placement(assign(members([...generatedClusters(500, 2000), ...clusters]), config));
    expect(after.size).toBe(2500);
    for (const [id, place] of before) expect(after.get(id)).toBe(place);
  });

  it('puts about the configured share into a percentage wave', () => {
    const tenth = parseWavesConfig({ waves: [{ name: 'tenth', target: 'unified', selector: { percent: 10 } }] });
    const all = members(clusters).filter((m) => !m.notCounted && !m.heldBy);
    const inWave = assign(all, tenth).waves[0]!.shoots.length;
    // SHA-256 buckets of these fixed IDs: 10% of ~1,930 shoots, within a few percent.
    expect(inWave / all.length).toBeGreaterThan(0.07);
    expect(inWave / all.length).toBeLessThan(0.13);
  });

  it('gives a shoot the same bucket whatever other shoots exist (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.stringMatching(/^[a-z0-9]{1,10}$/), (project, name) => {
        const id = `shoot--${project}--${name}`;
        const bucket = stableBucket(id);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(BUCKETS);
        expect(stableBucket(id)).toBe(bucket);
        expect(inPercent(bucket, 100)).toBe(true);
      }),
    );
  });

  it('combines selector criteria, first matching wave wins, no wave means the default target', () => {
    const waves = parseWavesConfig({
      waves: [
        { name: 'own-dev', target: 'unified', selector: { projects: ['ops'], purposes: ['development'] } },
        { name: 'labelled', target: 'tls-tunnel', selector: { labels: { tier: 'gold' }, annotations: { early: 'yes' } } },
      ],
    });
    const shoot = (project: string, name: string, extra: Partial<ShootShape>) => members([clusterObject({ project, name, ...extra })])[0]!;
    const a = assign(
      [
        shoot('ops', 'dev', { purpose: 'development', labels: { tier: 'gold' }, annotations: { early: 'yes' } }),
        shoot('ops', 'prod', { purpose: 'production', labels: { tier: 'gold' }, annotations: { early: 'yes' } }),
        shoot('shop', 'gold', { labels: { tier: 'gold' } }),
        shoot('shop', 'plain', {}),
      ],
      waves,
    );
    expect(placement(a)).toEqual(
      new Map([
        ['shoot--ops--dev', 'wave:own-dev'],
        ['shoot--ops--prod', 'wave:labelled'],
        ['shoot--shop--gold', 'unassigned'],
        ['shoot--shop--plain', 'unassigned'],
      ]),
    );
  });
});

describe('reading a Cluster', () => {
  it('reads the Shoot embedded as Gardener writes it, with purpose defaulted and project from the technical ID', () => {
    const cluster = yaml.load(readFileSync('test/fixtures/webhook/cluster.shoot--foo--bar.yaml', 'utf8'));
    expect(clusterMember(cluster)).toEqual({
      technicalId: 'shoot--foo--bar',
      project: 'foo',
      purpose: 'evaluation',
      labels: {},
      annotations: {},
    });
  });

  it('reads spec.shoot given as {raw} (base64 or JSON text) or {object}', () => {
    const inline = clusterObject({ project: 'foo', name: 'bar', purpose: 'production' }) as { spec: { shoot: unknown } };
    const shoot = inline.spec.shoot;
    const expected = clusterMember(inline);
    for (const form of [
      { raw: Buffer.from(JSON.stringify(shoot)).toString('base64') },
      { raw: JSON.stringify(shoot) },
      { object: shoot },
    ]) {
      expect(clusterMember({ ...inline, spec: { shoot: form } })).toEqual(expected);
    }
  });

  it('takes the project of a legacy single-dash technical ID from the Shoot namespace', () => {
    const cluster = clusterObject({ project: 'foo', name: 'bar' }) as { metadata: { name: string } };
    cluster.metadata.name = 'shoot-foo-bar';
    expect(clusterMember(cluster)).toMatchObject({ technicalId: 'shoot-foo-bar', project: 'foo' });
  });

  it('marks hibernated and workerless shoots as not counted, and holds from the Shoot or the namespace', () => {
    expect(clusterMember(clusterObject({ project: 'a', name: 'h', hibernated: true }))).toMatchObject({ notCounted: 'hibernated' });
    expect(clusterMember(clusterObject({ project: 'a', name: 'w', workerless: true }))).toMatchObject({ notCounted: 'workerless' });
    const held = clusterMember(
      clusterObject({ project: 'a', name: 'x', annotations: { 'http-proxy-migrator.gardener.cloud/hold': 'true' } }),
    );
    expect(held).toMatchObject({ heldBy: 'shoot' });
    const plain = clusterMember(clusterObject({ project: 'a', name: 'y' })) as ShootMember;
    expect(withNamespaceHold(plain, { 'http-proxy-migrator.gardener.cloud/hold': 'true' }).heldBy).toBe('namespace');
    expect(withNamespaceHold(plain, { 'http-proxy-migrator.gardener.cloud/hold': 'false' }).heldBy).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['a non-object', 'text', /^not an object$/],
    ['another kind', { apiVersion: 'v1', kind: 'ConfigMap' }, /is v1 ConfigMap, not an extensions.gardener.cloud\/v1alpha1 Cluster/],
    ['no name', { apiVersion: 'extensions.gardener.cloud/v1alpha1', kind: 'Cluster', metadata: {} }, /without metadata.name/],
    [
      'a name that is no technical ID',
      { apiVersion: 'extensions.gardener.cloud/v1alpha1', kind: 'Cluster', metadata: { name: 'garden' } },
      /"garden": the shoot technical ID is not/,
    ],
    [
      'no shoot',
      { apiVersion: 'extensions.gardener.cloud/v1alpha1', kind: 'Cluster', metadata: { name: 'shoot--a--b' }, spec: {} },
      /carries no spec.shoot/,
    ],
    [
      'an unreadable raw shoot',
      {
        apiVersion: 'extensions.gardener.cloud/v1alpha1',
        kind: 'Cluster',
        metadata: { name: 'shoot--a--b' },
        spec: { shoot: { raw: '{nope' } },
      },
      /carries no spec.shoot/,
    ],
  ])('refuses %s with the reason', (_, raw, message) => {
    const member = clusterMember(raw);
    expect(isMemberError(member) && member.error).toMatch(message);
  });
});
