import { spawn } from 'node:child_process';
import { isAppError, type AppError } from '../../server/app-error.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../server/persistence/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { EngineRuntime, type RuntimeOptions } from '../../server/engine/runtime.js';
import type { RuntimeStores } from '../../server/engine/stores.js';
import type { Actor, RuntimeEventName, RuntimeEvents } from '../../server/engine/types.js';
import { projectRoot } from '../../server/project-root.js';

export const fixturesDir = path.join(projectRoot(), 'test', 'fixtures');
export const formsDir = path.join(fixturesDir, 'forms');

/** A fixture's BPMN text (`test/fixtures/<name>.bpmn`). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixturesDir, `${name}.bpmn`), 'utf8');
}

export const alice: Actor = { id: 'alice', groups: ['staff', 'plan-policy'], roles: ['staff'] };
export const bob: Actor = { id: 'bob', groups: ['staff', 'finance', 'protocol'], roles: ['staff'] };
export const admin: Actor = { id: 'admin', groups: [], roles: ['admin'] };

/** A settable clock for the runtime. */
export class TestClock {
  constructor(public current = new Date('2026-11-28T06:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
}

/** A runtime on `db` with the fixture forms, a test clock and the given services. */
export async function createTestRuntime(
  db: Database,
  options: Partial<RuntimeOptions> = {},
): Promise<{ runtime: EngineRuntime; stores: RuntimeStores; clock: TestClock }> {
  const stores = await createRuntimeStores(db);
  const clock = new TestClock();
  const runtime = new EngineRuntime({ stores, formsDir, clock, ...options });
  return { runtime, stores, clock };
}

/** Records runtime events in order. */
export function recordEvents(runtime: EngineRuntime, names: RuntimeEventName[]) {
  const seen: { event: RuntimeEventName; payload: unknown }[] = [];
  for (const name of names)
    runtime.events.on(name, (payload: RuntimeEvents[typeof name]) => seen.push({ event: name, payload }));
  return seen;
}

export { waitUntil } from '../helpers/wait.js';

/** The AppError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

/**
 * Runs a crash-test child (`script`, through tsx) for `phase` against `uri`; `line(prefix)` resolves with the rest
 * of the first output line starting with `prefix`, and rejects if the child exits first.
 */
export function runCrashChild(script: string, phase: '1' | '2', uri: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot(),
    env: { ...process.env, CRASH_PHASE: phase, CRASH_DB_URI: uri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const onData = () => {
        const m = new RegExp(`^${prefix}(.*)$`, 'm').exec(out);
        if (m) resolve(m[1]!.trim());
      };
      onData();
      child.stdout.on('data', onData);
      void exited.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}):\n${out}`)));
    });
  return { child, exited, line, output: () => out };
}

type CrashChild = ReturnType<typeof runCrashChild>;

/** Kills a crash child outright, as a power cut would, and makes sure that is what ended it. */
export async function killOutright(run: CrashChild): Promise<void> {
  run.child.kill('SIGKILL');
  const { code, signal } = await run.exited;
  if (signal !== 'SIGKILL')
    throw new Error(`the child ended (${code ?? signal}) before the kill:\n${run.output()}`);
}

/** Runs phase 2 of a crash child on `uri`: a new process that recovers, reports DONE and exits cleanly. */
export async function recoverInNewProcess(script: string, uri: string): Promise<void> {
  const second = runCrashChild(script, '2', uri);
  await second.line('DONE');
  const { code, signal } = await second.exited;
  if (code !== 0) throw new Error(`the recovering child exited (${code ?? signal}):\n${second.output()}`);
}
