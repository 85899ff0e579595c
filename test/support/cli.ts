// Running the built CLI as a child process: one-shot commands, and `serve` with its announced URLs.
import { spawn, type ChildProcess } from 'node:child_process';
import { inject, onTestFinished } from 'vitest';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  cwd?: string;
  /** Flags for node itself, such as `--max-old-space-size=256`, to bound what a hostile input may take. */
  nodeFlags?: string[];
  /** Killed (SIGKILL, reported as `signal`) if still running after this long. */
  timeoutMs?: number;
}

/** Runs `http-proxy-migrator <args>` to completion; `input` is written to its standard input. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), inject('cliPath'), ...args], { cwd: options.cwd, stdio: 'pipe' });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `serve` on loopback with ports the kernel picks, as every test that spawns it wants. */
export const LOOPBACK_SERVE_ARGS = ['--host', '127.0.0.1', '--port', '0', '--metrics-port', '0'];

export interface ServeProcess {
  child: ChildProcess;
  /** https://localhost:<port>, as announced */
  url: string;
  /** http://localhost:<port>, as announced */
  metricsUrl: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `serve <args>` in a test and waits for its announcement on stderr; killed after the test if still running. */
export function spawnServe(args: string[], options: { cwd?: string } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [inject('cliPath'), 'serve', ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      const m = /webhooks on (https:\/\/\S+), probes and metrics on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1]!, metricsUrl: m[2]!, stdout: () => stdout, stderr: () => stderr, exited });
    });
    void exited.then(({ code }) => reject(new Error(`serve exited with ${code} before announcing: ${stderr}`)));
  });
}
