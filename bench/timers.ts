/**
 * `npm run bench:timers`: 1,000 timers due within one 10-second window, through the real runtime and database.
 * Each instance of `test/fixtures/features/timer-catch.bpmn` waits at a timer whose `timeDate` is spread evenly over
 * the window; the window opens once every instance waits. A timer's lateness is the time from its due time to the
 * moment the step after it is durable (the runtime reports the task behind the timer, after the checkpoint that
 * fired it). Prints p50/p95/p99/max lateness, timers lost (never fired) and fired twice (audit `timer.fired`).
 * Uses MONGODB_URI when set, else a throwaway embedded FerretDB.
 *
 * BENCH_TIMERS (default 1000) and BENCH_WINDOW_MS (default 10000) override the count and the window.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EngineRuntime } from '../server/engine/runtime.js';
import type { Actor } from '../server/engine/types.js';
import { setLogLevel } from '../server/logger.js';
import { connectDatabase } from '../server/persistence/database.js';
import { startEmbeddedDb, type EmbeddedDb } from '../server/persistence/embedded-db.js';
import { createRuntimeStores } from '../server/persistence/runtime-stores.js';
import { MongoJobStore } from '../server/persistence/job-store.js';
import { Scheduler } from '../server/engine/scheduler.js';
import type { JobRecord } from '../server/engine/stores.js';
import { projectRoot } from '../server/project-root.js';

setLogLevel('warn');
const root = projectRoot();
const xml = fs.readFileSync(path.join(root, 'test', 'fixtures', 'features', 'timer-catch.bpmn'), 'utf8');
const actor: Actor = { id: 'bench', groups: ['staff'], roles: ['admin'] };
const N = Number(process.env.BENCH_TIMERS ?? 1000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
/** How long after the window closes a timer that has not fired counts as lost. */
const GRACE_MS = 60_000;

