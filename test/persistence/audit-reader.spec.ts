import { expect } from 'chai';
import { MongoAuditStore } from '../../server/persistence/audit-store.js';
import { projectionsOf } from '../../server/persistence/runtime-stores.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, createTestRuntime, fixture } from '../engine/runtime-harness.js';

describe("persistence/runtime-stores: the HTTP layer's audit reader", function () {
  this.timeout(60_000);
  const ctx = useTestDatabase();

  it("should read one instance's entries through its trail, not by a filter over the whole chain", async () => {
    // given: an instance run to its end, and a stray entry naming it that no trail lists
    const { runtime } = await createTestRuntime(ctx.db);
    await runtime.deploy(fixture('engine-bench'), admin);
    const inst = await runtime.start({ key: 'engine-bench', businessKey: 'AR-1' }, admin);
    const [task] = (await runtime.listTasks({ instanceId: inst.id })).items;
    await runtime.completeTask(task!.id, {}, admin);
    const trail = (await runtime.auditTrail(inst.id)).map((e) => e.seq);
    await ctx.db.conn.collection('events').insertOne({
      _id: 1_000_000,
      at: new Date().toISOString(),
      actor: 'x',
      type: 'stray',
      instanceId: inst.id,
    } as never);

    // when
    const read = await projectionsOf(ctx.db)!.auditReader.byInstance(inst.id);
    const scanned = await new MongoAuditStore(ctx.db.conn).byInstance(inst.id);

    // then: the runtime's trail, in order; a scan of `events` (what the reader was) also finds the stray
    expect(trail.length).to.be.greaterThan(2);
    expect(read.map((e) => e.seq)).to.deep.equal(trail);
    expect(scanned.map((e) => e.seq)).to.deep.equal([...trail, 1_000_000]);
    await runtime.close();
  });
});
