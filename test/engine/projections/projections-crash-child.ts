/**
 * The child process of the projections crash spec. Phase 1 runs a mixed load (starts, claims, completions,
 * cancellations, several instances at once) while it writes read model snapshots again and again, prints
 * SNAPSHOT after two (the audit index stored with each) and READY once some instances have ended, then goes on until it is SIGKILLed. Phase 2 recovers on the same database, lets everything settle and closes cleanly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connectDatabase } from '../../../server/persistence/database.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { EngineRuntime } from '../../../server/engine/runtime.js';
import type { Actor } from '../../../server/engine/types.js';
import { setLogLevel } from '../../../server/logger.js';
import { projectRoot } from '../../../server/project-root.js';

const phase = process.env.CRASH_PHASE;
const uri = process.env.CRASH_DB_URI!;
const staff: Actor = { id: 'mixed-tester', groups: ['staff'], roles: ['admin'] };
setLogLevel('error');

const db = await connectDatabase(uri);
const stores = await createRuntimeStores(db);
const runtime = new EngineRuntime({ stores, maxLiveEngines: 10 });

if (phase === '1') {
  const xml = fs.readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'engine-bench.bpmn'), 'utf8');
  await runtime.deploy(xml, staff);
  // the audit index is kept live and stored over and over as well
  await stores.auditIndex.ready();
  // snapshots of the read model all through the run, so that the kill lands before, during or after one
  let snapshots = 0;
  const snapshotLoop = async () => {
    for (;;) {
      await stores.readModel.snapshot();
      await stores.auditIndex.persist();
      if (++snapshots === 2) console.log('SNAPSHOT');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  void snapshotLoop();
  let ended = 0;
  let told = false;
  const lane = async (n: number) => {
    for (let i = 0; ; i++) {
      const inst = await runtime.start(
        { key: 'engine-bench', businessKey: `MIX-${n}-${i}`, variables: { i } },
        staff,
      );
      const [task] = (await runtime.listTasks({ instanceId: inst.id })).items;
      if (!task) continue;
      if (i % 5 === 1) continue; // left waiting
      await runtime.claimTask(task.id, staff);
      if (i % 5 === 2) await runtime.cancel(inst.id, 'mixed run', staff);
      else await runtime.completeTask(task.id, { n: i }, staff);
      ended++;
      if (!told && ended >= 12) {
        told = true;
        console.log('READY');
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(lane));
} else {
  // the audit index loads (stored parts and tail) while crash repair appends what the kill cut off
  void stores.auditIndex.ready();
  await runtime.recover();
  await runtime.idle();
  await runtime.close();
  await stores.auditIndex.close();
  await db.close();
  console.log('DONE');
  process.exit(0);
}
