// Envoy's route matching (envoy.config.route.v3) for one HTTP/1.1 CONNECT request, as far as the
// preflight needs it. Matchers it cannot evaluate are refused, never assumed to match or not.
import { PreflightInputError } from './errors.js';
import { field, listField, objectField, stringField, type Json } from './fields.js';
import { isRecord } from '../util/is-record.js';
import { re2FullMatch } from './re2.js';

/** An HTTP/1.1 CONNECT: `:method` and `:authority`, the headers sent, and no path. */
export interface ConnectRequest {
  authority: string;
  /** Lower-cased header name -> value, pseudo-headers included. */
  headers: Map<string, string>;
}

export function connectRequest(authority: string, headers: Record<string, string>): ConnectRequest {
  const map = new Map<string, string>([
    [':method', 'CONNECT'],
    [':authority', authority],
  ]);
  for (const [key, value] of Object.entries(headers)) map.set(key.toLowerCase(), value);
  return { authority, headers: map };
}

/** envoy.type.matcher.v3.StringMatcher. */
export function stringMatches(matcher: Json, value: string): boolean {
  const ignoreCase = field(matcher, 'ignore_case') === true;
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const exact = stringField(matcher, 'exact');
  if (exact !== undefined) return fold(value) === fold(exact);
  const prefix = stringField(matcher, 'prefix');
  if (prefix !== undefined) return fold(value).startsWith(fold(prefix));
  const suffix = stringField(matcher, 'suffix');
  if (suffix !== undefined) return fold(value).endsWith(fold(suffix));
  const contains = stringField(matcher, 'contains');
  if (contains !== undefined) return fold(value).includes(fold(contains));
  const safeRegex = objectField(matcher, 'safe_regex');
  if (safeRegex) return regexMatches(safeRegex, value);
  throw new PreflightInputError(`string matcher ${JSON.stringify(matcher)} is not one the preflight evaluates`);
}

/** envoy.type.matcher.v3.RegexMatcher: RE2, whole value. */
function regexMatches(matcher: Json, value: string): boolean {
  const regex = stringField(matcher, 'regex');
  if (regex === undefined) throw new PreflightInputError(`safe_regex ${JSON.stringify(matcher)} has no regex`);
  return re2FullMatch(regex, value);
}

/** envoy.config.route.v3.HeaderMatcher, with Envoy's rule for absent headers. */
export function headerMatches(matcher: Json, request: ConnectRequest): boolean {
  const name = stringField(matcher, 'name');
  if (!name) throw new PreflightInputError(`header matcher ${JSON.stringify(matcher)} has no name`);
  const invert = field(matcher, 'invert_match') === true;
  const presentMatch = field(matcher, 'present_match');
  let value = request.headers.get(name.toLowerCase());
  if (value === undefined && field(matcher, 'treat_missing_header_as_empty') === true) value = '';
  if (value === undefined) {
    // Envoy: an absent header matches only "present_match: false", or "present_match: true" inverted.
    if (typeof presentMatch !== 'boolean') return false;
    return invert ? presentMatch : !presentMatch;
  }
  return matchesPresentValue(matcher, value) !== invert;
}

function matchesPresentValue(matcher: Json, value: string): boolean {
  const stringMatch = objectField(matcher, 'string_match');
  if (stringMatch) return stringMatches(stringMatch, value);
  const exact = stringField(matcher, 'exact_match');
  if (exact !== undefined) return value === exact;
  const safeRegex = objectField(matcher, 'safe_regex_match');
  if (safeRegex) return regexMatches(safeRegex, value);
  const prefix = stringField(matcher, 'prefix_match');
  if (prefix !== undefined) return value.startsWith(prefix);
  const suffix = stringField(matcher, 'suffix_match');
  if (suffix !== undefined) return value.endsWith(suffix);
  const contains = stringField(matcher, 'contains_match');
  if (contains !== undefined) return value.includes(contains);
  const present = field(matcher, 'present_match');
  if (typeof present === 'boolean') return present;
  if (field(matcher, 'range_match') !== undefined || field(matcher, 'regex_match') !== undefined) {
    throw new PreflightInputError(`header matcher ${JSON.stringify(matcher)} is not one the preflight evaluates`);
  }
  // No specifier: Envoy matches on presence.
  return true;
}

const PATH_SPECIFIERS = ['prefix', 'path', 'safe_regex', 'path_separated_prefix', 'path_match_policy'];
const UNEVALUATED_ROUTE_MATCH = ['query_parameters', 'runtime_fraction', 'grpc', 'tls_context', 'dynamic_metadata', 'filter_state', 'cel'];

/** envoy.config.route.v3.RouteMatch for a CONNECT: only connect_matcher can match it, as HTTP/1.1 CONNECT has no path. */
export function routeMatches(match: Json, request: ConnectRequest): boolean {
  for (const name of UNEVALUATED_ROUTE_MATCH) {
    const value = field(match, name);
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      throw new PreflightInputError(`route match on ${name} is not evaluated by the preflight`);
    }
  }
  let pathMatches: boolean;
  if (isRecord(field(match, 'connect_matcher'))) pathMatches = true;
  else if (PATH_SPECIFIERS.some((name) => field(match, name) !== undefined)) pathMatches = false;
  else throw new PreflightInputError(`route match ${JSON.stringify(match)} has no path specifier`);
  return pathMatches && listField(match, 'headers').every((h) => isRecord(h) && headerMatches(h, request));
}

/** Envoy's virtual host choice: exact domain, then the longest suffix wildcard, then the longest prefix wildcard, then `*`. */
export function selectVirtualHost<T extends { domains: string[] }>(hosts: readonly T[], authority: string): T | undefined {
  const host = authority.toLowerCase();
  const hostWithoutPort = host.replace(/:\d+$/, '');
  const exact = hosts.find((h) => h.domains.some((d) => d.toLowerCase() === host || d.toLowerCase() === hostWithoutPort));
  if (exact) return exact;
  const best = (pick: (domain: string) => boolean): T | undefined => {
    let chosen: { host: T; length: number } | undefined;
    for (const candidate of hosts) {
      for (const domain of candidate.domains) {
        if (domain !== '*' && pick(domain.toLowerCase()) && (!chosen || domain.length > chosen.length)) {
          chosen = { host: candidate, length: domain.length };
        }
      }
    }
    return chosen?.host;
  };
  return (
    best((d) => d.startsWith('*') && host.endsWith(d.slice(1))) ??
    best((d) => d.endsWith('*') && host.startsWith(d.slice(0, -1))) ??
    hosts.find((h) => h.domains.includes('*'))
  );
}
