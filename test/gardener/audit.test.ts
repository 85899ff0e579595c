// The audit over the fixture landscape: migrated, blocking (with the constraint's status) and skipped.
import { describe, expect, it } from 'vitest';
import { auditSeeds } from '../../src/gardener/audit.js';
import { landscape } from '../webhooks/gardenlet-config/fixtures.js';

describe('auditSeeds', () => {
  const [eu1] = auditSeeds(landscape(), 'aws-eu1');

  it('reports RemoveHTTPProxyLegacyPort on aws-eu1 shoot by shoot', () => {
    expect(eu1!.gates.find((g) => g.gate === 'RemoveHTTPProxyLegacyPort')).toEqual({
      gate: 'RemoveHTTPProxyLegacyPort',
      constraint: 'UsesUnifiedHTTPProxyPort',
      migrated: ['garden-foo/alpha', 'garden-qux/lima'],
      blocking: [
        { shoot: 'garden-baz/hotel', status: 'missing' },
        { shoot: 'garden-foo/bravo', status: 'missing' },
        { shoot: 'garden-foo/charlie', status: 'missing' },
        { shoot: 'garden-qux/juliett', status: 'False' },
        { shoot: 'garden-qux/mike', status: 'Unknown' },
      ],
      skipped: [
        { shoot: 'garden-bar/delta', reason: 'workerless' },
        { shoot: 'garden-bar/echo', reason: 'being created (Create Processing)' },
        { shoot: 'garden-bar/foxtrot', reason: 'being deleted (Delete Error)' },
        { shoot: 'garden-qux/kilo', reason: 'no last operation (not reconciled yet)' },
      ],
    });
  });

  it('covers every seed with shoots when none is named', () => {
    expect(auditSeeds(landscape()).map((s) => s.seed)).toEqual(['aws-eu1', 'aws-eu2']);
  });

  it('reports an unknown seed as empty', () => {
    expect(auditSeeds(landscape(), 'nope')[0]!.gates.every((g) => g.migrated.length + g.blocking.length + g.skipped.length === 0)).toBe(true);
  });
});
