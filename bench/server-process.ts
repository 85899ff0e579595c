// Starting and stopping the server under test as a child process pinned to the server's core, and
// timing it from spawn to ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { pinnedToServerCore } from './cores.js';
import { serverEntry } from './paths.js';

export interface ServerProcessOptions {
  mode: 'real' | 'baseline';
  scenario: string;
  certDir: string;
  shootsFile?: string;
  logFile?: string;
  /** Run under --cpu-prof and write the profile here on exit. */
  profileDir?: string;
}

export interface ServerProcess {
  pid: number;
  port: number;
  metricsPort?: number;
  /** Milliseconds from spawn to ready: /readyz answering 200 for the real server, listening for the baseline. */
  readyMs: number;
  /** SIGTERM, then SIGKILL if it lingers; resolves when it is gone. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const args = [...nodeArgs, serverEntry(), options.mode, options.scenario, options.certDir];
  if (options.shootsFile) args.push('--shoots', options.shootsFile);
  if (options.logFile) args.push('--log', options.logFile);
  const { command, args: pinnedArgs } = pinnedToServerCore(process.execPath, args);

  const spawnedAt = performance.now();
  const child = spawn(command, pinnedArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-8192);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    const ports = await firstLine(child, () => stderr);
    if (ports.metricsPort !== undefined) await untilReady(ports.metricsPort, spawnedAt + START_TIMEOUT_MS);
    return {
      pid: child.pid!,
      port: ports.port,
      metricsPort: ports.metricsPort,
      readyMs: performance.now() - spawnedAt,
      stop: () => stop(child, exited),
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

function firstLine(child: ChildProcess, stderr: () => string): Promise<{ port: number; metricsPort?: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms\n${stderr()}`)), START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.slice(0, newline)) as { port: number; metricsPort?: number });
      } catch {
        reject(new Error(`server printed ${JSON.stringify(out.slice(0, newline))} instead of its ports`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal ?? code}) before listening\n${stderr()}`));
    });
  });
}

async function untilReady(metricsPort: number, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    if ((await readyzStatus(metricsPort)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`server not ready within ${START_TIMEOUT_MS} ms`);
}

function readyzStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
