#!/usr/bin/env node
// The http-proxy-migrator command line; the one place errors become exit codes.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { InputError } from '../util/input-error.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof InputError) {
    // Bad input from any layer (a flag, a file, a kubeconfig): one line, exit code 2.
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`error: ${(err as Error).message ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
