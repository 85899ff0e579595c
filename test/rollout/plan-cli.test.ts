// `register --dry-run --plan` end to end: the compiled CLI over 2,000 generated Clusters and the example
// files; every bad input refused with exit 2 and one line naming what is wrong.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { generatedClusters } from '../support/clusters.js';

let dir: string;
let clustersFile: string;
const waves = 'examples/rollout-waves.yaml';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hpm-plan-'));
  clustersFile = join(dir, 'clusters.json');
  writeFileSync(clustersFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: generatedClusters(2000) }));
});

const plan = (...args: string[]) => runCli(['register', '--dry-run', '--plan', ...args]);

describe('register --dry-run --plan', () => {
  it('prints the plan of 2,000 Clusters as JSON, each shoot exactly once', async () => {
    const result = await plan('--waves', waves, '-f', clustersFile, '-o', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(Object.keys(out)).toEqual(['waves', 'held', 'unassigned', 'notCounted', 'reasons']);
    for (const wave of out.waves) expect(Object.keys(wave)).toEqual(['name', 'target', 'state', 'shoots']);
    expect(out.waves.map((w: { name: string; state: string }) => [w.name, w.state])).toEqual([
      ['operators', 'open'],
      ['canaries', 'pending'],
      ['evaluation-and-development', 'pending'],
      ['ten-percent', 'pending'],
      ['rest', 'pending'],
    ]);
    const all: string[] = [...out.waves.flatMap((w: { shoots: string[] }) => w.shoots), ...out.held, ...out.unassigned, ...out.notCounted];
    expect(all).toHaveLength(2000);
    expect(new Set(all).size).toBe(2000);
    for (const id of [...out.held, ...out.notCounted]) expect(out.reasons[id]).toMatch(/^(hold on the Shoot|hibernated|workerless)$/);
  });

  it('prints the same plan from YAML documents in another order', async () => {
    const yamlFile = join(dir, 'clusters.yaml');
    writeFileSync(
      yamlFile,
      generatedClusters(2000)
        .reverse()
        .map((c) => yaml.dump(c))
        .join('---\n'),
    );
    const [fromJson, fromYaml] = await Promise.all([
      plan('--waves', waves, '-f', clustersFile, '-o', 'json'),
      plan('--waves', waves, '-f', yamlFile, '-o', 'json'),
    ]);
    expect(fromYaml.code).toBe(0);
    expect(JSON.parse(fromYaml.stdout)).toEqual(JSON.parse(fromJson.stdout));
  });

  it('prints a table for people by default, from the example files, with a namespace hold', async () => {
    const result = await plan('--waves', waves, '-f', 'examples/clusters.yaml');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^WAVE\s+TARGET\s+STATE\s+SHOOTS$/);
    expect(lines[1]).toMatch(/^operators\s+unified\s+open\s+2$/);
    expect(result.stdout).toMatch(/^ {2}shoot--data--lake\s+hold on the shoot namespace$/m);
    expect(result.stdout).toMatch(/^ {2}shoot--billing--api\s+hold on the Shoot$/m);
    expect(result.stdout).toMatch(/^ {2}shoot--billing--night\s+hibernated$/m);
    expect(result.stdout).toMatch(/^ {2}shoot--edge--cp-only\s+workerless$/m);
  });

  it('reads the Clusters from standard input', async () => {
    const result = await runCli(['register', '--dry-run', '--plan', '--waves', waves, '-f', '-', '-o', 'json'], {
      input: readFileSync('examples/clusters.yaml', 'utf8'),
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).held).toEqual(['shoot--billing--api', 'shoot--data--lake']);
  });
});

