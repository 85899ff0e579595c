// The README's commands, run as written: every `http-proxy-migrator` command in its code blocks runs
// from a directory that has the repository's `examples/`, in the README's order (later commands use what
// earlier ones wrote, such as certs/), unless it is marked `# needs a cluster`, `# needs kubectl` or
// `# needs Docker`. `# exit N` names the expected exit code (default 0). kubectl and docker commands
// must carry such a mark. `serve` is started on free ports and stopped once it has announced itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Example {
  line: string;
  args: string[];
  needs?: string;
  exitCode: number;
}

/** Command lines of fenced and indented code blocks, continuation lines joined. */
function codeLines(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const raw of markdown.split('\n')) {
    if (/^```/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    const code = fenced ? raw : /^ {4}\S/.test(raw) ? raw.slice(4) : undefined;
    if (code === undefined) continue;
    const previous = lines.at(-1);
    if (previous?.endsWith('\\')) lines[lines.length - 1] = `${previous.slice(0, -1).trimEnd()} ${code.trim()}`;
    else lines.push(code.trim().replace(/^\$ /, ''));
  }
  return lines;
}

const NEEDS = /#\s*needs (a cluster|kubectl|Docker)\b/;

function examples(): Example[] {
  return codeLines(readme)
    .filter((line) => /^(npx )?http-proxy-migrator /.test(line))
    .map((line) => {
      const commentAt = line.indexOf(' #');
      const command = commentAt === -1 ? line : line.slice(0, commentAt);
      const comment = commentAt === -1 ? '' : line.slice(commentAt);
      return {
        line,
        args: command.trim().replace(/^npx /, '').split(/\s+/).slice(1),
        needs: NEEDS.exec(comment)?.[1],
        exitCode: Number(/#\s*exit (\d)/.exec(comment)?.[1] ?? 0),
      };
    });
}

const dir = mkdtempSync(join(tmpdir(), 'hpm-readme-'));
symlinkSync(join(root, 'examples'), join(dir, 'examples'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runnable = examples().filter((e) => !e.needs);

describe('the README', () => {
  it('has a runnable example for every command that works on local files', () => {
    const commands = new Set(
      runnable.map((e) => (e.args[0] === 'register' && e.args.includes('--dry-run') ? 'register --dry-run' : e.args[0])),
    );
    for (const command of ['mutate', 'review', 'validate', 'audit', 'preflight', 'manifests', 'certs', 'register --dry-run', 'serve']) {
      expect(commands, command).toContain(command);
    }
  });

  it('marks every command that needs a cluster, kubectl or Docker, and writes the others without shell syntax', () => {
    for (const line of codeLines(readme).filter((l) => /^(kubectl|docker) /.test(l))) expect(line, line).toMatch(NEEDS);
    // Run without a shell: placeholders, variables and redirections would not run as written.
    for (const example of runnable) expect(example.line, example.line).not.toMatch(/[<>$|[\]]/);
  });

  // One after another, in the README's order: certs/ from an earlier command is used by later ones.
  it.each(runnable.map((e) => [e.line, e] as const))(
    'runs `%s` as written',
    async (_line, example) => {
      if (example.args[0] === 'serve') return expectServes(example.args);
      const result = await runCli(example.args, { cwd: dir, timeoutMs: 30_000 });
      expect(result.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([]);
      expect(result.code).toBe(example.exitCode);
      expect(result.stdout.length).toBeGreaterThan(0);
    },
    40_000,
  );
});

/** `serve` as written, on free loopback ports (flags given last win): it must announce itself and stop cleanly. */
async function expectServes(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [inject('cliPath'), ...args, '--host', '127.0.0.1', '--port', '0', '--metrics-port', '0'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await new Promise<void>((announced, failed) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/webhooks on https:\/\/\S+, probes and metrics on http:\/\/\S+/.test(stderr)) announced();
    });
    void exited.then((code) => failed(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}
