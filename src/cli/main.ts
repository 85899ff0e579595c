#!/usr/bin/env node
// The http-proxy-migrator command line. Errors become exit codes in errors.ts only.
import { buildProgram } from './program.js';
import { exitFor } from './errors.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  const { code, message } = exitFor(err);
  if (message !== undefined) process.stderr.write(`${message}\n`);
  process.exitCode = code;
}
