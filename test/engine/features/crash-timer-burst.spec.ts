import path from 'node:path';
import { expect } from 'chai';
import { EngineRuntime } from '../../../server/engine/runtime.js';
import { connectDatabase, type Database } from '../../../server/persistence/database.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../../server/project-root.js';
import { freshDbUri } from '../../helpers/database.js';
import { waitUntil } from '../../helpers/wait.js';
import { formsDir, killOutright, recoverInNewProcess, runCrashChild } from '../runtime-harness.js';

const CHILD = path.join(projectRoot(), 'test', 'engine', 'features', 'crash-timer-burst-child.ts');

describe('engine/features (kill -9 during a burst of timers)', function () {
  this.timeout(300_000);
  let db: Database | undefined;

  after(async () => {
    await db?.conn.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  it('should lose no timer and fire none twice when killed while batched firings are written', async () => {
    // given 120 timers due 10 ms apart, and a process killed once 20 of them fired
    const uri = freshDbUri();
    const first = runCrashChild(CHILD, '1', uri);
    const ready = JSON.parse(await first.line('READY ')) as {
      due: Record<string, number>;
      late: string[];
      lastDue: number;
    };
    await first.line('FIRING');
    await killOutright(first);

    // when a new process starts on the same database after every timer fell due
    await waitUntil(() => Date.now() > ready.lastDue, 'every timer due', 60_000);
    await recoverInNewProcess(CHILD, uri);

    // then every timer fired exactly once over both runs, none before its time, and no job is left
    db = await connectDatabase(uri);
    const stores = await createRuntimeStores(db);
    const runtime = new EngineRuntime({ stores, formsDir });
    const ids = Object.keys(ready.due);
    expect(ids.length + ready.late.length).to.equal(120);
    expect(ids.length, 'timers that waited for the scheduler').to.be.at.least(60);
    for (const id of ids) {
      const trail = await runtime.auditTrail(id);
      const fired = trail.filter((e) => e.type === 'timer.fired');
      expect(fired, `${id} timer.fired`).to.have.length(1);
      expect(Date.parse(fired[0]!.at), id).to.be.at.least(ready.due[id]!);
      const acts = (await runtime.listTasks({ instanceId: id, limit: 10 })).items;
      expect(
        acts.filter((t) => t.elementId === 'act'),
        `${id} act task`,
      ).to.have.length(1);
    }
    expect(
      await db.conn.collection('jobs').countDocuments({ dueAt: { $lte: new Date().toISOString() } }),
    ).to.equal(0);
    expect((await runtime.verifyAudit()).ok).to.equal(true);
    await runtime.close();
  });
});
