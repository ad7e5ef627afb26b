import { expect } from 'chai';
import { instanceToDoc, MongoInstanceStore } from '../../server/persistence/instance-store.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, createTestRuntime, fixture } from '../engine/runtime-harness.js';

describe('persistence/instance-store (ended instances read by a list of ids)', function () {
  this.timeout(120_000);
  const ctx = useTestDatabase();

  it('should give every ended instance of a list longer than one read takes, and leave out unknown ids', async () => {
    // given: 1,205 ended instances in history, copies of one that ran to its end
    const { runtime, stores } = await createTestRuntime(ctx.db);
    await runtime.deploy(fixture('engine-bench'), admin);
    const inst = await runtime.start({ key: 'engine-bench' }, admin);
    const [task] = (await runtime.listTasks({ instanceId: inst.id })).items;
    await runtime.completeTask(task!.id, {}, admin);
    await runtime.close();
    const ended = (await stores.instances.get(inst.id))!;
    expect(ended.status).to.equal('completed');
    const ids = Array.from({ length: 1205 }, (_, i) => `ended-${i}`);
    await ctx.db.conn
      .collection('instance_history')
      .insertMany(ids.map((id) => instanceToDoc({ ...ended, id, businessKey: id })) as never[]);
    // when
    const store = new MongoInstanceStore(ctx.db.conn);
    const got = await store.endedMany([...ids, 'no-such-instance'], { withoutState: true });
    // then: all of them, once each, without their engine state
    expect(got.map((r) => r.id).sort()).to.deep.equal([...ids].sort());
    expect(got.every((r) => r.state === undefined && r.businessKey === r.id)).to.equal(true);
    expect(await store.endedMany([])).to.deep.equal([]);
  });
});
