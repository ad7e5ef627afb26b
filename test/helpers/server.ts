import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config.js';
import { startRavand, type RunningServer } from '../../server/main.js';
import { projectRoot } from '../../server/project-root.js';
import { freshDbUri } from './database.js';

/** Starts the real server in this process on port 0 against a fresh database. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
  const config: Config = {
    ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: undefined }),
    mongodbUri: freshDbUri(),
    demoSeed: false,
    logLevel: 'warn',
    ...overrides,
  };
  return startRavand(config);
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the URL once the child says it listens; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `server/main.ts` in a child process (through tsx) with `env` added to ours. */
export function spawnServer(env: Record<string, string | undefined>): ServerProcess {
  const root = projectRoot();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) =>
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`)),
    );
  });
  ready.catch(() => undefined);
  return { child, output: () => out, ready, exited };
}
