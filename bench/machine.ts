// The machine a result came from, for the report and the results file.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { RUNNER_CORE, SERVER_CORE, allowedCores, canPin } from './cores.js';
import type { Machine } from './report.js';

export function describeMachine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux: os.cpus() has it
  }
  const pinned = canPin()
    ? `server pinned to core ${SERVER_CORE}, load generator to core ${allowedCores() === RUNNER_CORE ? RUNNER_CORE : `${allowedCores()} (NOT pinned)`}`
    : 'NOT pinned (needs taskset and two cores): server and load generator share the CPUs';
  return { cores: cpus().length, cpuModel: cpuModel.trim(), node: process.version, pinned };
}
