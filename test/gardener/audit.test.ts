// The audit over the fixture landscape and over made-up shoots: counts, why each blocking shoot blocks
// (with the remedy), and a report that stays short for 10,000 shoots.
import { describe, expect, it } from 'vitest';
import { auditSeeds } from '../../src/gardener/audit.js';
import { blockingCause } from '../../src/gardener/blocking-reasons.js';
import { removalGate } from '../../src/gardener/removal-gates.js';
import { SeedIndex } from '../../src/gardener/seed-index.js';
import { ShootIndex } from '../../src/gardener/shoot-index.js';
import { summarizeShoot } from '../../src/gardener/shoot-summary.js';
import { GATE_CONSTRAINTS } from '../../src/gardener/removal-gates.js';
import type { ShootSummary } from '../../src/gardener/services.js';
import { landscape } from '../webhooks/gardenlet-config/fixtures.js';

const unified = removalGate('RemoveHTTPProxyLegacyPort')!;
const legacy = removalGate('RemoveAPIServerProxyLegacyPort')!;

/** A worker shoot of seed s1 as the API returns it, with `status` and `spec` merged in. */
function shoot(
  name: string,
  extra: { spec?: Record<string, unknown>; status?: Record<string, unknown>; annotations?: Record<string, string> } = {},
): ShootSummary {
  const summary = summarizeShoot(
    {
      metadata: { name, namespace: 'garden-p', annotations: extra.annotations },
      spec: { seedName: 's1', provider: { workers: [{ name: 'w' }] }, ...extra.spec },
      status: { lastOperation: { type: 'Reconcile', state: 'Succeeded' }, gardener: { version: 'v1.148.0' }, ...extra.status },
    },
    GATE_CONSTRAINTS,
  );
  if ('error' in summary) throw new Error(summary.error);
  return summary;
}

describe('auditSeeds on the fixture landscape', () => {
  const [eu1] = auditSeeds(landscape(), 'aws-eu1');

  it('counts RemoveHTTPProxyLegacyPort on aws-eu1 and says why each blocker blocks', () => {
    expect(eu1!.gates.find((g) => g.gate === 'RemoveHTTPProxyLegacyPort')).toEqual({
      gate: 'RemoveHTTPProxyLegacyPort',
      constraint: 'UsesUnifiedHTTPProxyPort',
      migrated: 2,
      blocking: 5,
      skipped: 4,
      reasons: [
        {
          reason: 'ignored',
          remedy: expect.stringContaining('remove the annotation shoot.gardener.cloud/ignore'),
          count: 1,
          shoots: [{ shoot: 'garden-qux/mike' }],
        },
        {
          reason: 'last-operation-failed',
          remedy: expect.stringContaining('fix the error'),
          count: 1,
          shoots: [
            {
              shoot: 'garden-foo/charlie',
              detail: expect.stringMatching(/^Reconcile Error: Flow "Shoot cluster reconciliation" .*invalid credentials\]$/),
            },
          ],
        },
        {
          reason: 'constraint-false',
          remedy: expect.any(String),
          count: 1,
          shoots: [{ shoot: 'garden-qux/juliett', detail: 'UsesUnifiedHTTPProxyPort=False (ShootUsesUnifiedHTTPProxyPort)' }],
        },
        {
          reason: 'constraint-missing',
          remedy: expect.stringContaining('always from v1.144'),
          count: 2,
          shoots: [{ shoot: 'garden-baz/hotel' }, { shoot: 'garden-foo/bravo' }],
        },
      ],
    });
  });

  it('groups the shoots the check skips', () => {
    expect(eu1!.skipped).toEqual([
      { reason: 'workerless', count: 1, shoots: ['garden-bar/delta'] },
      { reason: 'being created', count: 1, shoots: ['garden-bar/echo  being created (Create Processing)'] },
      { reason: 'being deleted', count: 1, shoots: ['garden-bar/foxtrot  being deleted (Delete Error)'] },
      { reason: 'no last operation', count: 1, shoots: ['garden-qux/kilo  no last operation (not reconciled yet)'] },
    ]);
  });

  it('covers every seed with shoots when none is named, with its gardenlet release where seeds are known', () => {
    const seeds = SeedIndex.of([{ name: 'aws-eu1', gardenletVersion: 'v1.149.1' }]);
    expect(auditSeeds(landscape(), undefined, { seeds }).map((s) => [s.seed, s.gardenletVersion])).toEqual([
      ['aws-eu1', 'v1.149.1'],
      ['aws-eu2', undefined],
    ]);
  });

  it('reports an unknown seed as empty', () => {
    expect(auditSeeds(landscape(), 'nope')[0]!.gates.every((g) => g.migrated + g.blocking + g.skipped === 0)).toBe(true);
  });
});

