// Envoy's safe_regex is Google RE2, matched against the whole value. re2js is a port of RE2 with the
// same syntax and linear-time semantics, so a value matches here exactly when it matches in Envoy;
// a pattern RE2 refuses (lookaround, backreferences, ...) is refused here too rather than guessed at.
import { RE2JS } from 're2js';
import { PreflightInputError } from './errors.js';

const compiled = new Map<string, RE2JS>();

export function re2FullMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      regex = RE2JS.compile(pattern);
    } catch (err) {
      throw new PreflightInputError(`regex ${JSON.stringify(pattern)} is not valid RE2 (${(err as Error).message})`);
    }
    compiled.set(pattern, regex);
  }
  return regex.matches(value);
}
