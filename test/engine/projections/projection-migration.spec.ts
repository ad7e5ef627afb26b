import { expect } from 'chai';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, createTestRuntime, fixture } from '../runtime-harness.js';

describe('persistence/projection-rebuild (a database from before the projections)', function () {
  this.timeout(120_000);
  const ctx = useTestDatabase();

  it('should make the projections once from the records when a database has none', async () => {
    // given: instances run to their end, then the projections are gone (as in a database made before them)
    const { runtime } = await createTestRuntime(ctx.db);
    await runtime.deploy(fixture('engine-bench'), admin);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const inst = await runtime.start({ key: 'engine-bench', businessKey: `OLD-${i}` }, admin);
      const [task] = (await runtime.listTasks({ instanceId: inst.id })).items;
      await runtime.completeTask(task!.id, {}, admin);
      ids.push(inst.id);
    }
    await runtime.close();
    const trailsBefore = new Map<string, number[]>();
    const stores0 = await createRuntimeStores(ctx.db);
    for (const id of ids)
      trailsBefore.set(
        id,
        (await stores0.audit.byInstance(id)).map((e) => e.seq),
      );
    await ctx.db.conn.collection('read_models').drop();
    await ctx.db.conn.collection('instance_trails').drop();

    // when: a server starts on it
    const stores = await createRuntimeStores(ctx.db);
    await stores.readModel.ready();

    // then: search, audit trails and task history are back, exactly as they were
    const page = await stores.instances.list({ status: 'completed', limit: 50 });
    expect(page.items.map((r) => r.businessKey).sort()).to.deep.equal(['OLD-0', 'OLD-1', 'OLD-2']);
    for (const id of ids) {
      expect((await stores.audit.byInstance(id)).map((e) => e.seq)).to.deep.equal(trailsBefore.get(id));
      expect(await stores.taskHistory.byInstance(id)).to.have.length(1);
    }
    expect(stores.readModel.facts.size).to.equal(3);
  });
});
