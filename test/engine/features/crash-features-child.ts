/**
 * The child process of the features crash spec, with the clock faked (only `Date`). Phase 1 starts 50 instances
 * waiting at user tasks, timers and messages, then lets timers fall due and messages arrive, prints FIRING and
 * keeps working until it is SIGKILLed mid-way. Phase 2 starts a day later on the same database: overdue timers
 * fire, the remaining messages are sent, the tasks completed, and every instance must end exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import FakeTimers from '@sinonjs/fake-timers';
import { isAppError } from '../../../server/app-error.js';
import { EngineRuntime } from '../../../server/engine/runtime.js';
import type { Actor, ServiceContext } from '../../../server/engine/types.js';
import { setLogLevel } from '../../../server/logger.js';
import { connectDatabase } from '../../../server/persistence/database.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../../server/project-root.js';

const phase = process.env.CRASH_PHASE;
const uri = process.env.CRASH_DB_URI!;
const T0 = Date.parse('2026-05-02T04:00:00.000Z');
const HOUR = 3_600_000;
const clock = FakeTimers.install({ toFake: ['Date'], now: phase === '1' ? T0 : T0 + 24 * HOUR });
const staff: Actor = { id: 'crash-tester', groups: ['staff'], roles: ['admin'] };
setLogLevel('error');

const db = await connectDatabase(uri);
const effects = db.conn.collection('crash_feature_effects');

/** The end-of-path service: one side effect per execution (idempotent by executionId). */
async function countEnd(ctx: ServiceContext): Promise<Record<string, unknown>> {
  await effects.updateOne(
    { _id: ctx.executionId } as never,
    { $inc: { calls: 1 }, $set: { instanceId: ctx.instanceId, kind: ctx.variables.kind } },
    { upsert: true },
  );
  return { counted: true };
}

const runtime = new EngineRuntime({
  stores: await createRuntimeStores(db),
  formsDir: path.join(projectRoot(), 'test', 'fixtures', 'forms'),
  services: { 'p2.count-end': countEnd },
  maxLiveEngines: 10,
});

function kindOf(i: number): 'task' | 'timer' | 'message' {
  return (['task', 'timer', 'message'] as const)[i % 3]!;
}

if (phase === '1') {
  const xml = fs.readFileSync(
    path.join(projectRoot(), 'test', 'fixtures', 'features', 'crash-mix.bpmn'),
    'utf8',
  );
  await runtime.deploy(xml, staff);
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const kind = kindOf(i);
    const variables: Record<string, unknown> = { kind, i };
    if (kind === 'timer') variables.wait = `PT${1 + (i % 7)}H`;
    if (kind === 'message') variables.ref = `R-${i}`;
    ids.push((await runtime.start({ key: 'p2-crash-mix', variables }, staff)).id);
  }
  await runtime.recover();
  const jobs = await db.conn.collection('jobs').countDocuments();
  process.stdout.write(`READY ${JSON.stringify({ ids, jobs })}\n`);
  // timers fall due and messages arrive while the process is killed
  let completed = 0;
  runtime.events.on('instance.completed', () => process.stdout.write(`PROGRESS ${++completed}\n`));
  clock.tick(4 * HOUR);
  void runtime.scheduler.poke();
  for (let i = 2; i < 50; i += 6)
    void runtime.correlateMessage({ name: 'answer', correlationKey: `R-${i}` }, staff).catch(() => undefined);
  process.stdout.write('FIRING\n');
  await new Promise(() => undefined); // until SIGKILL
} else {
  await runtime.recover(); // overdue timers fire now
  await runtime.scheduler.idle();
  await runtime.idle();
  let delivered = 0;
  let alreadyMoved = 0;
  for (let i = 2; i < 50; i += 3) {
    try {
      await runtime.correlateMessage({ name: 'answer', correlationKey: `R-${i}` }, staff);
      delivered++;
    } catch (err) {
      if (!isAppError(err, 'RV_ERR_MESSAGE_NOT_CORRELATED')) throw err;
      alreadyMoved++;
    }
  }
  for (let round = 0; round < 10; round++) {
    const page = await runtime.listTasks({ limit: 500 });
    if (!page.items.length) break;
    for (const t of page.items) await runtime.completeTask(t.id, {}, staff);
  }
  await runtime.idle();
  await runtime.close();
  await db.close();
  process.stdout.write(`DONE ${JSON.stringify({ delivered, alreadyMoved })}\n`);
  process.exit(0);
}
