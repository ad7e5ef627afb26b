import { expect } from 'chai';
import { useTestDatabase } from '../helpers/database.js';
import { admin, alice, createTestRuntime, fixture, waitUntil } from './runtime-harness.js';

describe('engine/runtime (startup recovery)', () => {
  const ctx = useTestDatabase();

  /** A runtime with one instance of the simple-task fixture, waiting at its task. */
  async function startWithTask() {
    const { runtime: first, stores } = await createTestRuntime(ctx.db);
    await first.deploy(fixture('engine-simple-task'), admin);
    const inst = await first.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
      alice,
    );
    const [task] = (await first.listTasks({ instanceId: inst.id })).items;
    return { first, stores, inst, task };
  }

  it('should rewrite open tasks lost between a checkpoint and its materialisation after a crash', async () => {
    // given: a runtime that dies without closing, after its task record was lost
    const { stores, inst, task } = await startWithTask();
    await stores.tasks.remove([task!.id]);
    // when
    const { runtime: second } = await createTestRuntime(ctx.db);
    await second.recover();
    // then
    expect((await second.listTasks({ instanceId: inst.id })).items.map((t) => t.id)).to.deep.equal([
      task!.id,
    ]);
    await second.completeTask(task!.id, { decision: 'approve' }, alice);
    expect((await second.getInstance(inst.id)).status).to.equal('completed');
    await second.close();
  });

  it('should remove a task left open by an instance that ended just before a crash', async () => {
    // given
    const { first, stores, inst, task } = await startWithTask();
    await first.completeTask(task!.id, { decision: 'approve' }, alice);
    // the completion's own task removal first (it follows behind the checkpoint), or it would undo the setup
    await first.settled();
    expect(await stores.tasks.get(task!.id)).to.equal(undefined);
    await stores.tasks.insert([task!]); // as if the crash came before the task was deleted
    await stores.meta.set({ clean: false });
    // when
    const { runtime: second } = await createTestRuntime(ctx.db);
    await second.recover();
    // then
    expect((await second.listTasks({ instanceId: inst.id })).total).to.equal(0);
    expect((await second.taskHistory(inst.id)).map((h) => [h.id, h.outcome])).to.deep.equal([
      [task!.id, 'completed'],
    ]);
    await second.close();
  });

  it('should reconcile only the checkpoints of the crashed run, keeping an instance waiting since an earlier run', async () => {
    // given: an instance left waiting by a clean shutdown, then a run that starts another and crashes after
    // losing that one's task record
    const { first, inst: earlier, task: earlierTask } = await startWithTask();
    await first.close();
    const { runtime: second, stores } = await createTestRuntime(ctx.db);
    await second.recover();
    const later = await second.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
      alice,
    );
    const [laterTask] = (await second.listTasks({ instanceId: later.id })).items;
    await second.settled();
    await stores.tasks.remove([laterTask!.id]);
    // when
    const { runtime: third } = await createTestRuntime(ctx.db);
    await third.recover();
    // then: the crashed run's instance gets its task back, the earlier one keeps its own
    expect((await third.listTasks({ instanceId: later.id })).items.map((t) => t.id)).to.deep.equal([
      laterTask!.id,
    ]);
    expect((await third.listTasks({ instanceId: earlier.id })).items.map((t) => t.id)).to.deep.equal([
      earlierTask!.id,
    ]);
    await third.completeTask(earlierTask!.id, { decision: 'approve' }, alice);
    expect((await third.getInstance(earlier.id)).status).to.equal('completed');
    await third.close();
  });

  it('should resume a service left in flight by a clean shutdown, with the result memoised by executionId', async () => {
    // given: a service that does not answer before the first runtime shuts down
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { runtime: first, stores } = await createTestRuntime(ctx.db, {
      serviceWaitMs: 50,
      services: { 'test-record': async () => (await gate, { from: 'first' }) },
    });
    await first.deploy(fixture('engine-service'), admin);
    const inst = await first.start({ key: 'engine-service' }, alice);
    expect(inst.waiting.map((w) => w.type)).to.deep.equal(['bpmn:ServiceTask']);
    await first.close();
    // the call finishes after the shutdown: its result is stored under the execution id
    release();
    const executionId = inst.waiting[0]!.executionId;
    await waitUntil(() => stores.serviceCalls.get(`${inst.id}:${executionId}`), 'the memoised result');
    // when
    let secondCalls = 0;
    const { runtime: second } = await createTestRuntime(ctx.db, {
      services: { 'test-record': async () => (secondCalls++, { from: 'second' }) },
    });
    await second.recover();
    // then
    const moved = await waitUntil(async () => {
      const i = await second.getInstance(inst.id);
      return i.waiting.some((w) => w.elementId === 'confirm') ? i : undefined;
    });
    // the same execution is not repeated: its stored result is used
    expect(moved!.variables).to.include({ from: 'first' });
    expect(secondCalls).to.equal(0);
    await second.close();
  });

  it('should take a clean stop as clean when a process is deployed at start before recovery', async () => {
    // given: a clean stop, then an ended copy of the waiting instance behind the server's back (crash repair
    // would take it for a move to history that a crash cut off, and drop the active copy)
    const { first, inst } = await startWithTask();
    await first.close();
    const doc = await ctx.db.conn.collection('instances').findOne({ _id: inst.id as never });
    await ctx.db.conn.collection('instance_history').insertOne({ ...doc!, status: 'completed' });
    // when: the next start deploys a new process first (which marks the run as running), then recovers
    const { runtime: second, stores } = await createTestRuntime(ctx.db);
    expect((await second.deploy(fixture('engine-gateways'), admin)).created).to.equal(true);
    await second.recover();
    // then: no crash repair ran: the instance is still active
    expect((await stores.instances.active()).map((r) => r.id)).to.include(inst.id);
    await second.close();
    expect((await stores.meta.get())?.clean).to.equal(true);
  });

  it('should finish the move to history of an instance whose ended checkpoint reached only its active copy', async () => {
    // given: an instance that ended, its ended checkpoint back in the active collection and not in history
    // (a kill between the two ordered writes of the move), its task still open
    const { first, stores, inst, task } = await startWithTask();
    await first.completeTask(task!.id, { decision: 'approve' }, alice);
    await first.settled();
    const history = ctx.db.conn.collection('instance_history');
    const ended = await history.findOne({ _id: inst.id as never });
    await ctx.db.conn.collection('instances').insertOne(ended!);
    await history.deleteOne({ _id: inst.id as never });
    await stores.tasks.insert([task!]);
    await stores.meta.set({ clean: false, endedFirst: true });
    // when
    const { runtime: second } = await createTestRuntime(ctx.db);
    await second.recover();
    // then: in history only, ended, without open tasks
    expect(await ctx.db.conn.collection('instances').findOne({ _id: inst.id as never })).to.equal(null);
    expect((await history.findOne({ _id: inst.id as never }))?.status).to.equal('completed');
    expect((await second.getInstance(inst.id)).status).to.equal('completed');
    expect((await second.listTasks({ instanceId: inst.id })).total).to.equal(0);
    await second.close();
  });
});
