// Spawns `register <args>` and waits for it to announce its operator listener; killed after the test.
import { spawn } from 'node:child_process';
import { inject, onTestFinished } from 'vitest';

export function spawnRegister(args: string[]): Promise<{ statusUrl: string; stderr: () => string }> {
  const child = spawn(process.execPath, [inject('cliPath'), 'register', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBERNETES_SERVICE_HOST: '' },
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      const m = /probes, metrics and status on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ statusUrl: m[1]!, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`register exited with ${code} before announcing: ${stderr}`)));
  });
}
