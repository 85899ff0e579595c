// Hostile input files through the real CLI, in bounded time and memory: each child gets a small heap
// and is killed after a bound, so a CLI that expands an alias bomb or overflows its stack fails the test
// instead of hanging it. The files are generated here; none is stored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdmissionReview, KubeObject } from '../../src/admission/types.js';
import { webhooks } from '../../webhooks/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { send } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer } from '../support/server.js';
import { fixtures as vpnShoot, unified } from '../webhooks/vpn-shoot/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hpm-hostile-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
/** A small heap, and a bound far above what any of these needs when it works. */
const bounded = { nodeFlags: ['--max-old-space-size=192', '--stack-size=984'], timeoutMs: 15_000 };
const run = (args: string[]): Promise<CliResult> => runCli(args, bounded);

function expectRefused(result: CliResult, reason: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(result.stderr).toMatch(reason);
}

/** Ten levels of ten-fold aliases: 10^10 nodes written out, a few hundred bytes as YAML. */
function aliasBomb(indent: string): string {
  const lines = [`${indent}a0: &a0 [lol]`];
  for (let i = 1; i <= 9; i++) lines.push(`${indent}a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push(`${indent}lol: *a9`);
  return lines.join('\n');
}

const configMapBomb = write(
  'configmap-bomb.yaml',
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: apiserver-proxy-config-abc',
    '  namespace: kube-system',
    'data:',
    aliasBomb('  '),
  ].join('\n'),
);

describe('a YAML alias bomb', () => {
  it.each(['yaml', 'json', 'patch'])('is refused by mutate -o %s with one line and exit 2', async (output) => {
    expectRefused(await run(['mutate', '-f', configMapBomb, '--technical-id', 'shoot--foo--bar', '-o', output]), /alias bomb/);
  });

  it('is refused by review', async () => {
    const review = yaml.dump(
      admissionReview({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' } } }),
    );
    const file = write('review-bomb.yaml', `${review}bomb:\n${aliasBomb('  ')}\n`);
    expectRefused(await run(['review', '--webhook', 'apiserver-proxy', '--technical-id', 'shoot--foo--bar', '-f', file]), /alias bomb/);
  });

  it('is refused by validate, and in a shoot snapshot', async () => {
    expectRefused(await run(['validate', '-f', configMapBomb]), /alias bomb/);
    const shoots = write(
      'shoots-bomb.yaml',
      `apiVersion: core.gardener.cloud/v1beta1\nkind: Shoot\nmetadata:\n  name: a\n  namespace: garden-a\nspec:\n${aliasBomb('  ')}\n`,
    );
    expectRefused(await run(['audit', '--shoots', shoots]), /alias bomb/);
  });

  it('is refused from standard input too', async () => {
    expectRefused(
      await runCli(['mutate', '-f', '-', '-o', 'patch'], { ...bounded, input: readFileSync(configMapBomb, 'utf8') }),
      /standard input: .*alias bomb/,
    );
  });

  it('an alias inside its own anchor is refused as well', async () => {
    const file = write('self.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: &d\n  self: *d\n');
    expectRefused(await run(['mutate', '-f', file, '-o', 'json']), /alias refers to a node that contains it/);
  });

  it('anchors that only save repetition still work', async () => {
    const file = write(
      'anchors.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &l\n    a: b\n  annotations: *l\n',
    );
    const result = await run(['mutate', '-f', file, '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ metadata: { labels: { a: 'b' }, annotations: { a: 'b' } } });
  });
});

describe('an object nested 100,000 deep', () => {
  const DEPTH = 100_000;
  const deep = '['.repeat(DEPTH) + '1' + ']'.repeat(DEPTH);
  const deployment = vpnShoot.legacyDeployment() as KubeObject;
  (deployment.metadata as Record<string, unknown>).labels = '__DEEP__';
  const review = admissionReview({
    object: deployment,
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
  });
  const reviewText = JSON.stringify(review).replace('"__DEEP__"', deep);
  const reviewFile = write('deep-review.json', reviewText);
  const objectFile = write('deep-deployment.json', JSON.stringify(deployment).replace('"__DEEP__"', deep));

  it('gets from review exactly the answer the server gives', async () => {
    const t = await startTestServer({ webhooks, settings: unified, logLevel: 'silent' });
    const served = await send(`${t.url}/webhooks/vpn-shoot`, {
      agent: t.agent,
      headers: { 'content-type': 'application/json' },
      body: reviewText,
    });
    expect(served.status).toBe(200);
    const result = await run(['review', '--webhook', 'vpn-shoot', '--phase', 'unified', '-f', reviewFile]);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as AdmissionReview;
    expect(answer).toEqual(JSON.parse(served.body));
    expect(answer.response?.patch).toBeDefined();
  });

  it.each(['yaml', 'json', 'patch'])('is refused by mutate -o %s with a reason and exit 2, never a crash', async (output) => {
    expectRefused(await run(['mutate', '--phase', 'unified', '-o', output, '-f', objectFile]), /nests deeper than 1000 levels/);
  });
});

describe('one JSON array instead of one object', () => {
  it('is refused saying what was found', async () => {
    const file = write('array.json', JSON.stringify([admissionReview()]));
    expectRefused(
      await run(['review', '--webhook', 'vpn-shoot', '-f', file]),
      /must hold exactly one object, found a list \(array\) of 1 item\(s\) instead/,
    );
  });
});
