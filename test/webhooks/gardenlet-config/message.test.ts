// The denial stays short and readable whatever the number of blockers; warnings fit in 120 characters.
import { describe, expect, it } from 'vitest';
import { MAX_WARNING_LENGTH } from '../../../src/admission/warnings.js';
import { REMOVAL_GATES } from '../../../src/gardener/removal-gates.js';
import {
  MAX_DENIAL_BYTES,
  alreadyOnWarning,
  denialMessage,
  inheritedWarning,
  notCountedWarning,
  releaseWarning,
} from '../../../webhooks/gardenlet-config/message.js';
import { groupByReason } from '../../../src/gardener/blocking-reasons.js';
import { removalGate } from '../../../src/gardener/removal-gates.js';
import { summarizeShoot } from '../../../src/gardener/shoot-summary.js';
import type { ShootSummary } from '../../../src/gardener/services.js';
import { NOT_SYNCED, NO_SHOOT_INDEX } from '../../../webhooks/gardenlet-config/validate.js';

const many = (count: number, width = 4): string[] =>
  Array.from({ length: count }, (_, i) => `garden-p${String(i % 97).padStart(2, '0')}/shoot-${String(i).padStart(width, '0')}`).sort();

describe('denialMessage', () => {
  it('names the gate, the constraint, the seed, the count and the first ten blockers, then the rest as a number', () => {
    const shoots = many(10_000);
    const message = denialMessage('aws-eu1', [{ gate: 'RemoveHTTPProxyLegacyPort', constraint: 'UsesUnifiedHTTPProxyPort', shoots }]);
    expect(message).toContain('`RemoveHTTPProxyLegacyPort` feature gate');
    expect(message).toContain('`UsesUnifiedHTTPProxyPort` constraint');
    expect(message).toContain(`on seed aws-eu1, 10000 shoots do not: ${shoots.slice(0, 10).join(', ')}, and 9990 more`);
    expect(Buffer.byteLength(message)).toBeLessThan(MAX_DENIAL_BYTES);
  });

  it("starts with gardenlet's own error, so operators recognise the crash loop it prevents", () => {
    for (const gate of REMOVAL_GATES) {
      expect(denialMessage('s', [{ gate: gate.gate, constraint: gate.constraint, shoots: ['a/b'] }])).toBe(
        `${gate.gardenletError}; on seed s, 1 shoot does not: a/b`,
      );
    }
  });

  it('names fewer shoots rather than grow when names are as long as Kubernetes allows', () => {
    const long = Array.from({ length: 50 }, (_, i) => `${'n'.repeat(63)}/${String(i).padStart(63, 's')}`);
    const message = denialMessage('a-seed-with-a-rather-long-name', [
      { gate: 'RemoveHTTPProxyLegacyPort', constraint: 'UsesUnifiedHTTPProxyPort', shoots: long },
    ]);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_DENIAL_BYTES);
    expect(message).toMatch(new RegExp(`${long[0]}, .*, and \\d+ more$`));
  });

  it('gives each gate a short clause when several are turned on at once', () => {
    const message = denialMessage(
      'aws-eu1',
      REMOVAL_GATES.map((g) => ({ gate: g.gate, constraint: g.constraint, shoots: many(5_000) })),
    );
    expect(message).toMatch(
      /^feature gates cannot be enabled on seed aws-eu1 until every shoot has migrated: RemoveAPIServerProxyLegacyPort needs constraint APIServerProxyUsesHTTPProxy with status True, 5000 shoots lack it: .*, and \d+ more; RemoveHTTPProxyLegacyPort needs constraint UsesUnifiedHTTPProxyPort with status True, 5000 shoots lack it: .*, and \d+ more$/,
    );
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_DENIAL_BYTES);
  });
});

describe('denialMessage with reasons, refusals and the release', () => {
  const gate = removalGate('RemoveHTTPProxyLegacyPort')!;
  const summaries = (count: number): ShootSummary[] =>
    many(count).map((key, i) => {
      const [namespace, name] = key.split('/');
      const failing = i % 3 === 0 ? { state: 'Error', description: 'e'.repeat(500) } : { state: 'Succeeded' };
      return summarizeShoot(
        {
          metadata: { name, namespace },
          spec: { seedName: 's', provider: { workers: [{}] }, hibernation: { enabled: i % 3 === 1 } },
          status: { lastOperation: { type: 'Reconcile', ...failing } },
        },
        new Set([gate.constraint]),
      ) as ShootSummary;
    });

  it('stays bounded with 10,000 blockers over several reasons, a refusal and a long release source', () => {
    const all = summaries(10_000);
    const message = denialMessage(
      'aws-eu1',
      [
        {
          gate: gate.gate,
          constraint: gate.constraint,
          shoots: all.map((s) => `${s.namespace}/${s.name}`),
          reasons: groupByReason(all, gate, 10),
        },
      ],
      { version: 'v1.149.0', source: `Seed ${'x'.repeat(63)} status.gardener.version` },
      ['unrecognized feature gate: UseUnifiedHTTPProxyPort (gardenlet v1.149.0 does not know it: removed in v1.145)'],
    );
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_DENIAL_BYTES);
    expect(message).toMatch(/^gardenlet v1\.149\.0 would not start: unrecognized feature gate: UseUnifiedHTTPProxyPort/);
    expect(message).toMatch(
      /last-operation-failed 3334 \(fix the error, reconcile\): .*; hibernated 3333 \(wake it or wait\): .*, and \d+ more; constraint-missing 3333 /,
    );
    expect(message).toMatch(/ \[judged for gardenlet v1\.149\.0, from Seed x+ status\.gardener\.version\]$/);
    // A failed operation's error is for the audit, not the denial.
    expect(message).not.toContain('eeee');
  });

  it('says when the release was not known', () => {
    expect(denialMessage('s', [{ gate: gate.gate, constraint: gate.constraint, shoots: ['a/b'] }], { source: 'nothing' })).toBe(
      `${gate.gardenletError}; on seed s, 1 shoot does not: a/b [not release-aware: no gardenlet release known]`,
    );
  });
});

describe('warnings', () => {
  it('name the release assumed and where it came from, or that validation was not release-aware', () => {
    expect(releaseWarning({ version: 'v1.121.3', source: 'Seed aws-eu2 status.gardener.version' })).toBe(
      'gardenlet v1.121.3 assumed (from Seed aws-eu2 status.gardener.version)',
    );
    expect(releaseWarning({ version: 'v1.151.0', source: '--gardener-version' }, 'v1.150')).toBe(
      'gardenlet v1.151.0 assumed (from --gardener-version), newer than known: judged as v1.150',
    );
    expect(releaseWarning({ source: 'x' })).toBe(
      'validation was not release-aware: no gardenlet release in the object, its seed or --gardener-version',
    );
  });

  it.each(REMOVAL_GATES.map((g) => [g.gate, g]))('for %s fit in 120 characters with a 20-character seed name', (_name, gate) => {
    const seed = 'aws-eu1-production-x';
    for (const warning of [
      alreadyOnWarning(gate, seed, 12_345),
      inheritedWarning(gate, seed, 12_345),
      inheritedWarning(gate, seed, undefined),
      inheritedWarning(gate, seed, 12_345, 'on by default'),
      notCountedWarning(NO_SHOOT_INDEX),
      notCountedWarning(NOT_SYNCED),
    ]) {
      expect(warning.length, warning).toBeLessThanOrEqual(MAX_WARNING_LENGTH);
    }
  });
});