describe('why a shoot blocks', () => {
  it('a hibernated shoot without the constraint: Gardener skips DeployVPNShoot while hibernated', () => {
    const hibernated = shoot('h', { spec: { hibernation: { enabled: true } } });
    expect(blockingCause(hibernated, unified)).toEqual({ reason: 'hibernated' });
    // DeployAPIServerProxy runs while hibernated: hibernation does not explain a missing APIServerProxyUsesHTTPProxy.
    expect(blockingCause(hibernated, legacy).reason).toBe('constraint-missing');
  });

  it('a shoot last reconciled before its seed moved to a release that sets the constraint', () => {
    expect(blockingCause(shoot('old', { status: { gardener: { version: 'v1.139.2' } } }), unified)).toEqual({
      reason: 'not-reconciled-since-upgrade',
      detail: 'last reconciled by gardenlet v1.139.2',
    });
    expect(blockingCause(shoot('new', { status: { gardener: { version: 'v1.140.0' } } }), unified).reason).toBe('constraint-missing');
  });

  it('a failed last operation, its error shortened to one printable line', () => {
    const error = `task "Deploying vpn-shoot" failed:\n\u001b[31m${'x'.repeat(400)}\u0007`;
    const cause = blockingCause(
      shoot('f', { status: { lastOperation: { type: 'Reconcile', state: 'Failed', description: error } } }),
      unified,
    );
    expect(cause.reason).toBe('last-operation-failed');
    expect(cause.detail).toMatch(/^Reconcile Failed: task "Deploying vpn-shoot" failed: \[31mx+\.\.\.$/);
    // eslint-disable-next-line no-control-regex
    expect(cause.detail).not.toMatch(/[\u0000-\u001f]/);
    expect(cause.detail!.length).toBeLessThanOrEqual('Reconcile Failed: '.length + 160);
  });

  it('a constraint Unknown, with its reason', () => {
    const unknown = shoot('u', {
      status: { constraints: [{ type: 'UsesUnifiedHTTPProxyPort', status: 'Unknown', reason: 'ConstraintPending' }] },
    });
    expect(blockingCause(unknown, unified)).toEqual({
      reason: 'constraint-unknown',
      detail: 'UsesUnifiedHTTPProxyPort=Unknown (ConstraintPending)',
    });
  });
});

describe('a seed of 10,000 shoots', () => {
  const shoots = Array.from({ length: 10_000 }, (_, i) =>
    i % 4 === 0
      ? shoot(`s${i}`, { spec: { hibernation: { enabled: true } } })
      : i % 4 === 1
        ? shoot(`s${i}`, { status: { lastOperation: { type: 'Reconcile', state: 'Error', description: 'boom' } } })
        : shoot(`s${i}`),
  );
  const [report] = auditSeeds(ShootIndex.of(shoots), 's1');

  it('gives counts per reason and names only the first shoots of each', () => {
    const gate = report!.gates.find((g) => g.gate === 'RemoveHTTPProxyLegacyPort')!;
    expect(gate.reasons.map((r) => [r.reason, r.count, r.shoots.length])).toEqual([
      ['last-operation-failed', 2500, 5],
      ['hibernated', 2500, 5],
      ['constraint-missing', 5000, 5],
    ]);
    expect(JSON.stringify(report).length).toBeLessThan(6_000);
  });
});
