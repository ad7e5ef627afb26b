import { expect } from 'chai';
import { AuditWriter } from '../../server/engine/audit-chain.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { MongoProjectionStore } from '../../server/persistence/mongo-projection-store.js';
import { useTestDatabase } from '../helpers/database.js';

describe("persistence/runtime-stores: the audit chain's end, from a head written once a second", function () {
  this.timeout(60_000);
  const ctx = useTestDatabase();

  /** Appends `count` batches of one entry; the seq of the last one. */
  async function appendBatches(count: number): Promise<number> {
    const writer = new AuditWriter((await createRuntimeStores(ctx.db)).audit);
    for (let i = 0; i < count; i++)
      await writer.append([{ at: new Date().toISOString(), actor: 'alice', type: 'test.entry' }]);
    return writer.lastSeq();
  }

  it('should write the head document at most once a second, not with every batch', async () => {
    // when 20 batches are appended to an empty chain
    const t0 = Date.now();
    const end = await appendBatches(20);
    const took = Date.now() - t0;

    // then the head names the first batch's entry, unless the appends took over a second (a busy machine)
    const head = await new MongoProjectionStore(ctx.db.conn).getMeta<{ seq: number }>('audit-head');
    expect(end).to.equal(20);
    if (took < 1000) expect(head?.seq).to.equal(1);
    else expect(head?.seq).to.be.within(1, 20);
  });

  for (const lag of [0, 1, 2, 5, 37, 130]) {
    it(`should find the chain's end when the head lags ${lag} entries behind it`, async () => {
      // given a chain whose head names the entry `lag` before its end
      const end = await appendBatches(lag + 3);
      const projections = new MongoProjectionStore(ctx.db.conn);
      const at = (await projections.readAudit([end - lag]))[0]!;
      await projections.setMeta('audit-head', { seq: at.seq, hash: at.hash });

      // when a new start looks for the end
      const last = await (await createRuntimeStores(ctx.db)).audit.last();

      // then it is the last entry, with its hash
      const [stored] = await projections.readAudit([end]);
      expect(last?.seq).to.equal(end);
      expect(last?.hash).to.equal(stored!.hash);
    });
  }
});
