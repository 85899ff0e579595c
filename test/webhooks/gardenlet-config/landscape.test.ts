// The 13-shoot landscape against the verdicts derived from gardenlet's own check, shoot by shoot.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { blockingShoots, blocks } from '../../../src/gardener/migration-check.js';
import { decide } from '../../../webhooks/gardenlet-config/validate.js';
import { configMapEnabling, fixture, landscape, withConfigText } from './fixtures.js';

interface Expected {
  seed: string;
  results: {
    shoot: string;
    responsibleSeed: string;
    blocksRemoveAPIServerProxyLegacyPort: boolean;
    blocksRemoveHTTPProxyLegacyPort: boolean;
    reason: string;
  }[];
}
const expected = yaml.load(readFileSync(fixture('shoots/expected-validation.aws-eu1.yaml'), 'utf8')) as Expected;
const index = landscape();

describe('the aws-eu1 landscape', () => {
  it('holds all 13 shoots', () => {
    expect(index.size).toBe(13);
    expect(expected.results).toHaveLength(13);
  });

  it.each(expected.results)('$shoot: $reason', (row) => {
    const [namespace, name] = row.shoot.split('/');
    const shoot = index.shootsOfSeed(row.responsibleSeed).find((s) => s.namespace === namespace && s.name === name);
    expect(shoot, `${row.shoot} indexed under ${row.responsibleSeed}`).toBeDefined();
    const relevant = row.responsibleSeed === expected.seed;
    expect(relevant && blocks(shoot!, 'APIServerProxyUsesHTTPProxy')).toBe(row.blocksRemoveAPIServerProxyLegacyPort);
    expect(relevant && blocks(shoot!, 'UsesUnifiedHTTPProxyPort')).toBe(row.blocksRemoveHTTPProxyLegacyPort);
  });

  it('blocks each gate with exactly the expected shoots', () => {
    const ofSeed = index.shootsOfSeed(expected.seed);
    const expectedFor = (key: 'blocksRemoveAPIServerProxyLegacyPort' | 'blocksRemoveHTTPProxyLegacyPort') =>
      expected.results
        .filter((r) => r[key])
        .map((r) => r.shoot)
        .sort();
    expect(blockingShoots(ofSeed, 'APIServerProxyUsesHTTPProxy')).toEqual(expectedFor('blocksRemoveAPIServerProxyLegacyPort'));
    expect(blockingShoots(ofSeed, 'UsesUnifiedHTTPProxyPort')).toEqual(expectedFor('blocksRemoveHTTPProxyLegacyPort'));
  });

  it.each([
    ['RemoveHTTPProxyLegacyPort', ['garden-baz/hotel', 'garden-foo/bravo', 'garden-foo/charlie', 'garden-qux/juliett', 'garden-qux/mike']],
    ['RemoveAPIServerProxyLegacyPort', ['garden-baz/hotel', 'garden-foo/charlie', 'garden-qux/mike']],
  ])('rejects enabling %s on aws-eu1, naming %j', (gate, shoots) => {
    const object = withConfigText(configMapEnabling(), (text) => text.replace('RemoveHTTPProxyLegacyPort: true', `${gate}: true`));
    const decision = decide({ operation: 'CREATE', object }, { shoots: index });
    expect(decision).toMatchObject({ outcome: 'deny', seed: 'aws-eu1', blocking: [{ gate, shoots }] });
  });
});
