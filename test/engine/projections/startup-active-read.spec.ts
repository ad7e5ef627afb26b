import { expect } from 'chai';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, createTestRuntime, fixture } from '../runtime-harness.js';

describe('engine/projections/projecting-stores (the active instances read once at start-up)', function () {
  this.timeout(120_000);
  const ctx = useTestDatabase();

  /** Stores whose read model has loaded, and a way to add an active instance behind their back. */
  async function loadedStores() {
    const stores = await createRuntimeStores(ctx.db);
    await stores.readModel.ready();
    const active = ctx.db.conn.collection('instances');
    const sample = (await active.findOne({ businessKey: 'A-1' }))!;
    const addUnseen = (id: string, businessKey: string) =>
      active.insertOne({ ...sample, _id: id as never, businessKey });
    return { stores, addUnseen };
  }
  const refs = (recs: { businessKey?: string }[]) => recs.map((r) => r.businessKey).sort();

  before(async () => {
    const { runtime } = await createTestRuntime(ctx.db);
    await runtime.deploy(fixture('engine-bench'), admin);
    for (const businessKey of ['A-1', 'A-2'])
      await runtime.start({ key: 'engine-bench', businessKey }, admin);
    await runtime.close();
  });

  it('should give the next read of the active instances the load’s own read, once', async () => {
    // given: a loaded read model, then an active instance it cannot have seen (only the server writes there)
    const { stores, addUnseen } = await loadedStores();
    await addUnseen('unseen-1', 'A-3');
    // when
    const first = await stores.instances.active({ withoutState: true });
    const second = await stores.instances.active({ withoutState: true });
    // then: the first is the load's read (no second read of the collection), the next one reads anew
    expect(refs(first)).to.deep.equal(['A-1', 'A-2']);
    expect(refs(second)).to.deep.equal(['A-1', 'A-2', 'A-3']);
    await ctx.db.conn.collection('instances').deleteOne({ _id: 'unseen-1' as never });
  });

  it('should read the active instances anew once anything was written through the stores', async () => {
    // given: a loaded read model, an instance added behind its back, then a write through the stores
    const { stores, addUnseen } = await loadedStores();
    await addUnseen('unseen-2', 'A-4');
    const a2 = (await ctx.db.conn.collection('instances').findOne({ businessKey: 'A-2' }))!;
    await stores.instances.removeActive(a2._id as unknown as string);
    // when
    const read = await stores.instances.active({ withoutState: true });
    // then: what the collection holds now, not what the load read
    expect(refs(read)).to.deep.equal(['A-1', 'A-4']);
  });
});
