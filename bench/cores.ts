// CPU pinning: the server under test on core 0, the load generator on core 1, so neither steals the
// other's cycles and the server's numbers mean "one core". Without taskset or a second core the run
// is unpinned, and the report says so.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const SERVER_CORE = '0';
export const RUNNER_CORE = '1';
const PINNED_MARK = 'HTTP_PROXY_MIGRATOR_BENCH_PINNED';

let tasksetFound: boolean | undefined;

export function canPin(): boolean {
  tasksetFound ??= spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
  // All online cores, not availableParallelism(): once pinned, this process itself may use only one.
  return tasksetFound && cpus().length >= 2;
}

/** The cores this process may run on, as the kernel lists them ("0-1", "1"). */
export function allowedCores(): string {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Runs this very script again under `taskset -c 1` unless it already is pinned there; returns true
 * when the caller should exit with the child's status (set on process.exitCode).
 */
export function reexecPinned(): boolean {
  if (!canPin() || process.env[PINNED_MARK] || allowedCores() === RUNNER_CORE) return false;
  const result = spawnSync('taskset', ['-c', RUNNER_CORE, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [PINNED_MARK]: '1' },
  });
  process.exitCode = result.status ?? 1;
  return true;
}

/** The command line for a process pinned to the server's core, or unpinned when that is impossible. */
export function pinnedToServerCore(command: string, args: string[]): { command: string; args: string[] } {
  return canPin() ? { command: 'taskset', args: ['-c', SERVER_CORE, command, ...args] } : { command, args };
}
