/**
 * The child process of the crash spec. Phase 1 starts 50 instances and leaves them at different waits
 * (user tasks, parallel branches, a service in flight), prints READY and idles until it is SIGKILLed.
 * Phase 2 recovers on the same database and drives every instance to its end, then exits.
 */
import path from 'node:path';
import { connectDatabase } from '../../server/persistence/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { EngineRuntime } from '../../server/engine/runtime.js';
import type { Actor, ServiceContext, TaskRecord } from '../../server/engine/types.js';
import { setLogLevel } from '../../server/logger.js';
import { projectRoot } from '../../server/project-root.js';
import fs from 'node:fs';

const phase = process.env.CRASH_PHASE;
const uri = process.env.CRASH_DB_URI!;
const fixtures = path.join(projectRoot(), 'test', 'fixtures');
const staff: Actor = { id: 'crash-tester', groups: ['staff', 'finance', 'protocol'], roles: ['admin'] };
setLogLevel('warn');

const db = await connectDatabase(uri);
const sideEffects = db.conn.collection('crash_side_effects');

/** A service with a side effect keyed by executionId; in phase 1 the "slow" ones never answer. */
async function record(ctx: ServiceContext): Promise<Record<string, unknown>> {
  await sideEffects.updateOne(
    { _id: ctx.executionId } as never,
    { $inc: { calls: 1 }, $set: { instanceId: ctx.instanceId } },
    { upsert: true },
  );
  if (phase === '1' && ctx.variables.slow === true) await new Promise(() => undefined); // in flight forever
  return { recorded: ctx.executionId };
}

const runtime = new EngineRuntime({
  stores: await createRuntimeStores(db),
  formsDir: path.join(fixtures, 'forms'),
  services: { 'test-record': record },
  serviceWaitMs: 300,
  maxLiveEngines: 20,
});
const xml = (name: string) => fs.readFileSync(path.join(fixtures, `${name}.bpmn`), 'utf8');

async function tasksOf(instanceId: string): Promise<TaskRecord[]> {
  return (await runtime.listTasks({ instanceId })).items;
}

function formFor(task: TaskRecord, i: number): Record<string, unknown> {
  if (task.formKey === 'simple-review') return { decision: 'approve' };
  if (task.formKey === 'trip-request') return { cost: i % 2 ? 5000 : 50, funding: 'commission' };
  return {};
}

if (phase === '1') {
  for (const name of ['engine-simple-task', 'engine-gateways', 'engine-service'])
    await runtime.deploy(xml(name), staff);
  const ids: string[] = [];
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < 50; i++) {
    jobs.push(
      (async () => {
        const kind = i % 5;
        if (kind === 0) {
          const inst = await runtime.start(
            { key: 'engine-simple-task', variables: { reviewer: 'crash-tester', province: 'kab' } },
            staff,
          );
          ids.push(inst.id);
        } else if (kind === 1 || kind === 2) {
          const inst = await runtime.start({ key: 'engine-gateways', businessKey: `G-${i}` }, staff);
          ids.push(inst.id);
          if (kind === 2) {
            // past the exclusive gateway: parallel branches or finance, and one branch done for some
            const [t] = await tasksOf(inst.id);
            await runtime.completeTask(t!.id, formFor(t!, i), staff);
            const open = await tasksOf(inst.id);
            if (i % 3 === 0 && open.length === 2) await runtime.completeTask(open[0]!.id, {}, staff);
          }
        } else {
          // kind 3: the service never answers in this process; kind 4: it answers, the task waits
          const inst = await runtime.start({ key: 'engine-service', variables: { slow: kind === 3 } }, staff);
          ids.push(inst.id);
        }
      })(),
    );
  }
  await Promise.all(jobs);
  const open = (await runtime.listTasks({ limit: 500 })).items.map((t) => t.id);
  const inFlight = (await runtime.listInstances({ limit: 500 })).items.filter((i) =>
    i.waiting.some((w) => w.type === 'bpmn:ServiceTask'),
  ).length;
  process.stdout.write(`READY ${JSON.stringify({ ids, open, inFlight })}\n`);
  await new Promise(() => undefined); // wait for SIGKILL
} else {
  await runtime.recover();
  for (let round = 0; round < 20; round++) {
    const page = await runtime.listTasks({ limit: 500 });
    if (!page.items.length) break;
    let i = 0;
    for (const t of page.items) await runtime.completeTask(t.id, formFor(t, i++), staff);
  }
  await runtime.close();
  await db.close();
  process.stdout.write('DONE\n');
  process.exit(0);
}
