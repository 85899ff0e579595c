// Summaries keep only what the rule reads; the index follows shoots between seeds.
import { describe, expect, it } from 'vitest';
import type { ShootSummary } from '../../src/gardener/services.js';
import { ShootIndex } from '../../src/gardener/shoot-index.js';
import { isSummary, responsibleSeed, summarizeShoot } from '../../src/gardener/shoot-summary.js';
import { GATE_CONSTRAINTS } from '../../src/gardener/removal-gates.js';

const summary = (name: string, seed: string | undefined): ShootSummary => ({
  namespace: 'garden-p',
  name,
  seed,
  workerless: false,
  constraints: {},
});

describe('responsibleSeed (gardener GetResponsibleSeedName)', () => {
  it.each([
    [undefined, undefined, undefined],
    [undefined, 'b', undefined],
    ['a', undefined, 'a'],
    ['a', 'a', 'a'],
    ['a', 'b', 'b'],
  ])('spec %s, status %s -> %s', (spec, status, expected) => {
    expect(responsibleSeed(spec, status)).toBe(expected);
  });
});

describe('summarizeShoot', () => {
  it('keeps the gate constraints only, and nothing of spec beyond the seed and the workers count', () => {
    const shoot = summarizeShoot(
      {
        metadata: { name: 'a', namespace: 'garden-p', annotations: { big: 'x'.repeat(1000) } },
        spec: { seedName: 's', provider: { workers: [{ name: 'w' }] }, secretBindingName: 'creds' },
        status: {
          lastOperation: { type: 'Reconcile', state: 'Succeeded', description: 'long text' },
          constraints: [
            { type: 'HibernationPossible', status: 'True' },
            { type: 'UsesUnifiedHTTPProxyPort', status: 'False', message: 'm' },
          ],
        },
      },
      GATE_CONSTRAINTS,
    );
    expect(shoot).toEqual({
      namespace: 'garden-p',
      name: 'a',
      seed: 's',
      workerless: false,
      lastOperation: { type: 'Reconcile', state: 'Succeeded' },
      constraints: { UsesUnifiedHTTPProxyPort: 'False' },
    });
  });

  it.each([
    ['no workers list', {}],
    ['an empty workers list', { workers: [] }],
  ])('calls a shoot with %s workerless', (_name, provider) => {
    const shoot = summarizeShoot({ metadata: { name: 'a', namespace: 'n' }, spec: { provider } }, GATE_CONSTRAINTS);
    expect(isSummary(shoot) && shoot.workerless).toBe(true);
  });

  it.each([
    [{}, 'metadata.name is missing'],
    [{ metadata: { name: 'a' } }, 'shoot a has no metadata.namespace'],
    ['text', 'not an object'],
  ])('refuses %j: %s', (raw, error) => {
    expect(summarizeShoot(raw, GATE_CONSTRAINTS)).toEqual({ error });
  });
});

describe('ShootIndex', () => {
  it('is not synced until told, and then lists shoots by seed', () => {
    const index = new ShootIndex();
    expect(index.synced()).toBe(false);
    index.upsert(summary('a', 's1'));
    index.upsert(summary('b', 's2'));
    index.upsert(summary('c', undefined));
    index.markSynced();
    expect(index.synced()).toBe(true);
    expect(index.seeds()).toEqual(['s1', 's2']);
    expect(index.shootsOfSeed('s1').map((s) => s.name)).toEqual(['a']);
    expect(index.shootsOfSeed('unknown')).toEqual([]);
    expect(index.size).toBe(3);
  });

  it('moves a shoot whose responsible seed changes, and forgets a removed one', () => {
    const index = ShootIndex.of([summary('a', 's1')]);
    index.upsert(summary('a', 's2'));
    expect(index.seeds()).toEqual(['s2']);
    index.remove('garden-p', 'a');
    expect(index.seeds()).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('drops shoots missing from a new full list', () => {
    const index = ShootIndex.of([summary('a', 's1'), summary('b', 's1')]);
    index.replaceAll([summary('b', 's1')]);
    expect(index.shootsOfSeed('s1').map((s) => s.name)).toEqual(['b']);
  });
});

describe('ShootIndex.derive', () => {
  const shoot = (name: string, seed: string, status = 'False'): ShootSummary => ({
    namespace: 'garden-p',
    name,
    seed,
    workerless: false,
    lastOperation: { type: 'Reconcile', state: 'Succeeded' },
    constraints: { UsesUnifiedHTTPProxyPort: status },
  });

  it("keeps a seed's derived value until one of that seed's shoots changes, and only then", () => {
    const index = ShootIndex.of([shoot('a', 'seed-1'), shoot('b', 'seed-2')]);
    let computed = 0;
    const names = () =>
      index.derive('seed-1', 'names', (shoots) => {
        computed++;
        return shoots.map((s) => s.name);
      });
    expect(names()).toEqual(['a']);
    expect(names()).toEqual(['a']);
    expect(computed).toBe(1);
    index.upsert(shoot('c', 'seed-2'));
    expect(names()).toEqual(['a']);
    expect(computed).toBe(1);
    index.upsert(shoot('a', 'seed-1', 'True'));
    index.upsert(shoot('d', 'seed-1'));
    expect(names()).toEqual(['a', 'd']);
    expect(computed).toBe(2);
    index.remove('garden-p', 'd');
    expect(names()).toEqual(['a']);
    index.upsert(shoot('a', 'seed-2'));
    expect(names()).toEqual([]);
    expect(computed).toBe(4);
  });
});
