// The denial stays short and readable whatever the number of blockers; warnings fit in 120 characters.
import { describe, expect, it } from 'vitest';
import { MAX_WARNING_LENGTH } from '../../../src/admission/warnings.js';
import { REMOVAL_GATES } from '../../../src/gardener/removal-gates.js';
import { alreadyOnWarning, denialMessage, inheritedWarning, notCountedWarning } from '../../../webhooks/gardenlet-config/message.js';
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
    expect(Buffer.byteLength(message)).toBeLessThan(800);
  });

  it('starts with gardenlet\'s own error, so operators recognise the crash loop it prevents', () => {
    for (const gate of REMOVAL_GATES) {
      expect(denialMessage('s', [{ gate: gate.gate, constraint: gate.constraint, shoots: ['a/b'] }])).toBe(`${gate.gardenletError}; on seed s, 1 shoot does not: a/b`);
    }
  });

  it('names fewer shoots rather than grow when names are as long as Kubernetes allows', () => {
    const long = Array.from({ length: 50 }, (_, i) => `${'n'.repeat(63)}/${String(i).padStart(63, 's')}`);
    const message = denialMessage('a-seed-with-a-rather-long-name', [{ gate: 'RemoveHTTPProxyLegacyPort', constraint: 'UsesUnifiedHTTPProxyPort', shoots: long }]);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(800);
    expect(message).toMatch(new RegExp(`${long[0]}, .*, and \\d+ more$`));
  });

  it('gives each gate a short clause when several are turned on at once', () => {
    const message = denialMessage(
      'aws-eu1',
      REMOVAL_GATES.map((g) => ({ gate: g.gate, constraint: g.constraint, shoots: many(5_000) })),
    );
    expect(message).toMatch(/^feature gates cannot be enabled on seed aws-eu1 until every shoot has migrated: RemoveAPIServerProxyLegacyPort needs constraint APIServerProxyUsesHTTPProxy with status True, 5000 shoots lack it: .*, and \d+ more; RemoveHTTPProxyLegacyPort needs constraint UsesUnifiedHTTPProxyPort with status True, 5000 shoots lack it: .*, and \d+ more$/);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(800);
  });
});

describe('warnings', () => {
  it.each(REMOVAL_GATES.map((g) => [g.gate, g]))('for %s fit in 120 characters with a 20-character seed name', (_name, gate) => {
    const seed = 'aws-eu1-production-x';
    for (const warning of [alreadyOnWarning(gate, seed, 12_345), inheritedWarning(gate, seed, 12_345), inheritedWarning(gate, seed, undefined), notCountedWarning(NO_SHOOT_INDEX), notCountedWarning(NOT_SYNCED)]) {
      expect(warning.length, warning).toBeLessThanOrEqual(MAX_WARNING_LENGTH);
    }
  });
});
