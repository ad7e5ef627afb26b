/**
 * The child process of the audit-recovery spec: starts instances, then cuts the audit store off (its next
 * append never reaches the database) and completes tasks concurrently, prints CUT once the first append hangs
 * (its checkpoints are written by then) and idles until it is SIGKILLed in that window.
 */
import path from 'node:path';
import { EngineRuntime } from '../../server/engine/runtime.js';
import type { AuditStore } from '../../server/engine/stores.js';
import type { Actor } from '../../server/engine/types.js';
import { setLogLevel } from '../../server/logger.js';
import { connectDatabase } from '../../server/persistence/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../server/project-root.js';
import fs from 'node:fs';

const fixtures = path.join(projectRoot(), 'test', 'fixtures');
const actor: Actor = { id: 'auditor', groups: ['staff'], roles: ['admin'] };
setLogLevel('error');

const db = await connectDatabase(process.env.CRASH_DB_URI!);
const stores = await createRuntimeStores(db);
let cut = false;
const audit: AuditStore = {
  last: () => stores.audit.last(),
  byInstance: (id) => stores.audit.byInstance(id),
  page: (after, limit) => stores.audit.page(after, limit),
  scan: () => stores.audit.scan(),
  keysAfter: (after) => stores.audit.keysAfter(after),
  async insertMany(events, keys) {
    if (!cut) return stores.audit.insertMany(events, keys);
    process.stdout.write('CUT\n');
    await new Promise(() => undefined); // SIGKILL comes here
  },
};
const runtime = new EngineRuntime({ stores: { ...stores, audit }, formsDir: path.join(fixtures, 'forms') });
await runtime.recover();
await runtime.deploy(fs.readFileSync(path.join(fixtures, 'engine-simple-task.bpmn'), 'utf8'), actor);
const ids: string[] = [];
for (let i = 0; i < 10; i++)
  ids.push(
    (
      await runtime.start(
        { key: 'engine-simple-task', variables: { reviewer: 'auditor', province: 'kab' } },
        actor,
      )
    ).id,
  );
const tasks = (await runtime.listTasks({ limit: 50 })).items;
process.stdout.write(`READY ${JSON.stringify({ ids })}\n`);
cut = true;
for (const t of tasks) void runtime.completeTask(t.id, { decision: 'approve' }, actor).catch(() => undefined);
await new Promise(() => undefined);
