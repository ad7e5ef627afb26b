import { Binary } from 'mongodb';
import { expect } from 'chai';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, createTestRuntime, fixture } from '../runtime-harness.js';

describe('engine/projections/read-model (searches wait for the instances only, figures for the task facts too)', function () {
  this.timeout(120_000);
  const ctx = useTestDatabase();

  before(async () => {
    // instances run to their end and one still running, then a snapshot of the projections
    const { runtime } = await createTestRuntime(ctx.db);
    await runtime.deploy(fixture('engine-bench'), admin);
    for (let i = 0; i < 3; i++) {
      const inst = await runtime.start({ key: 'engine-bench', businessKey: `DONE-${i}` }, admin);
      const [task] = (await runtime.listTasks({ instanceId: inst.id })).items;
      await runtime.completeTask(task!.id, {}, admin);
    }
    await runtime.start({ key: 'engine-bench', businessKey: 'OPEN-1' }, admin);
    await runtime.close();
    const stores = await createRuntimeStores(ctx.db);
    await stores.readModel.ready();
    await stores.readModel.snapshot();
  });

  it('should answer searches from the snapshot when its task facts cannot be read, and fail the load the figures wait for', async () => {
    // given: the snapshot's task facts part damaged on disk
    const parts = ctx.db.conn.collection('read_models');
    const factsPart = await parts.findOne({ _id: { $regex: /^snap:\d+:tasks:0$/ } as never });
    expect(factsPart, 'a task facts part').to.not.equal(null);
    await parts.updateOne({ _id: factsPart!._id }, { $set: { data: new Binary(Buffer.from('not gzip')) } });
    // when: a server starts on it
    const stores = await createRuntimeStores(ctx.db);
    const loaded = stores.readModel.ready();
    loaded.catch(() => undefined);
    await stores.readModel.instancesReady();
    // then: searches have every instance, ended and running
    const ended = await stores.instances.list({ status: 'completed', limit: 50 });
    expect(ended.items.map((r) => r.businessKey).sort()).to.deep.equal(['DONE-0', 'DONE-1', 'DONE-2']);
    const running = await stores.instances.list({ status: 'running', limit: 50 });
    expect(running.items.map((r) => r.businessKey)).to.deep.equal(['OPEN-1']);
    // and: the load as a whole fails (the figures would be wrong without the facts), so it is tried again
    let failed: unknown;
    await loaded.catch((err: unknown) => (failed = err));
    expect(failed).to.be.an('error');
    expect(stores.readModel.facts.size).to.equal(0);
  });
});
