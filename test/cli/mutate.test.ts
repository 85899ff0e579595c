// `mutate` runs the registered mutating webhooks offline, through the server's own handler path.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastJsonPatch from 'fast-json-patch';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const fixture = (path: string) => join(import.meta.dirname, '../fixtures', path);
/** A ConfigMap-or-Deployment-shaped document, as far as these tests read it. */
type Doc = { kind?: string; metadata?: unknown; data: Record<string, string>; items?: unknown[] };
const load = (path: string) => yaml.load(readFileSync(fixture(path), 'utf8')) as Doc;
const LEGACY_CM = 'apiserver-proxy/configmap.legacy-v1.112.yaml';
const LEGACY_VPN = 'vpn-shoot/deployment.legacy-v1.129.yaml';

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mutate-')), name);
  writeFileSync(file, text);
  return file;
}

describe('mutate', () => {
  it("turns Gardener's legacy ConfigMap into the tls-tunnel rendering, byte for byte, and keeps one object one object", async () => {
    const result = await runCli(['mutate', '-f', fixture(LEGACY_CM), '--technical-id', 'shoot--foo--bar']);
    expect(result.code).toBe(0);
    const docs = yaml.loadAll(result.stdout) as Doc[];
    expect(docs).toHaveLength(1);
    const expected = load('apiserver-proxy/configmap.expected-after-mutation.phase1-reversed-vpn-8132.yaml');
    expect(docs[0]!.data['envoy.yaml']).toBe(expected.data['envoy.yaml']);
    expect(docs[0]!.metadata).toEqual(load(LEGACY_CM).metadata);
  });

  it("never moves Gardener v1.144's unified ConfigMap back under the default --phase tls-tunnel: empty patch, and says so", async () => {
    const unified = 'apiserver-proxy/configmap.unified-x-gardener-destination-8443-v1.144.yaml';
    const result = await runCli(['mutate', '-f', fixture(unified), '--technical-id', 'shoot--foo--bar', '-o', 'patch']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain('apiserver-proxy: already on the unified port, ahead of --phase tls-tunnel; left unchanged');
  });

  it('prints the JSON Patch that the server would send, which applies to the input', async () => {
    const result = await runCli([
      'mutate',
      '-f',
      fixture(LEGACY_CM),
      '--technical-id',
      'shoot--foo--bar',
      '--phase',
      'unified',
      '-o',
      'patch',
    ]);
    expect(result.code).toBe(0);
    const patch = JSON.parse(result.stdout) as fastJsonPatch.Operation[];
    const applied = fastJsonPatch.applyPatch(load(LEGACY_CM), patch, true).newDocument;
    const expected = load('apiserver-proxy/configmap.expected-after-mutation.unified-x-gardener-destination-8443.yaml');
    expect(applied.data['envoy.yaml']).toBe(expected.data['envoy.yaml']);
  });

  it('--target answers as the shoot path with that target would: a target past --phase moves, hold leaves it', async () => {
    const both = `${readFileSync(fixture(LEGACY_CM), 'utf8')}\n---\n${readFileSync(fixture(LEGACY_VPN), 'utf8')}`;
    const moved = await runCli(['mutate', '-f', '-', '--technical-id', 'shoot--foo--bar', '--target', 'unified'], { input: both });
    expect(moved.code).toBe(0);
    const [configMap, deployment] = yaml.loadAll(moved.stdout) as Doc[];
    expect(configMap!.data['envoy.yaml']).toBe(
      load('apiserver-proxy/configmap.expected-after-mutation.unified-x-gardener-destination-8443.yaml').data['envoy.yaml'],
    );
    expect(deployment).toEqual(load('vpn-shoot/deployment.expected-after-mutation.unified.yaml'));

    const held = await runCli(
      ['mutate', '-f', '-', '--technical-id', 'shoot--foo--bar', '--target', 'hold', '--phase', 'unified', '-o', 'patch'],
      { input: both },
    );
    expect(held.code).toBe(0);
    expect(JSON.parse(held.stdout)).toEqual([[], []]);
    expect(held.stderr).toContain('apiserver-proxy: the shoot is held (its webhook path ends in /hold); admitted unchanged');
    expect(held.stderr).toContain('vpn-shoot: the shoot is held (its webhook path ends in /hold); admitted unchanged');
  });

  it('refuses --target without --technical-id, and an unknown target, with exit 2', async () => {
    const alone = await runCli(['mutate', '-f', fixture(LEGACY_CM), '--target', 'unified']);
    expect(alone.code).toBe(2);
    expect(alone.stderr.split('\n')[0]).toBe(
      'error: --target needs --technical-id: the webhook path carries the target after the technical ID',
    );
    const unknown = await runCli(['mutate', '-f', fixture(LEGACY_CM), '--technical-id', 'shoot--foo--bar', '--target', 'legacy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toMatch(/argument 'legacy' is invalid/);
  });

  it('handles multi-document YAML from standard input and a List, object by object', async () => {
    const text = `${readFileSync(fixture(LEGACY_CM), 'utf8')}\n---\n${readFileSync(fixture(LEGACY_VPN), 'utf8')}`;
    const multi = await runCli(['mutate', '-f', '-', '--technical-id', 'shoot--foo--bar', '--phase', 'unified'], { input: text });
    expect(multi.code).toBe(0);
    const [configMap, deployment] = yaml.loadAll(multi.stdout) as Doc[];
    expect(configMap!.data['envoy.yaml']).toContain('key: X-Gardener-Destination');
    expect(deployment).toEqual(load('vpn-shoot/deployment.expected-after-mutation.unified.yaml'));

    const list = { apiVersion: 'v1', kind: 'List', items: [load(LEGACY_VPN)] };
    const listed = await runCli(['mutate', '-f', tempFile('list.json', JSON.stringify(list)), '--phase', 'unified', '-o', 'json']);
    expect(listed.code).toBe(0);
    const out = JSON.parse(listed.stdout) as Doc;
    expect(out.kind).toBe('List');
    expect(out.items).toEqual([load('vpn-shoot/deployment.expected-after-mutation.unified.yaml')]);
  });

  it('leaves alone what no webhook handles or cannot be placed, saying why on stderr, and exits 0', async () => {
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'kube-system' }, data: { a: 'b' } };
    const untouched = await runCli(['mutate', '-f', tempFile('other.yaml', yaml.dump(other))]);
    expect(untouched.code).toBe(0);
    expect(yaml.load(untouched.stdout)).toEqual(other);
    expect(untouched.stderr).toContain('ConfigMap kube-system/other: no webhook handles this object; unchanged');

    const noShoot = await runCli(['mutate', '-f', fixture(LEGACY_CM)]);
    expect(noShoot.code).toBe(0);
    expect((yaml.load(noShoot.stdout) as Doc).data).toEqual(load(LEGACY_CM).data);
    expect(noShoot.stderr).toMatch(/^warning: ConfigMap kube-system\/apiserver-proxy-config-54c2613f: .*technical ID/m);
  });

  it.each([
    ['invalid YAML', 'a: [b\n', /is not valid YAML or JSON at line \d+, column \d+/],
    ['no objects', '', /holds no objects/],
    ['a document without kind', 'metadata: {name: x}\n', /has no apiVersion and kind/],
    ['a scalar document', '42\n', /is not a Kubernetes object/],
  ])('refuses %s with exit 2 and one line', async (_name, text, message) => {
    const result = await runCli(['mutate', '-f', tempFile('bad.yaml', text)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });

  it('refuses a missing file and an unknown phase with exit 2', async () => {
    expect((await runCli(['mutate', '-f', join(tmpdir(), 'does-not-exist.yaml')])).code).toBe(2);
    expect((await runCli(['mutate', '-f', fixture(LEGACY_CM), '--phase', 'nope'])).code).toBe(2);
  });
});
