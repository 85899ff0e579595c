// `preflight` as an operator runs it: exit 0 ready, 1 not ready with the reason, 2 bad input in one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { FIXTURE, PHASE1_REGEX, fixturePath, fixtureText } from './fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'hpm-preflight-'));
function scratchFile(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('preflight verdicts', () => {
  it('exits 0 when the ingress routes the phase', async () => {
    const result = await runCli(['preflight', '--phase', 'tls-tunnel', '-f', fixturePath(FIXTURE.phase1)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ready: istio-ingress routes phase tls-tunnel \(port 8132, Reversed-VPN\)/);
    expect(result.stdout).toContain('note: no Gateway in the input: not checked that one opens port 8132');
  });

  it('exits 1 with the reason when it does not', async () => {
    const result = await runCli(['preflight', '--phase', 'tls-tunnel', '-f', fixturePath(FIXTURE.legacy)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^not ready: istio-ingress: apiserver-proxy CONNECT with Reversed-VPN: .* ext_authz filter/);
    expect(result.stderr).toBe('');
  });

  it('reads several files as one List from standard input, with the settings flags', async () => {
    const list = JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [] });
    const input = [fixtureText(FIXTURE.unifiedHttpProxy), fixtureText(FIXTURE.unifiedLegacyTlsTunnel), list].join('\n---\n');
    const result = await runCli(['preflight', '--phase', 'unified', '--istio-tls-termination', '--verbose', '-f', '-'], { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('routed apiserver-proxy X-Gardener-Destination: shoot-my-project-my-shoot-1--kube-apiserver-socket');
  });

  it('tests only the shoots given with --technical-id', async () => {
    const result = await runCli([
      'preflight',
      '--phase',
      'tls-tunnel',
      '--technical-id',
      'shoot--foo--bar',
      '-v',
      '-f',
      fixturePath(FIXTURE.phase1),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ready: istio-ingress routes phase tls-tunnel \(port 8132, Reversed-VPN\) for 1 sample destination\(s\)$/m,
    );
    // The given shoot is routed, and it is the only one tested (without the flag, four sample shoots are).
    const routed = result.stdout.split('\n').filter((line) => line.includes('routed apiserver-proxy'));
    expect(routed).toEqual([
      '  istio-ingress: routed apiserver-proxy Reversed-VPN: outbound|443||kube-apiserver.shoot--foo--bar.svc.cluster.local: route 1 of virtual host reversed-vpn (EnvoyFilter reversed-vpn), cluster_header Reversed-VPN',
    ]);
  });

  it('judges every destination header sent on the one request', async () => {
    const args = ['preflight', '--phase', 'tls-tunnel', '-f', fixturePath(FIXTURE.phase1)];
    const both = await runCli([...args, '--destination-header', 'Reversed-VPN,X-Gardener-Destination']);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^ready: istio-ingress routes phase tls-tunnel \(port 8132, Reversed-VPN, X-Gardener-Destination\)/);
    // Alone, the new header meets the legacy route that redirects it: each sample shoot is named as not routed.
    const alone = await runCli([...args, '--destination-header', 'X-Gardener-Destination']);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toMatch(
      /^not ready: istio-ingress: apiserver-proxy CONNECT with X-Gardener-Destination: .*kube-apiserver\.shoot--foo--bar\.svc\.cluster\.local first matches route 2 of virtual host reversed-vpn/,
    );
    expect(alone.stdout.split('\n').filter((line) => line.includes('NOT routed apiserver-proxy X-Gardener-Destination'))).toHaveLength(4);
  });
});

describe('preflight bad input: one line, exit 2', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['no file', () => ['preflight', '--phase', 'unified'], /required option '-f, --file <file>'/],
    ['missing file', () => ['preflight', '-f', join(scratch, 'absent.yaml')], /cannot read .*absent\.yaml: ENOENT/],
    ['unknown phase', () => ['preflight', '--phase', 'phase3', '-f', fixturePath(FIXTURE.phase1)], /argument 'phase3' is invalid/],
    [
      'invalid header key',
      () => ['preflight', '--destination-header', 'Bad Header', '-f', fixturePath(FIXTURE.phase1)],
      /not a valid HTTP header name/,
    ],
    ['not YAML', () => ['preflight', '-f', scratchFile('broken.yaml', 'kind: [EnvoyFilter\n')], /is not valid YAML or JSON at line/],
    [
      'no Istio objects',
      () => ['preflight', '-f', scratchFile('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')],
      /holds no EnvoyFilter or Gateway/,
    ],
    ['a scalar document', () => ['preflight', '-f', scratchFile('scalar.yaml', 'just text\n')], /document 1 is not a Kubernetes object/],
    [
      'an EnvoyFilter of another group',
      () => ['preflight', '-f', scratchFile('group.yaml', 'apiVersion: v1\nkind: EnvoyFilter\nmetadata: {name: x}\nspec: {}\n')],
      /expected networking\.istio\.io/,
    ],
    [
      'an EnvoyFilter without a name',
      () => ['preflight', '-f', scratchFile('noname.yaml', 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nspec: {}\n')],
      /has no metadata\.name/,
    ],
    [
      'a regex RE2 refuses',
      () => ['preflight', '-f', scratchFile('lookahead.yaml', fixtureText(FIXTURE.phase1).replace(PHASE1_REGEX, '^outbound(?=x).*$'))],
      /is not valid RE2/,
    ],
    [
      'a route patch it does not evaluate',
      () => [
        'preflight',
        '-f',
        scratchFile(
          'route-patch.yaml',
          'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: x, namespace: istio-ingress}\nspec:\n  configPatches:\n  - applyTo: HTTP_ROUTE\n    match: {context: GATEWAY, routeConfiguration: {portNumber: 8132}}\n    patch: {operation: MERGE, value: {}}\n',
        ),
      ],
      /applyTo HTTP_ROUTE on port 8132 is not evaluated/,
    ],
    [
      'a malformed technical ID',
      () => ['preflight', '--technical-id', 'Shoot_Foo', '-f', fixturePath(FIXTURE.phase1)],
      /--technical-id "Shoot_Foo": the shoot technical ID is not shoot--<project>--<name>/,
    ],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    const result = await runCli(args());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const firstLine = result.stderr.split('\n')[0]!;
    expect(firstLine).toMatch(/^error: /);
    expect(firstLine).toMatch(message);
  });
});
