// Envoy's matching rules the preflight relies on, one row per rule.
import { describe, expect, it } from 'vitest';
import { connectRequest, headerMatches, routeMatches, selectVirtualHost, stringMatches } from '../../src/preflight/envoy-matchers.js';
import { PreflightInputError } from '../../src/preflight/errors.js';
import { re2FullMatch } from '../../src/preflight/re2.js';

const request = connectRequest('api.bar.foo.internal.example.com.:443', {
  'Reversed-VPN': 'outbound|443||kube-apiserver.shoot--foo--bar.svc.cluster.local',
});

describe('RE2 as Envoy applies it', () => {
  it.each([
    ['matches the whole value, not a substring', 'kube-apiserver', 'outbound|443||kube-apiserver.x', false],
    ['anchors are redundant', '^a.c$', 'abc', true],
    ['. does not match a newline', 'a.c', 'a\nc', false],
    ['Perl classes', String.raw`\d+`, '8132', true],
    ['POSIX classes', '[[:alpha:]]+', 'abc', true],
    ['case folding flag', '(?i)reversed-vpn', 'Reversed-VPN', true],
  ])('%s', (_, pattern, value, expected) => {
    expect(re2FullMatch(pattern, value)).toBe(expected);
  });

  it.each([
    ['lookahead', 'a(?=b)'],
    ['lookbehind', '(?<=a)b'],
    ['backreference', String.raw`(a)\1`],
    ['possessive quantifier', 'a++'],
    ['repeat count above 1000', 'a{1001}'],
  ])('refuses %s, which RE2 does not support', (_, pattern) => {
    expect(() => re2FullMatch(pattern, 'ab')).toThrow(PreflightInputError);
    expect(() => re2FullMatch(pattern, 'ab')).toThrow(/is not valid RE2/);
  });
});

describe('string and header matchers', () => {
  it.each([
    [{ exact: 'CONNECT' }, 'CONNECT', true],
    [{ exact: 'connect', ignore_case: true }, 'CONNECT', true],
    [{ prefix: 'outbound|443' }, 'outbound|443||x', true],
    [{ suffix: '.local' }, 'x.svc.cluster.local', true],
    [{ contains: '.shoot--foo--bar.' }, 'outbound|443||kube-apiserver.shoot--foo--bar.svc', true],
    [{ safe_regex: { regex: 'out.*' } }, 'outbound', true],
    [{ safeRegex: { regex: 'in.*' } }, 'outbound', false],
  ])('%j on %s is %s', (matcher, value, expected) => {
    expect(stringMatches(matcher, value)).toBe(expected);
  });

  it('refuses a string matcher it does not know', () => {
    expect(() => stringMatches({ custom: { name: 'x' } }, 'v')).toThrow(/not one the preflight evaluates/);
  });

  it.each([
    ['header names are case-insensitive', { name: 'reversed-vpn', present_match: true }, true],
    ['an absent header fails a value matcher', { name: 'X-Gardener-Destination', string_match: { prefix: '' } }, false],
    [
      'an absent header fails it even inverted',
      { name: 'X-Gardener-Destination', invert_match: true, string_match: { exact: 'x' } },
      false,
    ],
    ['an absent header matches present_match: false', { name: 'X-Gardener-Destination', present_match: false }, true],
    [
      'treat_missing_header_as_empty',
      { name: 'X-Gardener-Destination', treat_missing_header_as_empty: true, string_match: { exact: '' } },
      true,
    ],
    ['the :method pseudo-header, inverted', { name: ':method', invert_match: true, string_match: { exact: 'CONNECT' } }, false],
    ['no specifier means present', { name: 'Reversed-VPN' }, true],
  ])('%s', (_, matcher, expected) => {
    expect(headerMatches(matcher, request)).toBe(expected);
  });

  it('refuses range matches', () => {
    expect(() => headerMatches({ name: 'Reversed-VPN', range_match: { start: 1, end: 2 } }, request)).toThrow(PreflightInputError);
  });
});

describe('route and virtual host selection', () => {
  it('an HTTP/1.1 CONNECT has no path: only connect_matcher matches it', () => {
    expect(routeMatches({ connect_matcher: {} }, request)).toBe(true);
    expect(routeMatches({ prefix: '/' }, request)).toBe(false);
  });

  it('refuses match fields it does not evaluate', () => {
    expect(() => routeMatches({ connect_matcher: {}, runtime_fraction: { default_value: { numerator: 1 } } }, request)).toThrow(
      /runtime_fraction/,
    );
    expect(() => routeMatches({ headers: [] }, request)).toThrow(/no path specifier/);
  });

  it('prefers exact, then suffix, then prefix wildcards, then *', () => {
    const hosts = [
      { name: 'all', domains: ['*'] },
      { name: 'prefix', domains: ['api.*'] },
      { name: 'suffix', domains: ['*.example.com.:443'] },
    ];
    expect(selectVirtualHost(hosts, 'api.bar.example.com.:443')?.name).toBe('suffix');
    expect(selectVirtualHost(hosts, 'api.other:443')?.name).toBe('prefix');
    expect(selectVirtualHost(hosts, 'vpn.other:443')?.name).toBe('all');
    expect(selectVirtualHost([{ name: 'api-only', domains: ['api.*'] }], 'vpn.other:443')).toBeUndefined();
  });
});
