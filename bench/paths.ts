// Paths inside the repository, found from this file so the compiled benchmark (dist/bench) and the
// sources agree on where fixtures and results live.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

let root: string | undefined;

export function repoRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'fixtures'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (package.json beside test/fixtures)');
    dir = parent;
  }
  root = dir;
  return dir;
}

/** The compiled server entry point, beside this file. */
export function serverEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'server.js');
}

export function resultsDir(): string {
  return join(repoRoot(), 'bench', 'results');
}

/** All YAML documents of a fixture under test/fixtures (comments dropped). */
export function fixtureDocuments(relative: string): unknown[] {
  return yaml.loadAll(readFileSync(join(repoRoot(), 'test', 'fixtures', relative), 'utf8')).filter((d) => d != null);
}

export function fixture<T>(relative: string): T {
  const [first] = fixtureDocuments(relative);
  if (first === undefined) throw new Error(`fixture ${relative} is empty`);
  return first as T;
}