describe('register --plan bad input', () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  it.each<[string, () => string[], RegExp]>([
    ['no --waves', () => ['--dry-run', '--plan', '-f', clustersFile], /^error: --plan needs --waves <file>$/],
    ['no clusters file', () => ['--dry-run', '--plan', '--waves', waves], /^error: --plan needs -f <clusters file>/],
    ['--plan without --dry-run', () => ['--plan', '--waves', waves, '-f', clustersFile], /^error: --plan only applies with --dry-run$/],
    ['--waves with --dry-run but without --plan', () => ['--dry-run', '--waves', waves], /^error: --waves with --dry-run needs --plan$/],
    [
      '-o table without --plan',
      () => ['--dry-run', '--namespace', 'shoot--foo--bar', '--ca-file', waves, '-o', 'table'],
      /^error: -o table only applies with --plan$/,
    ],
    [
      '-o yaml with --plan',
      () => ['--dry-run', '--plan', '--waves', waves, '-f', clustersFile, '-o', 'yaml'],
      /^error: --plan prints -o json or -o table, not yaml$/,
    ],
    [
      'a missing waves file',
      () => ['--dry-run', '--plan', '--waves', join(dir, 'none.yaml'), '-f', clustersFile],
      /^error: cannot read .*none\.yaml: ENOENT$/,
    ],
    [
      'waves that are not YAML',
      () => ['--dry-run', '--plan', '--waves', file('bad.yaml', 'waves: [\n'), '-f', clustersFile],
      /^error: .*bad\.yaml is not valid YAML or JSON at line/,
    ],
    [
      'two waves documents',
      () => ['--dry-run', '--plan', '--waves', file('two.yaml', 'waves: []\n---\nwaves: []\n'), '-f', clustersFile],
      /must hold exactly one RolloutWaves document, found 2$/,
    ],
    [
      'an invalid wave, naming the field',
      () => [
        '--dry-run',
        '--plan',
        '--waves',
        file('w.yaml', 'waves:\n- name: a\n  target: unified\n  selector: {}\n- name: b\n  target: unified\n  selector: {percent: 150}\n'),
        '-f',
        clustersFile,
      ],
      /^error: .*w\.yaml: waves\[1\]\.selector\.percent: must be a number above 0 and at most 100/,
    ],
    [
      'an unknown target',
      () => ['--dry-run', '--plan', '--waves', file('t.yaml', 'waves: [{name: a, target: legacy, selector: {}}]\n'), '-f', clustersFile],
      /waves\[0\]\.target: must be one of tls-tunnel, unified$/,
    ],
    [
      'a document that is no Cluster',
      () => ['--dry-run', '--plan', '--waves', waves, '-f', file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')],
      /^error: .*cm\.yaml: document 1 is v1 ConfigMap, not an extensions.gardener.cloud\/v1alpha1 Cluster$/,
    ],
    [
      'a Cluster without shoot in a List',
      () => [
        '--dry-run',
        '--plan',
        '--waves',
        waves,
        '-f',
        file(
          'ns.json',
          JSON.stringify({
            kind: 'List',
            items: [{ apiVersion: 'extensions.gardener.cloud/v1alpha1', kind: 'Cluster', metadata: { name: 'shoot--a--b' } }],
          }),
        ),
      ],
      /^error: .*ns\.json: document 1 item 1 Cluster shoot--a--b carries no spec\.shoot$/,
    ],
    [
      'a repeated Cluster',
      () => [
        '--dry-run',
        '--plan',
        '--waves',
        waves,
        '-f',
        file('dup.json', JSON.stringify({ kind: 'List', items: generatedClusters(2).concat(generatedClusters(1)) })),
      ],
      /^error: .*dup\.json: document 1 item 3 repeats Cluster shoot--ops--s0$/,
    ],
    [
      'a List without items',
      () => ['--dry-run', '--plan', '--waves', waves, '-f', file('noitems.yaml', 'kind: List\n')],
      /document 1 is a List without items$/,
    ],
  ])('refuses %s with exit 2', async (_, args, message) => {
    const result = await runCli(['register', ...args()]);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.code).toBe(2);
  });
});
