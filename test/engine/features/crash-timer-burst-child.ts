/**
 * The child process of the timer-burst crash spec, on the real clock. Phase 1 starts 120 instances whose
 * timers fall due 10 ms apart a few seconds later (engines pre-warmed, firings group-committed, fired jobs
 * retired behind), prints FIRING once some fired and keeps firing until it is SIGKILLed. Phase 2 starts on the
 * same database after every timer fell due, fires what is left and reports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EngineRuntime } from '../../../server/engine/runtime.js';
import type { Actor } from '../../../server/engine/types.js';
import { setLogLevel } from '../../../server/logger.js';
import { connectDatabase } from '../../../server/persistence/database.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../../server/project-root.js';

const phase = process.env.CRASH_PHASE;
const uri = process.env.CRASH_DB_URI!;
const N = 120;
const staff: Actor = { id: 'crash-tester', groups: ['staff'], roles: ['admin'] };
setLogLevel('error');

const db = await connectDatabase(uri);
const stores = await createRuntimeStores(db);
const runtime = new EngineRuntime({
  stores,
  formsDir: path.join(projectRoot(), 'test', 'fixtures', 'forms'),
  maxLiveEngines: 10,
});

if (phase === '1') {
  const xml = fs.readFileSync(
    path.join(projectRoot(), 'test', 'fixtures', 'features', 'timer-catch.bpmn'),
    'utf8',
  );
  await runtime.deploy(xml, staff);
  await runtime.recover();
  const c0 = Date.now();
  await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P1D' } }, staff);
  // every start ends before the first timer is due, and the first ones are within the pre-warm look-ahead
  const at = Date.now() + Math.max(3000, 3 * N * (Date.now() - c0));
  const due: Record<string, number> = {};
  const late: string[] = [];
  for (let i = 0; i < N; i++) {
    const until = new Date(at + i * 10).toISOString();
    const inst = await runtime.start({ key: 'p2-timer-catch', variables: { kind: 'date', until } }, staff);
    // a timer already due when its start ends fired inside the start (no job): reported apart
    if (Date.now() < Date.parse(until)) due[inst.id] = Date.parse(until);
    else late.push(inst.id);
  }
  process.stdout.write(`READY ${JSON.stringify({ due, late, lastDue: at + (N - 1) * 10 })}\n`);
  let fired = 0;
  runtime.events.on('task.created', ({ task }) => {
    if (task.elementId === 'act' && ++fired === 20) process.stdout.write('FIRING\n');
  });
  await new Promise(() => undefined); // until SIGKILL
} else {
  await runtime.recover(); // the timers left fire now
  await runtime.scheduler.idle();
  await runtime.idle();
  await runtime.close();
  await db.close();
  process.stdout.write('DONE\n');
  process.exit(0);
}
