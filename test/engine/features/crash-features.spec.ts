import path from 'node:path';
import { expect } from 'chai';
import { EngineRuntime } from '../../../server/engine/runtime.js';
import { connectDatabase, type Database } from '../../../server/persistence/database.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../../server/project-root.js';
import { freshDbUri } from '../../helpers/database.js';
import { formsDir, runCrashChild } from '../runtime-harness.js';

const CHILD = path.join(projectRoot(), 'test', 'engine', 'features', 'crash-features-child.ts');

describe('engine/features (crash recovery with timers and message waits)', function () {
  this.timeout(300_000);
  let db: Database | undefined;

  after(async () => {
    await db?.conn.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  it('should lose nothing and fire nothing twice when killed while timers fire and messages arrive', async () => {
    // given 50 instances at user tasks, timers and message waits; the process is killed while timers fire
    const uri = freshDbUri();
    const first = runCrashChild(CHILD, '1', uri);
    const ready = JSON.parse(await first.line('READY ')) as { ids: string[]; jobs: number };
    expect(ready.ids).to.have.length(50);
    expect(ready.jobs).to.equal(17);
    await first.line('FIRING');
    await first.line('PROGRESS 3'); // a few paths ended; more timers and messages are in flight

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).to.equal('SIGKILL');
    const probe = await connectDatabase(uri);
    const jobsLeft = await probe.conn.collection('jobs').countDocuments();
    // checkpoints whose audit entries the kill cut off (their drafts are in the checkpoint, not in the chain)
    const inChain = new Set(
      (await probe.conn.collection('events').find({}).toArray()).map((e) => String(e.cmd ?? '')),
    );
    let cutOff = 0;
    for (const name of ['instances', 'instance_history'])
      for (const d of await probe.conn.collection(name).find({}).toArray()) {
        if (!d.audit) continue;
        const { drafts } = JSON.parse(String(d.audit)) as { drafts: unknown[] };
        if (drafts.some((_, n) => !inChain.has(`${String(d._id)}/${Number(d.rev)}/${n}`))) cutOff++;
      }
    await probe.close();

    // when a new process starts a day later on the same database
    const second = runCrashChild(CHILD, '2', uri);
    const done = JSON.parse(await second.line('DONE ')) as { delivered: number; alreadyMoved: number };
    expect((await second.exited).code, second.output()).to.equal(0);

    // then every instance ended exactly once, and the audit trail holds every command exactly once
    db = await connectDatabase(uri);
    const stores = await createRuntimeStores(db);
    const runtime = new EngineRuntime({ stores, formsDir });
    const instances = (await runtime.listInstances({ limit: 500 })).items;
    expect(instances).to.have.length(50);
    expect(instances.filter((i) => i.status === 'completed')).to.have.length(50);
    expect(done.delivered + done.alreadyMoved).to.equal(16);

    let timersFired = 0;
    let messagesCorrelated = 0;
    let tasksCompleted = 0;
    let firedOnResume = 0;
    for (const inst of instances) {
      const trail = await runtime.auditTrail(inst.id);
      const count = (type: string, elementId?: string) =>
        trail.filter((e) => e.type === type && (!elementId || e.elementId === elementId)).length;
      // every command's entries are in the chain, each once: a kill between a checkpoint and its audit append
      // is repaired at the next start from the drafts the checkpoint carries
      expect(count('instance.started'), inst.id).to.equal(1);
      expect(count('instance.completed'), inst.id).to.equal(1);
      const kind = inst.variables.kind;
      if (kind === 'timer') {
        expect(count('timer.fired'), `${inst.id} timer fired`).to.equal(1);
        // a timer that fires while its engine resumes from the checkpoint ends as a recovered activity, which the
        // runtime does not report as a transition (the command's timer.fired entry is there, with firedOnResume)
        expect(count('element.completed', 'wait-timer'), inst.id).to.be.at.most(1);
        if (!count('element.completed', 'wait-timer')) firedOnResume++;
        timersFired += count('timer.fired');
      }
      if (kind === 'message') {
        expect(count('message.correlated'), inst.id).to.equal(1);
        messagesCorrelated += count('message.correlated');
      }
      // one task.completed entry per completed task, and none for a task that was not completed
      const completed = (await runtime.taskHistory(inst.id)).filter((h) => h.outcome === 'completed');
      const audited = trail.filter((e) => e.type === 'task.completed').map((e) => e.taskId);
      expect(audited.sort(), inst.id).to.deep.equal(completed.map((h) => h.id).sort());
      expect(completed, inst.id).to.have.length(kind === 'task' ? 1 : 0);
      tasksCompleted += completed.length;
    }
    expect(timersFired).to.equal(17);
    expect(messagesCorrelated).to.equal(16);
    expect(tasksCompleted).to.equal(17);
    // the end-of-path service ran for every instance, each execution once (idempotent by executionId); a path
    // whose command the kill cut short before its checkpoint runs again from the last checkpoint (at least once)
    const effects = await db.conn.collection('crash_feature_effects').find({}).toArray();
    const perInstance = new Map<string, number>();
    for (const e of effects)
      perInstance.set(String(e.instanceId), (perInstance.get(String(e.instanceId)) ?? 0) + 1);
    expect(perInstance.size).to.equal(50);
    expect(effects.every((e) => e.calls === 1)).to.equal(true);
    expect([...perInstance.values()].every((n) => n <= 2)).to.equal(true);
    const rerun = [...perInstance.values()].filter((n) => n === 2).length;
    // nothing left behind: no task, no timer job, no message wait
    expect((await runtime.listTasks({ limit: 500 })).total).to.equal(0);
    expect(await db.conn.collection('jobs').countDocuments()).to.equal(0);
    expect(await db.conn.collection('subscriptions').countDocuments()).to.equal(0);
    const verified = await runtime.verifyAudit();
    expect(verified.ok).to.equal(true);
    console.log(
      `      crash: 50 instances (17 timers, 16 message waits, 17 tasks); after restart ${done.delivered} messages ` +
        `delivered, ${done.alreadyMoved} had moved before the kill; timer.fired audited ${timersFired} (${firedOnResume} on resume), ` +
        `message.correlated audited ${messagesCorrelated}; ${ready.jobs - jobsLeft} timer jobs fired before the kill; ` +
        `${rerun} paths re-run from their last checkpoint; ${cutOff} checkpoints' audit entries cut off by the kill ` +
        `and appended at restart; audit chain of ${verified.checked} entries verifies`,
    );
    await runtime.close();
  });
});
