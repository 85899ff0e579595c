// Global setup: compiles the CLI from the current sources into a cache directory, so CLI tests run
// the real binary and never a stale dist/ (nor overwrite it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the compiled `http-proxy-migrator` entry point. */
    cliPath: string;
  }
}

export default function setup(project: TestProject): void {
  const root = resolve(import.meta.dirname, '../..');
  const outDir = join(root, 'node_modules', '.cache', 'http-proxy-migrator-test', 'build');
  mkdirSync(outDir, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // Type errors are the typecheck's business; emit anyway so CLI tests still report behaviour.
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, '--incremental', '--tsBuildInfoFile', join(outDir, '.tsbuildinfo')],
    { cwd: root, encoding: 'utf8' },
  );
  const cliPath = join(outDir, 'src', 'cli', 'main.js');
  if (result.error || !existsSync(cliPath)) {
    throw new Error(`building the CLI failed: ${result.error?.message ?? result.stdout}`);
  }
  // Inside node_modules Node does not look past the directory for "type": "module".
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  project.provide('cliPath', cliPath);
}
