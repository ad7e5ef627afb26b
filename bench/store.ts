/**
 * `npm run bench:store`: what the persistence layer relies on, measured on the embedded database: lookups and
 * deletes by `_id` among many documents (an index lookup only with the `_id` patch, see `FERRETDB_PATCHES`),
 * beside a lookup on another field (always a full scan on FerretDB), and the memory the inbox's mirror of the
 * open tasks costs per task.
 *
 * BENCH_DOCS (documents in the collection, default 2,000) and BENCH_MIRROR (open tasks, default 10,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { TaskRecord } from '../server/engine/types.js';
import { connectDatabase } from '../server/persistence/database.js';
import { startEmbeddedDb } from '../server/persistence/embedded-db.js';
import { MongoTaskStore } from '../server/persistence/task-store.js';
import { projectRoot } from '../server/project-root.js';
import { printTable, timed } from './measure.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 2000);
const MIRROR = Number(process.env.BENCH_MIRROR ?? 10_000);
const ROUNDS = 100;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** An open task shaped like the office's (Dari and English names, two groups, a due date). */
function openTask(n: number): TaskRecord {
  return {
    id: `${crypto.randomUUID()}:review_draft_${n}`,
    instanceId: crypto.randomUUID(),
    definitionKey: 'policy-approval',
    definitionVersion: 3,
    businessKey: `POL-1405-${n}`,
    elementId: 'review_draft',
    executionId: `review_draft_${n}`,
    name: { fa: 'بررسی پیش‌نویس پالیسی', en: 'Review the policy draft' },
    processName: { fa: 'تصویب پالیسی', en: 'Policy approval' },
    candidateGroups: ['plan-policy', 'province-kab'],
    candidateUsers: [],
    priority: 50,
    dueAt: new Date(Date.now() + n * 60_000).toISOString(),
    formKey: 'policy-review',
    createdAt: new Date().toISOString(),
  };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-bench-store-'));
  const embedded = await startEmbeddedDb({ dataDir: tmp, cacheDir: path.join(projectRoot(), '.cache') });
  const db = await connectDatabase(embedded.uri.replace(/\/[^/]*$/, '/bench_store'));
  const rows: [string, string][] = [];
  try {
    const coll = db.conn.db!.collection<{ _id: string; n: number; text: string }>('bench_docs');
    await coll.insertMany(
      Array.from({ length: DOCS }, (_, n) => ({ _id: `d${n}`, n, text: 'x'.repeat(500) })),
    );
    const byId = await timed(ROUNDS, (i) => coll.findOne({ _id: `d${(i * 17) % DOCS}` }));
    const byField = await timed(ROUNDS, (i) => coll.findOne({ n: (i * 17) % DOCS }));
    const deleted = await timed(ROUNDS, (i) => coll.deleteOne({ _id: `d${i}` }));
    rows.push(
      [`findOne({ _id }) among ${DOCS} documents of 0.5 KB`, `p50 ${byId.toFixed(1)} ms`],
      [`findOne({ n }) among ${DOCS} (no index: full scan)`, `p50 ${byField.toFixed(1)} ms`],
      [`deleteOne({ _id }) among ${DOCS}`, `p50 ${deleted.toFixed(1)} ms`],
    );

    const tasks = new MongoTaskStore(db.conn);
    await tasks.insert(Array.from({ length: MIRROR }, (_, n) => openTask(n)));
    gc();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await tasks.list({ limit: 1 }); // loads the mirror
    const loadMs = performance.now() - t0;
    gc();
    const perTask = (process.memoryUsage().heapUsed - before) / MIRROR;
    const page = await timed(ROUNDS, () =>
      tasks.list({ visibleTo: { id: 'x', groups: ['plan-policy'], roles: ['staff'] }, sort: 'dueAt' }),
    );
    rows.push(
      [`inbox mirror: first load of ${MIRROR} open tasks`, `${loadMs.toFixed(0)} ms`],
      ['inbox mirror: memory per open task', `${perTask.toFixed(0)} bytes`],
      [`inbox page of 50 among ${MIRROR}, visible and sorted`, `p50 ${page.toFixed(1)} ms`],
    );
  } finally {
    await db.close();
    await embedded.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  printTable('Persistence (embedded FerretDB, in-process store)', rows);
}

await main();
