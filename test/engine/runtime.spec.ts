import { expect } from 'chai';
import type { EngineRuntime } from '../../server/engine/runtime.js';
import type { RuntimeStores } from '../../server/engine/stores.js';
import type { TaskRecord } from '../../server/engine/types.js';
import { useTestDatabase } from '../helpers/database.js';
import {
  admin,
  alice,
  bob,
  caught,
  createTestRuntime,
  fixture,
  recordEvents,
  type TestClock,
} from './runtime-harness.js';

describe('engine/runtime (instances and user tasks)', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;
  let stores: RuntimeStores;
  let clock: TestClock;

  before(async () => {
    ({ runtime, stores, clock } = await createTestRuntime(ctx.db, { maxLiveEngines: 2 }));
    await runtime.deploy(fixture('engine-simple-task'), admin);
    await runtime.deploy(fixture('engine-gateways'), admin);
  });
  after(async () => {
    await runtime.close();
  });

  async function openTasks(instanceId: string): Promise<TaskRecord[]> {
    return (await runtime.listTasks({ instanceId })).items;
  }

  it('should start an instance and open a task with Camunda attributes resolved by FEEL', async () => {
    // given
    const seen = recordEvents(runtime, ['instance.started', 'task.created', 'instance.waiting']);
    // read at the moment of the event: the instance's checkpoint is durable, and a read through the runtime
    // already sees the task (its record may still be on its way to the collection, and the read waits for it)
    const lookups: Promise<TaskRecord | undefined>[] = [];
    const onCreated = ({ task }: { task: TaskRecord }) => {
      lookups.push(runtime.getTask(task.id));
    };
    runtime.events.on('task.created', onCreated);
    // when
    const instance = await runtime.start(
      { key: 'engine-simple-task', businessKey: 'POL-1', variables: { reviewer: 'alice', province: 'kab' } },
      bob,
    );
    runtime.events.off('task.created', onCreated);
    // then
    expect(instance).to.include({
      key: 'engine-simple-task',
      version: 1,
      status: 'running',
      businessKey: 'POL-1',
    });
    expect(instance.waiting).to.have.length(1);
    expect(instance.waiting[0]).to.include({ elementId: 'review', type: 'bpmn:UserTask' });
    const [task] = await openTasks(instance.id);
    expect(task).to.deep.include({
      instanceId: instance.id,
      elementId: 'review',
      name: { en: 'Review', fa: 'بررسی' },
      processName: { en: 'Simple review', fa: 'بررسی ساده' },
      assignee: 'alice',
      candidateGroups: ['province-kab', 'plan-policy'],
      priority: 70,
      formKey: 'simple-review',
      businessKey: 'POL-1',
      dueAt: new Date(clock.now().getTime() + 2 * 86_400_000).toISOString(),
    });
    expect(task!.id).to.equal(`${instance.id}:${task!.executionId}`);
    expect(seen.map((e) => e.event)).to.deep.equal(['task.created', 'instance.waiting', 'instance.started']);
    expect((await Promise.all(lookups)).map((t) => t?.id)).to.deep.equal([task!.id]);
    // and once the records behind the checkpoint are in, the collection has it too
    await runtime.settled();
    expect((await stores.tasks.get(task!.id))?.id).to.equal(task!.id);
  });

  it('should compute a follow-up date in office working days (Friday off)', async () => {
    // given: Wednesday 10:30 in Kabul
    clock.current = new Date('2026-12-02T06:00:00.000Z');
    // when
    const instance = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
      bob,
    );
    // then: two working days later is Saturday 10:30 (Thursday counts, Friday does not)
    const [task] = await openTasks(instance.id);
    expect(task!.followUpAt).to.equal('2026-12-05T06:00:00.000Z');
    expect(task!.dueAt).to.equal('2026-12-04T06:00:00.000Z');
  });

  it('should refuse invalid form data with per-field bilingual errors and change nothing', async () => {
    // given
    const instance = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'bal' } },
      alice,
    );
    const [task] = await openTasks(instance.id);
    // when
    const err = await caught(runtime.completeTask(task!.id, { decision: 'return', extra: 1 }, alice));
    // then
    expect(err.code).to.equal('RV_ERR_FORM_INVALID');
    expect(err.status).to.equal(422);
    const errors = (err.details as { errors: { field: string; keyword: string; message: object }[] }).errors;
    expect(errors).to.deep.include({
      field: 'comments',
      keyword: 'required',
      message: { fa: 'در صورت برگشت، ملاحظات لازم است.', en: 'Comments are required when returning.' },
    });
    expect(errors.map((e) => e.keyword)).to.include('additionalProperties');
    expect((await openTasks(instance.id)).map((t) => t.id)).to.deep.equal([task!.id]);
    expect((await runtime.getInstance(instance.id)).status).to.equal('running');
  });

  it('should complete a task into history with who, when and data, and end the instance', async () => {
    // given
    const instance = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'her' } },
      bob,
    );
    const [task] = await openTasks(instance.id);
    const seen = recordEvents(runtime, ['task.completed', 'instance.completed']);
    clock.current = new Date('2026-11-29T07:30:00.000Z');
    // when
    const done = await runtime.completeTask(task!.id, { decision: 'approve', comments: 'ok' }, alice);
    // then
    expect(done).to.include({ outcome: 'completed', endedBy: 'alice', endedAt: '2026-11-29T07:30:00.000Z' });
    expect(done.data).to.deep.equal({ decision: 'approve', comments: 'ok' });
    const after = await runtime.getInstance(instance.id);
    expect(after.status).to.equal('completed');
    expect(after.variables).to.deep.include({ decision: 'approve', comments: 'ok', reviewer: 'alice' });
    expect(await openTasks(instance.id)).to.deep.equal([]);
    expect((await runtime.taskHistory(instance.id)).map((h) => [h.id, h.outcome])).to.deep.equal([
      [task!.id, 'completed'],
    ]);
    expect(seen.map((e) => e.event)).to.deep.equal(['task.completed', 'instance.completed']);
    expect((await caught(runtime.completeTask(task!.id, { decision: 'approve' }, alice))).code).to.equal(
      'RV_ERR_TASK_NOT_OPEN',
    );
  });

  it('should claim, refuse a second claimant, unclaim and assign through the instance queue', async () => {
    // given
    const instance = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: null, province: 'kab' } },
      bob,
    );
    const [task] = await openTasks(instance.id);
    expect(task!.assignee).to.equal(undefined);
    // when
    const claimed = await runtime.claimTask(task!.id, alice);
    const refused = await caught(runtime.claimTask(task!.id, bob));
    const stolen = await caught(runtime.completeTask(task!.id, { decision: 'approve' }, bob));
    const unclaimed = await runtime.unclaimTask(task!.id, alice);
    const assigned = await runtime.assignTask(task!.id, 'bob', admin);
    const overwritten = await caught(runtime.assignTask(task!.id, 'alice', alice));
    // then
    expect(claimed.assignee).to.equal('alice');
    expect(refused.code).to.equal('RV_ERR_TASK_CLAIMED');
    expect(stolen.code).to.equal('RV_ERR_TASK_CLAIMED');
    expect(unclaimed.assignee).to.equal(undefined);
    expect(assigned.assignee).to.equal('bob');
    expect(overwritten.code, 'staff cannot take over a task someone holds').to.equal('RV_ERR_TASK_CLAIMED');
    expect((await runtime.getTask(task!.id)).assignee).to.equal('bob');
    expect((await runtime.listTasks({ assignee: 'bob', instanceId: instance.id })).total).to.equal(1);
    const trail = await runtime.auditTrail(instance.id);
    expect(trail.map((e) => e.type).filter((t) => t.startsWith('task.'))).to.deep.equal([
      'task.created',
      'task.claimed',
      'task.unclaimed',
      'task.assigned',
    ]);
  });

  it('should list only the tasks an actor may see', async () => {
    // given
    const instance = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: null, province: 'nan' } },
      bob,
    );
    const outsider = { id: 'zara', groups: ['legal'], roles: ['staff' as const] };
    const provincial = { id: 'omar', groups: ['province-nan'], roles: ['staff' as const] };
    // when
    const forOutsider = await runtime.listTasks({ visibleTo: outsider, instanceId: instance.id });
    const forProvincial = await runtime.listTasks({ visibleTo: provincial, instanceId: instance.id });
    // then
    expect(forOutsider.total).to.equal(0);
    expect(forProvincial.total).to.equal(1);
  });

  it('should route an exclusive gateway by a FEEL condition and join a parallel gateway', async () => {
    // given
    const big = await runtime.start({ key: 'engine-gateways' }, alice);
    const small = await runtime.start({ key: 'engine-gateways' }, alice);
    // when
    await runtime.completeTask(
      (await openTasks(big.id))[0]!.id,
      { cost: 5000, funding: 'commission' },
      alice,
    );
    await runtime.completeTask((await openTasks(small.id))[0]!.id, { cost: 5000, funding: 'host' }, alice);
    // then
    expect((await openTasks(big.id)).map((t) => t.elementId)).to.deep.equal(['finance-check']);
    expect((await openTasks(small.id)).map((t) => t.elementId).sort()).to.deep.equal(['tickets', 'visa']);

    // when: the big one passes finance, then both finish their parallel branches one by one
    await runtime.completeTask((await openTasks(big.id))[0]!.id, {}, bob);
    expect((await openTasks(big.id)).map((t) => t.elementId).sort()).to.deep.equal(['tickets', 'visa']);
    for (const id of [big.id, small.id]) {
      const [first, second] = await openTasks(id);
      await runtime.completeTask(first!.id, {}, bob);
      expect((await runtime.getInstance(id)).status).to.equal('running');
      expect((await openTasks(id)).map((t) => t.id)).to.deep.equal([second!.id]);
      await runtime.completeTask(second!.id, {}, bob);
    }
    // then
    expect((await runtime.getInstance(big.id)).status).to.equal('completed');
    expect((await runtime.getInstance(small.id)).status).to.equal('completed');
    expect((await runtime.taskHistory(big.id)).map((h) => h.elementId)).to.have.members([
      'request',
      'finance-check',
      'visa',
      'tickets',
    ]);
  });

  it('should evict idle engines and recover waiting instances from disk on demand', async () => {
    // given: more waiting instances than live engines (2)
    const started = [];
    for (let i = 0; i < 5; i++)
      started.push(
        await runtime.start(
          { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
          bob,
        ),
      );
    await runtime.idle();
    expect(runtime.liveCount).to.be.at.most(2);
    // when: the oldest is completed (its engine was stopped; it recovers from its checkpoint)
    const [task] = await openTasks(started[0]!.id);
    await runtime.completeTask(task!.id, { decision: 'approve' }, alice);
    // then
    expect((await runtime.getInstance(started[0]!.id)).status).to.equal('completed');
    expect((await runtime.taskHistory(started[0]!.id)).map((h) => h.executionId)).to.deep.equal([
      task!.executionId,
    ]);
  });

  it('should start a given version and refuse an unknown key', async () => {
    // given
    await runtime.deploy(fixture('engine-simple-task').replace('name="Review"', 'name="Review v2"'), admin);
    // when
    const v1 = await runtime.start(
      { key: 'engine-simple-task', version: 1, variables: { reviewer: 'a', province: 'x' } },
      bob,
    );
    const latest = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'a', province: 'x' } },
      bob,
    );
    const err = await caught(runtime.start({ key: 'no-such-process' }, bob));
    // then
    expect(v1.version).to.equal(1);
    expect(latest.version).to.equal(2);
    expect((await openTasks(latest.id))[0]!.name.en).to.equal('Review v2');
    expect(err.code).to.equal('RV_ERR_DEFINITION_NOT_FOUND');
  });

  it('should cancel an instance with a reason and close its tasks as cancelled', async () => {
    // given
    const instance = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
      bob,
    );
    // when
    const cancelled = await runtime.cancel(instance.id, 'duplicate request', admin);
    // then
    expect(cancelled).to.include({ status: 'cancelled', cancelReason: 'duplicate request' });
    expect(await openTasks(instance.id)).to.deep.equal([]);
    expect((await runtime.taskHistory(instance.id)).map((h) => h.outcome)).to.deep.equal(['cancelled']);
  });
});
