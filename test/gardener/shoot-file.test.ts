// Shoot snapshot files: the forms kubectl writes, and a clear refusal for anything else.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/input-error.js';
import { loadShootFile, parseShoots } from '../../src/gardener/shoot-file.js';
import { GATE_CONSTRAINTS } from '../../src/gardener/removal-gates.js';
import { SHOOTS_FILE } from '../webhooks/gardenlet-config/fixtures.js';

const shoot = (name: string) => ({
  apiVersion: 'core.gardener.cloud/v1beta1',
  kind: 'Shoot',
  metadata: { name, namespace: 'garden-p' },
  spec: { seedName: 's' },
});
const parse = (text: string) => parseShoots(text, 'shoots.yaml', GATE_CONSTRAINTS);

describe('shoot files', () => {
  it('reads the fixture (YAML documents)', () => {
    expect(loadShootFile(SHOOTS_FILE, GATE_CONSTRAINTS)).toHaveLength(13);
  });

  it.each([
    ['a ShootList', yaml.dump({ apiVersion: 'core.gardener.cloud/v1beta1', kind: 'ShootList', items: [shoot('a'), shoot('b')] })],
    ['a v1 List in JSON', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [shoot('a'), shoot('b')] })],
    ['JSON documents', `${JSON.stringify(shoot('a'))}\n---\n${JSON.stringify(shoot('b'))}`],
  ])('reads %s', (_name, text) => {
    expect(parse(text).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it.each([
    [
      'a document that is no Shoot',
      yaml.dump(shoot('a')) + '---\n' + yaml.dump({ kind: 'ConfigMap', metadata: { name: 'x' } }),
      'shoots.yaml: document 2 is a ConfigMap, not a Shoot',
    ],
    [
      'a shoot twice',
      `${JSON.stringify(shoot('a'))}\n---\n${JSON.stringify(shoot('a'))}`,
      'shoots.yaml: shoot garden-p/a appears twice (document 1 and document 2)',
    ],
    [
      'a shoot without namespace',
      yaml.dump({ kind: 'Shoot', metadata: { name: 'a' } }),
      'shoots.yaml: document 1: shoot a has no metadata.namespace',
    ],
    ['a List without items', yaml.dump({ kind: 'ShootList' }), 'shoots.yaml: document 1 is a ShootList without items'],
    [
      'broken YAML',
      'kind: Shoot\n metadata: x\n',
      'shoots.yaml is not valid YAML or JSON at line 2, column 10: bad indentation of a mapping entry',
    ],
    [
      'a JSON List with a non-Shoot item',
      JSON.stringify({ kind: 'List', items: [shoot('a'), { kind: 'Secret' }] }),
      'shoots.yaml: document 1 item 2 is a Secret, not a Shoot',
    ],
    [
      'a JSON List with a shoot twice',
      JSON.stringify({ kind: 'List', items: [shoot('a'), shoot('a')] }),
      'shoots.yaml: shoot garden-p/a appears twice (document 1 item 1 and document 1 item 2)',
    ],
    [
      'a broken JSON List',
      '{"kind": "List", "items": [{"kind": "Shoot",]}',
      'shoots.yaml is not valid YAML or JSON at line 1, column 45: missed comma between flow collection entries',
    ],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parse(text)).toThrow(new InputError(message));
  });

  it('reads a JSON List item by item to the same shoots as a whole parse', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: (yaml.loadAll(readFileSync(SHOOTS_FILE, 'utf8')) as unknown[]).filter(Boolean) };
    const itemByItem = parse(JSON.stringify(list, null, 2));
    expect(itemByItem).toHaveLength(13);
    expect(itemByItem).toEqual(parse(yaml.dump(list)));
  });

  it('refuses a file that cannot be read', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'shoots-')), 'absent.yaml');
    expect(() => loadShootFile(missing, GATE_CONSTRAINTS)).toThrow(`cannot read ${missing}: ENOENT`);
    writeFileSync(join(missing, '..', 'empty.yaml'), '');
    expect(loadShootFile(join(missing, '..', 'empty.yaml'), GATE_CONSTRAINTS)).toEqual([]);
  });
});
