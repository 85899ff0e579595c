// System programs some tests drive (promtool, chromium). Where one is missing the test is skipped on a
// developer machine, but fails in CI (CI=true), where .ci/run installs them: nothing passes vacuously.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export function findBinary(...names: string[]): string | undefined {
  for (const name of names) {
    const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
    for (const path of candidates) {
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // next candidate
      }
    }
  }
  return undefined;
}

/** The binary's path; throws in CI when it is missing, so the suite fails instead of skipping. */
export function requireBinary(what: string, ...names: string[]): string | undefined {
  const found = findBinary(...names);
  if (!found && IN_CI)
    throw new Error(`${what} (${names.join(' or ')}) is not installed: .ci/run installs it; without it these tests cannot run`);
  return found;
}
