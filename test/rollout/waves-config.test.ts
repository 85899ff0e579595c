// The waves file: the example parses as written; every wrong field is refused with its path.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SOAK_MS, parseWavesConfig, WavesConfigError } from '../../src/rollout/waves-config.js';

const wave = (extra: Record<string, unknown> = {}) => ({ name: 'first', target: 'unified', selector: {}, ...extra });

describe('waves configuration', () => {
  it('reads the example in examples/', () => {
    const config = parseWavesConfig(yaml.load(readFileSync('examples/rollout-waves.yaml', 'utf8')));
    expect(config.soakMs).toBe(30 * 60_000);
    expect(config.waves.map((w) => w.name)).toEqual(['operators', 'canaries', 'evaluation-and-development', 'ten-percent', 'rest']);
    expect(config.waves[3]!.selector).toEqual({ percent: 10 });
  });

  it('defaults the soak time to 30 minutes and keeps every selector field', () => {
    const selector = {
      labels: { 'a.example.com/x': 'y' },
      annotations: { b: 'c' },
      purposes: ['evaluation'],
      projects: ['ops'],
      percent: 12.5,
    };
    const config = parseWavesConfig({ waves: [wave({ target: 'tls-tunnel', selector })] });
    expect(config).toEqual({
      soakMs: DEFAULT_SOAK_MS,
      moveTimeoutMs: 60 * 60_000,
      waves: [{ name: 'first', target: 'tls-tunnel', selector }],
    });
  });

  it.each<[string, unknown, string]>([
    ['a list at the top', [], '(document)'],
    ['no waves', {}, 'waves'],
    ['empty waves', { waves: [] }, 'waves'],
    ['an unknown top-level field', { waves: [wave()], wave: [] }, 'wave'],
    ['a wrong apiVersion', { apiVersion: 'v1', waves: [wave()] }, 'apiVersion'],
    ['a wrong kind', { kind: 'Waves', waves: [wave()] }, 'kind'],
    ['a soak time that is no duration', { soakTime: '30 minutes', waves: [wave()] }, 'soakTime'],
    ['a soak time as a number', { soakTime: 1800, waves: [wave()] }, 'soakTime'],
    ['a zero move timeout', { moveTimeout: '0s', waves: [wave()] }, 'moveTimeout'],
    ['a wave that is no mapping', { waves: ['first'] }, 'waves[0]'],
    ['a wave without name', { waves: [wave({ name: undefined })] }, 'waves[0].name'],
    ['a name that is no DNS label', { waves: [wave({ name: 'First Wave' })] }, 'waves[0].name'],
    ['a repeated name', { waves: [wave(), wave()] }, 'waves[1].name'],
    ['an unknown target', { waves: [wave(), wave({ name: 'second', target: 'legacy' })] }, 'waves[1].target'],
    ['no selector', { waves: [wave({ selector: undefined })] }, 'waves[0].selector'],
    ['an unknown wave field', { waves: [wave({ phase: 'unified' })] }, 'waves[0].phase'],
    ['an unknown selector field', { waves: [wave({ selector: { purpose: 'evaluation' } })] }, 'waves[0].selector.purpose'],
    [
      'a label value that is no string',
      { waves: [wave({ selector: { labels: { canary: true } } })] },
      'waves[0].selector.labels["canary"]',
    ],
    ['an invalid label key', { waves: [wave({ selector: { labels: { 'a b': 'c' } } })] }, 'waves[0].selector.labels["a b"]'],
    ['an unknown purpose', { waves: [wave({ selector: { purposes: ['evaluation', 'prod'] } })] }, 'waves[0].selector.purposes[1]'],
    ['an empty project list', { waves: [wave({ selector: { projects: [] } })] }, 'waves[0].selector.projects'],
    ['percent 0', { waves: [wave({ selector: { percent: 0 } })] }, 'waves[0].selector.percent'],
    ['percent above 100', { waves: [wave({ selector: { percent: 101 } })] }, 'waves[0].selector.percent'],
    ['percent finer than a hundredth', { waves: [wave({ selector: { percent: 0.001 } })] }, 'waves[0].selector.percent'],
    ['percent as a string', { waves: [wave({ selector: { percent: '10%' } })] }, 'waves[0].selector.percent'],
  ])('refuses %s, naming the field', (_, raw, field) => {
    let error: unknown;
    try {
      parseWavesConfig(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WavesConfigError);
    expect((error as WavesConfigError).field).toBe(field);
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  });

  it('refuses more waves than anyone stages, without reading them all', () => {
    const waves = Array.from({ length: 51 }, (_, i) => wave({ name: `w${i}` }));
    expect(() => parseWavesConfig({ waves })).toThrow(/^waves: at most 50 waves$/);
  });
});
