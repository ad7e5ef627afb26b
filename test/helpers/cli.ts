import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../server/project-root.js';

/**
 * Runs one of the npm CLIs (`server/cli/<name>.ts`, through tsx) with `env` added to ours and `stdin` written to it;
 * resolves with its exit code and everything it wrote to stdout and stderr.
 */
export function runCli(name: string, args: string[], env: Record<string, string>, stdin = '') {
  const root = projectRoot();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'server', 'cli', `${name}.ts`), ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, out })),
  );
}
