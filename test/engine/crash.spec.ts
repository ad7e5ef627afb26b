import path from 'node:path';
import { expect } from 'chai';
import { EngineRuntime } from '../../server/engine/runtime.js';
import { connectDatabase, type Database } from '../../server/persistence/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../server/project-root.js';
import { freshDbUri } from '../helpers/database.js';
import { formsDir, killOutright, recoverInNewProcess, runCrashChild } from './runtime-harness.js';

const CHILD = path.join(projectRoot(), 'test', 'engine', 'crash-child.ts');

describe('engine/runtime (crash recovery)', function () {
  this.timeout(300_000);
  let uri: string;
  let db: Database | undefined;

  after(async () => {
    await db?.conn.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  it('should finish all 50 instances exactly once after a SIGKILL, losing and duplicating no task', async () => {
    // given: a child process leaves 50 instances at different waits, some with a service in flight
    uri = freshDbUri();
    const first = runCrashChild(CHILD, '1', uri);
    const ready = JSON.parse(await first.line('READY ')) as {
      ids: string[];
      open: string[];
      inFlight: number;
    };
    expect(ready.ids).to.have.length(50);
    expect(ready.inFlight).to.equal(10);
    expect(ready.open.length).to.be.greaterThan(40);

    // when: it is killed outright, and a new process recovers and completes everything
    await killOutright(first);
    await recoverInNewProcess(CHILD, uri);

    // then
    db = await connectDatabase(uri);
    const stores = await createRuntimeStores(db);
    const runtime = new EngineRuntime({ stores, formsDir });
    const instances = (await runtime.listInstances({ limit: 500 })).items;
    expect(instances).to.have.length(50);
    expect(instances.filter((i) => i.status === 'completed')).to.have.length(50);
    expect((await runtime.listTasks({ limit: 500 })).total).to.equal(0);

    const historyIds: string[] = [];
    for (const inst of instances) {
      const trail = await runtime.auditTrail(inst.id);
      expect(
        trail.filter((e) => e.type === 'instance.started'),
        inst.id,
      ).to.have.length(1);
      expect(
        trail.filter((e) => e.type === 'instance.completed'),
        inst.id,
      ).to.have.length(1);
      const history = await runtime.taskHistory(inst.id);
      expect(
        history.every((h) => h.outcome === 'completed'),
        inst.id,
      ).to.equal(true);
      // one completed task per task created, and one task.completed entry per completed task: nothing lost,
      // nothing twice (a kill between a checkpoint and its audit append is repaired at the next start)
      const created = trail.filter((e) => e.type === 'task.created').map((e) => e.taskId);
      expect(history.map((h) => h.id).sort(), inst.id).to.deep.equal([...created].sort());
      const audited = trail.filter((e) => e.type === 'task.completed').map((e) => e.taskId);
      expect(audited.sort(), inst.id).to.deep.equal(history.map((h) => h.id).sort());
      const perElement = new Map<string, number>();
      for (const h of history) perElement.set(h.elementId, (perElement.get(h.elementId) ?? 0) + 1);
      for (const [elementId, n] of perElement) expect(n, `${inst.id} ${elementId}`).to.equal(1);
      historyIds.push(...history.map((h) => h.id));
    }
    // every task open at the crash was completed after it
    expect(historyIds).to.include.members(ready.open);
    expect(new Set(historyIds).size).to.equal(historyIds.length);

    // services: one side effect per service execution, the in-flight ones called again with the same executionId
    const effects = await db.conn.collection('crash_side_effects').find({}).toArray();
    expect(effects).to.have.length(20);
    expect(effects.filter((e) => e.calls === 2)).to.have.length(10);
    expect(effects.filter((e) => e.calls === 1)).to.have.length(10);

    const verified = await runtime.verifyAudit();
    expect(verified.ok).to.equal(true);
    await runtime.close();
  });
});
