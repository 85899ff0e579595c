// `audit`: per seed and gate, what to fix before turning a gate on.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { SHOOTS_FILE } from '../webhooks/gardenlet-config/fixtures.js';

describe('audit', () => {
  it('prints a table per seed and gate, then the blockers and the skipped shoots', async () => {
    const result = await runCli(['audit', '--shoots', SHOOTS_FILE, '--seed', 'aws-eu1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'SEED     GATE                            CONSTRAINT                   MIGRATED  BLOCKING  SKIPPED',
        'aws-eu1  RemoveAPIServerProxyLegacyPort  APIServerProxyUsesHTTPProxy  4         3         4',
        'aws-eu1  RemoveHTTPProxyLegacyPort       UsesUnifiedHTTPProxyPort     2         5         4',
        '',
        'aws-eu1: RemoveAPIServerProxyLegacyPort is blocked by 3 shoot(s) (APIServerProxyUsesHTTPProxy not True):',
        '  garden-baz/hotel    missing',
        '  garden-foo/charlie  missing',
        '  garden-qux/mike     missing',
        '',
        'aws-eu1: RemoveHTTPProxyLegacyPort is blocked by 5 shoot(s) (UsesUnifiedHTTPProxyPort not True):',
        '  garden-baz/hotel    missing',
        '  garden-foo/bravo    missing',
        '  garden-foo/charlie  missing',
        '  garden-qux/juliett  False',
        '  garden-qux/mike     Unknown',
        '',
        "aws-eu1: skipped by gardenlet's check:",
        '  garden-bar/delta    workerless',
        '  garden-bar/echo     being created (Create Processing)',
        '  garden-bar/foxtrot  being deleted (Delete Error)',
        '  garden-qux/kilo     no last operation (not reconciled yet)',
        '',
      ].join('\n'),
    );
  });

  it('answers in JSON for every seed', async () => {
    const result = await runCli(['audit', '--shoots', SHOOTS_FILE, '-o', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { seeds: { seed: string; gates: { gate: string; migrated: string[]; blocking: unknown[] }[] }[] };
    expect(report.seeds.map((s) => s.seed)).toEqual(['aws-eu1', 'aws-eu2']);
    expect(report.seeds[1]!.gates[1]).toMatchObject({ gate: 'RemoveHTTPProxyLegacyPort', migrated: [], blocking: [{ shoot: 'garden-baz/golf', status: 'missing' }, { shoot: 'garden-baz/india', status: 'missing' }] });
  });

  it('says so for a seed without shoots', async () => {
    expect(await runCli(['audit', '--shoots', SHOOTS_FILE, '--seed', 'gcp-us1'])).toMatchObject({ code: 0, stdout: 'no shoots on seed gcp-us1\n' });
  });

  it('needs a shoot source', async () => {
    expect(await runCli(['audit'])).toMatchObject({ code: 2, stderr: 'error: audit needs shoots: give --shoots FILE or --garden-kubeconfig FILE\n' });
  });
});
