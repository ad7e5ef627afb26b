import path from 'node:path';
import { expect } from 'chai';
import { connectDatabase, type Database } from '../../../server/persistence/database.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { rebuildProjections } from '../../../server/persistence/projection-rebuild.js';
import { storedEntry } from '../../../server/engine/projections/instance-entry.js';
import { projectRoot } from '../../../server/project-root.js';
import { freshDbUri } from '../../helpers/database.js';
import { killOutright, recoverInNewProcess, runCrashChild } from '../runtime-harness.js';

const CHILD = path.join(projectRoot(), 'test', 'engine', 'projections', 'projections-crash-child.ts');

describe('engine/projections (exact after a crash)', function () {
  this.timeout(300_000);
  let db: Database | undefined;

  after(async () => {
    await db?.conn.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  it('should equal a rebuild from the records after a kill -9 at a random point of a mixed run with snapshots', async () => {
    // given: a child process starts, claims, completes and cancels instances, four at a time, and writes
    // read model snapshots all the while
    const uri = freshDbUri();
    const first = runCrashChild(CHILD, '1', uri);
    await first.line('READY');
    await first.line('SNAPSHOT');
    // when: it is killed outright at a random moment of that work, and a new process recovers
    await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 1500)));
    await killOutright(first);
    await recoverInNewProcess(CHILD, uri);

    // then: the projections a fresh server loads equal what the records say
    db = await connectDatabase(uri);
    const stores = await createRuntimeStores(db);
    await stores.readModel.ready();
    // (from the last snapshot and the day buckets touched after it)
    expect(stores.readModel.loadStats?.from).to.equal('snapshot');
    const rebuilt = await rebuildProjections(db.conn);
    const live = new Map(stores.readModel.index.all().map((e) => [e.id, storedEntry(e)]));
    expect(live.size).to.be.greaterThan(12);
    expect(live).to.deep.equal(rebuilt.entries);
    expect(new Map(stores.readModel.facts.all().map((f) => [f.id, f]))).to.deep.equal(rebuilt.facts);
    for (const id of live.keys()) {
      const audit = (await stores.audit.byInstance(id)).map((e) => e.seq);
      expect(audit, `audit of ${id}`).to.deep.equal(rebuilt.audit.get(id) ?? []);
      const tasks = (await stores.taskHistory.byInstance(id)).map((h) => h.id).sort();
      expect(tasks, `task history of ${id}`).to.deep.equal(rebuilt.tasks.get(id) ?? []);
    }
    // and the audit index it loads (stored parts and the tail) equals one rebuilt from the chain
    await stores.auditIndex.ready();
    expect(stores.auditIndex.loadStats?.from).to.equal('parts');
    const chain: { seq: number; at: string; actor: string; type: string }[] = [];
    for await (const e of stores.auditReader.scan())
      chain.push({ seq: e.seq, at: e.at, actor: e.actor, type: e.type });
    const index = await stores.auditIndex.current();
    expect(index.size).to.equal(chain.length);
    expect(chain.map((e) => index.row(e.seq))).to.deep.equal(chain);
    // and the list pages agree with it: every ended one once, in start order
    const page = await stores.instances.list({ limit: 500 });
    expect(page.total).to.equal(rebuilt.entries.size);
  });
});
