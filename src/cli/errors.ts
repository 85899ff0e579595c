// The command line's one mapping from outcomes and errors to exit codes, shared by every command:
// 0 done (admitted, ready), 1 a negative verdict (denied, not ready) or a failure, 2 bad input.
import { CommanderError } from '@commander-js/extra-typings';
import { InputError } from '../util/input-error.js';

export const EXIT_OK = 0;
/** A verdict against the input (denied, rejected, not ready); also any failure that is not bad input. */
export const EXIT_NEGATIVE = 1;
export const EXIT_BAD_INPUT = 2;

// A command line the CLI refuses (conflicting or missing flags): bad input like any other, exit code 2.
export class UsageError extends InputError {}

/** A verdict command's answer: 0 when the input passed, 1 when it did not. */
export function exitWithVerdict(passed: boolean): void {
  if (!passed) process.exitCode = EXIT_NEGATIVE;
}

/** The exit code for an error a command raised, and the line to print (commander prints its own). */
export function exitFor(err: unknown): { code: number; message?: string } {
  if (err instanceof CommanderError) return { code: err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT };
  // Bad input from any layer (a flag, a file, a kubeconfig): one line, exit code 2.
  if (err instanceof InputError) return { code: EXIT_BAD_INPUT, message: `error: ${err.message}` };
  return { code: EXIT_NEGATIVE, message: `error: ${(err as Error | undefined)?.message ?? String(err)}` };
}