async function pool(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await job(next++);
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The scheduler alone, on the same database: each firing deletes its job by `_id` (a durable write), with no
 * engine behind it. Beside the runtime figures it shows what the scheduler adds and what the commands cost.
 */
async function schedulerAlone(uri: string): Promise<{ lateness: number[]; lost: number; twice: number }> {
  const url = new URL(uri);
  url.pathname = `/bench_scheduler_${Date.now()}`;
  const db = await connectDatabase(url.toString());
  const store = new MongoJobStore(db.conn);
  const windowStart = Date.now() + 5000;
  const jobs: JobRecord[] = Array.from({ length: N }, (_, i) => ({
    id: `i-${i}:t`,
    instanceId: `i-${i}`,
    elementId: 'wait',
    executionId: 't',
    type: 'timer',
    dueAt: new Date(windowStart + Math.floor((i * WINDOW_MS) / N)).toISOString(),
  }));
  await store.upsert(jobs);
  const fired = new Map<string, number[]>();
  const scheduler = new Scheduler({
    jobs: store,
    fire: async (j) => {
      await store.remove([j.id]);
      fired.set(j.id, [...(fired.get(j.id) ?? []), Date.now()]);
    },
  });
  await scheduler.start();
  const deadline = windowStart + WINDOW_MS + GRACE_MS;
  while (fired.size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await scheduler.stop();
  const lateness = jobs.flatMap((j) =>
    (fired.get(j.id) ?? []).slice(0, 1).map((at) => at - Date.parse(j.dueAt)),
  );
  lateness.sort((a, b) => a - b);
  const twice = [...fired.values()].filter((f) => f.length > 1).length;
  await db.conn.dropDatabase().catch(() => undefined);
  await db.close();
  return { lateness, lost: N - fired.size, twice };
}

async function main() {
  let embedded: EmbeddedDb | undefined;
  let tmp: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-bench-'));
    embedded = await startEmbeddedDb({ dataDir: tmp, cacheDir: path.join(root, '.cache') });
    uri = embedded.uri;
  }
  const alone = await schedulerAlone(uri);
  const url = new URL(uri);
  url.pathname = `/bench_timers_${Date.now()}`;
  const db = await connectDatabase(url.toString());
  const stores = await createRuntimeStores(db);
  const runtime = new EngineRuntime({ stores });
  await runtime.recover();
  await runtime.deploy(xml, actor);

  // the window opens once every instance waits: the start rate is measured on a few instances after a
  // warm-up (their timers are a day away and not counted), and the window opens after 1.5 times the time the
  // rest should take; a start that still ends after its timer is due is reported and left out
  const parked = async (n: number) =>
    pool(n, 16, async () => {
      const until = new Date(Date.now() + 86_400_000).toISOString();
      await runtime.start({ key: 'p2-timer-catch', variables: { kind: 'date', until } }, actor);
    });
  await parked(16);
  const calibrate = 64;
  const c0 = Date.now();
  await parked(calibrate);
  const perStart = (Date.now() - c0) / calibrate;
  const lead = Math.max(10_000, Math.round(1.5 * N * perStart) + 5000);
  const windowStart = Date.now() + lead;
  const dueOf = (i: number) => windowStart + Math.floor((i * WINDOW_MS) / N);
  const dueById = new Map<string, number>();
  const firedAt = new Map<string, number>();
  const firings = new Map<string, number>();
  runtime.events.on('task.created', ({ task }) => {
    if (task.elementId !== 'act') return;
    firedAt.set(task.instanceId, Date.now());
    firings.set(task.instanceId, (firings.get(task.instanceId) ?? 0) + 1);
  });

  // the longest the event loop stood still in the window (what a firing's answer may have waited behind)
  const stall = monitorEventLoopDelay({ resolution: 10 });
  setTimeout(() => stall.enable(), Math.max(0, windowStart - Date.now())).unref();
  let dueBeforeWaiting = 0;
  const t0 = Date.now();
  await pool(N, 16, async (i) => {
    const inst = await runtime.start(
      { key: 'p2-timer-catch', variables: { kind: 'date', until: new Date(dueOf(i)).toISOString() } },
      actor,
    );
    // a timer already due when its instance arrives fires inside the start: not a scheduler firing
    if (Date.now() < dueOf(i)) dueById.set(inst.id, dueOf(i));
    else dueBeforeWaiting++;
  });
  const startedBy = Date.now();
  console.error(`${N} instances wait at their timers (${((startedBy - t0) / 1000).toFixed(1)} s)`);
  if (startedBy > windowStart)
    console.warn(`warning: the starts ended ${startedBy - windowStart} ms after the window opened`);

  // wait until every timer fired, or the grace after the window is over
  const deadline = windowStart + WINDOW_MS + GRACE_MS;
  while ([...dueById.keys()].some((id) => !firedAt.has(id)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  stall.disable();
  await runtime.idle();

  const lateness = [...dueById].flatMap(([id, due]) => {
    const at = firedAt.get(id);
    return at === undefined ? [] : [at - due];
  });
  lateness.sort((a, b) => a - b);
  const lost = [...dueById.keys()].filter((id) => !firedAt.has(id)).length;
  // fired twice: the audit trail is the durable truth (one `timer.fired` per instance), beside the live events
  const audited = new Map<string, number>();
  for (let after = 0; ;) {
    const page = await stores.audit.page(after, 1000);
    if (!page.length) break;
    for (const e of page)
      if (e.type === 'timer.fired' && e.instanceId)
        audited.set(e.instanceId, (audited.get(e.instanceId) ?? 0) + 1);
    after = page.at(-1)!.seq;
  }
  let twice = 0;
  let early = 0;
  for (const [id, due] of dueById) {
    if ((audited.get(id) ?? 0) > 1 || (firings.get(id) ?? 0) > 1) twice++;
    if ((firedAt.get(id) ?? Infinity) < due) early++;
  }

  const rows: [string, string, string][] = [
    ['timers', `${dueById.size}`, `due within ${WINDOW_MS / 1000} s`],
    ...(dueBeforeWaiting
      ? ([['  left out: due before their start ended', `${dueBeforeWaiting}`, 'machine too busy']] as [
          string,
          string,
          string,
        ][])
      : []),
    [
      'setup: starts to wait',
      `${((startedBy - t0) / 1000).toFixed(1)} s`,
      `window opened after ${lead / 1000} s`,
    ],
    [
      'machine: starts per second during setup',
      `${((dueById.size + dueBeforeWaiting) / ((startedBy - t0) / 1000)).toFixed(0)} /s`,
      'a start costs about what a firing does',
    ],
    [
      'fired per second, window open to last fired',
      `${(firedAt.size / ((Math.max(...firedAt.values()) - windowStart) / 1000)).toFixed(0)} /s`,
      `due: ${(dueById.size / (WINDOW_MS / 1000)).toFixed(0)} /s`,
    ],
    ['lateness p50', `${percentile(lateness, 50)} ms`, ''],
    ['lateness p95', `${percentile(lateness, 95)} ms`, ''],
    [
      'lateness p99',
      `${percentile(lateness, 99)} ms`,
      percentile(lateness, 99) <= 100 ? 'goal ≤ 100 ms: met' : 'goal ≤ 100 ms: MISSED',
    ],
    ['lateness max', `${lateness.at(-1) ?? NaN} ms`, ''],
    ['event loop: longest stall in the window', `${(stall.max / 1e6).toFixed(0)} ms`, ''],
    ['fired early', `${early}`, early === 0 ? 'goal 0: met' : 'goal 0: MISSED'],
    ['lost (not fired 60 s after the window)', `${lost}`, lost === 0 ? 'goal 0: met' : 'goal 0: MISSED'],
    ['fired twice', `${twice}`, twice === 0 ? 'goal 0: met' : 'goal 0: MISSED'],
    [
      'scheduler alone (firing = delete by _id): p50 / p99 / max',
      `${percentile(alone.lateness, 50)} / ${percentile(alone.lateness, 99)} / ${alone.lateness.at(-1)} ms`,
      `lost ${alone.lost}, twice ${alone.twice}`,
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+${'-'.repeat(w2 + 2)}+`;
  console.log(
    `\nRavand timers bench: lateness from due time to the durable next step (Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
  );
  console.log(line);
  for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c.padEnd(w2)} |`);
  console.log(line);

  await runtime.close();
  await db.conn.dropDatabase().catch(() => undefined);
  await db.close();
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
