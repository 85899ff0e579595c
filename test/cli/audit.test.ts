// `audit`: per seed and gate, what to fix before turning a gate on.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { SEEDS_FILE, SHOOTS_FILE } from '../webhooks/gardenlet-config/fixtures.js';

describe('audit', () => {
  it('prints a table per seed and gate, then per gate the reasons with their remedies and first shoots, then the skipped', async () => {
    const result = await runCli(['audit', '--shoots', SHOOTS_FILE, '--seed', 'aws-eu1', '--per-reason', '1']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'SEED     GATE                            CONSTRAINT                   MIGRATED  BLOCKING  SKIPPED',
      'aws-eu1  RemoveAPIServerProxyLegacyPort  APIServerProxyUsesHTTPProxy  4         3         4',
      'aws-eu1  RemoveHTTPProxyLegacyPort       UsesUnifiedHTTPProxyPort     2         5         4',
    ]);
    const unified = lines.slice(
      lines.indexOf('aws-eu1: RemoveHTTPProxyLegacyPort is blocked by 5 shoot(s) (UsesUnifiedHTTPProxyPort not True):'),
    );
    expect(unified.slice(0, 11)).toEqual([
      'aws-eu1: RemoveHTTPProxyLegacyPort is blocked by 5 shoot(s) (UsesUnifiedHTTPProxyPort not True):',
      '  ignored: 1 - Gardener does not reconcile it: remove the annotation shoot.gardener.cloud/ignore',
      '    garden-qux/mike',
      '  last-operation-failed: 1 - fix the error, then reconcile it (UsesUnifiedHTTPProxyPort is set by a successful DeployVPNShoot)',
      expect.stringMatching(/^ {4}garden-foo\/charlie {2}Reconcile Error: Flow .*invalid credentials\]$/),
      "  constraint-false: 1 - reconcile it once the cause named in the constraint's reason is gone",
      '    garden-qux/juliett  UsesUnifiedHTTPProxyPort=False (ShootUsesUnifiedHTTPProxyPort)',
      '  constraint-missing: 2 - reconcile it (annotate gardener.cloud/operation=reconcile); UsesUnifiedHTTPProxyPort is set from v1.130 with UseUnifiedHTTPProxyPort on, by default from v1.140, always from v1.144',
      '    garden-baz/hotel',
      '    ... and 1 more',
      '',
    ]);
    expect(result.stdout).toContain("aws-eu1: skipped by gardenlet's check:\n  workerless: 1\n    garden-bar/delta\n  being created: 1\n");
  });

  it("shows each seed's gardenlet release from a seed snapshot", async () => {
    const result = await runCli(['audit', '--shoots', SHOOTS_FILE, '--seeds', SEEDS_FILE, '--seed', 'aws-eu1']);
    expect(result.stdout.split('\n')[1]).toMatch(/^aws-eu1 {2}v1\.149\.0 {3}RemoveAPIServerProxyLegacyPort/);
  });

  it('answers in JSON for every seed', async () => {
    const result = await runCli(['audit', '--shoots', SHOOTS_FILE, '-o', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { seeds: { seed: string; gates: unknown[] }[] };
    expect(report.seeds.map((s) => s.seed)).toEqual(['aws-eu1', 'aws-eu2']);
    expect(report.seeds[1]!.gates[1]).toMatchObject({
      gate: 'RemoveHTTPProxyLegacyPort',
      migrated: 0,
      blocking: 2,
      reasons: [{ reason: 'constraint-missing', count: 2, shoots: [{ shoot: 'garden-baz/golf' }, { shoot: 'garden-baz/india' }] }],
    });
  });

  it('says so for a seed without shoots', async () => {
    expect(await runCli(['audit', '--shoots', SHOOTS_FILE, '--seed', 'gcp-us1'])).toMatchObject({
      code: 0,
      stdout: 'no shoots on seed gcp-us1\n',
    });
  });

  it('needs a shoot source', async () => {
    expect(await runCli(['audit'])).toMatchObject({
      code: 2,
      stderr: 'error: audit needs shoots: give --shoots FILE or --garden-kubeconfig FILE\n',
    });
  });
});
