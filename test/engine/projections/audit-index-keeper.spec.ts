import { expect } from 'chai';
import { AuditIndexKeeper } from '../../../server/engine/projections/audit-index-keeper.js';
import type { AuditEvent } from '../../../server/engine/types.js';
import { auditModel, auditToDoc } from '../../../server/persistence/audit-store.js';
import { MongoAuditIndexStore } from '../../../server/persistence/audit-index-store.js';
import { MongoProjectionStore } from '../../../server/persistence/mongo-projection-store.js';
import { createRuntimeStores } from '../../../server/persistence/runtime-stores.js';
import { openTestDatabase } from '../../helpers/database.js';

const ACTORS = ['system', 'legal.officer', 'legal.head', 'auditor'];
const TYPES = ['instance.started', 'task.claimed', 'task.completed', 'instance.completed'];

/** Entries `from` … `from + n - 1` of a chain (the index reads seq, time, actor and type only). */
function entries(from: number, n: number): AuditEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = from + i;
    return {
      seq,
      at: new Date(Date.UTC(2026, 0, 1) + seq * 61_000).toISOString(),
      actor: ACTORS[(seq * 7) % ACTORS.length]!,
      type: TYPES[(seq * 3) % TYPES.length]!,
      prevHash: 'x',
      hash: `h${seq}`,
    };
  });
}

const rowsOf = (list: AuditEvent[]) =>
  list.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, type: e.type }));

async function indexRows(keeper: AuditIndexKeeper) {
  const index = await keeper.current();
  return Array.from({ length: index.size }, (_, i) => index.row(i + 1));
}

describe('engine/projections/audit-index-keeper', function () {
  this.timeout(60_000);
  let db: Awaited<ReturnType<typeof openTestDatabase>>;

  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('should build once from the chain, then load its stored parts and read only the tail by _id', async () => {
    // given: a database with a chain and no index yet
    const first = await createRuntimeStores(db);
    const all = entries(1, 120);
    for (let i = 0; i < 100; i += 25) await first.audit.insertMany(all.slice(i, i + 25));
    // when: a start builds it from the chain and stores it; more entries come; another start loads it
    const second = await createRuntimeStores(db);
    await second.auditIndex.ready();
    await second.auditIndex.persist();
    await second.audit.insertMany(all.slice(100, 120));
    const third = await createRuntimeStores(db);
    await third.auditIndex.ready();
    // then
    expect(second.auditIndex.loadStats).to.include({ from: 'chain', entries: 100 });
    expect(third.auditIndex.loadStats).to.include({ from: 'parts', entries: 120, tail: 20 });
    expect(await indexRows(third.auditIndex)).to.deep.equal(rowsOf(all));
  });

  it('should leave out rows past the end of the chain, and build again when the parts belong to another chain', async () => {
    // given: an index stored at 60 entries, then a chain that ends at 45 (a backup that copied the index after it)
    const stores = await createRuntimeStores(db);
    const all = entries(1, 60);
    await stores.audit.insertMany(all);
    await stores.auditIndex.ready();
    await stores.auditIndex.persist();
    const events = auditModel(db.conn).collection;
    for (let seq = 46; seq <= 60; seq++) await events.deleteOne({ _id: seq } as never);
    // when
    const cut = await createRuntimeStores(db);
    await cut.auditIndex.ready();
    // and: the chain's entry 45 is not the one the index holds
    await events.replaceOne(
      { _id: 45 } as never,
      auditToDoc({ ...all[44]!, actor: 'someone-else' }) as never,
    );
    const other = await createRuntimeStores(db);
    await other.auditIndex.ready();
    // then
    expect(cut.auditIndex.loadStats).to.include({ from: 'parts', entries: 45 });
    expect(await indexRows(cut.auditIndex)).to.deep.equal(rowsOf(all.slice(0, 45)));
    expect(other.auditIndex.loadStats).to.include({ from: 'chain', entries: 45 });
    expect((await other.auditIndex.current()).row(45)?.actor).to.equal('someone-else');
    await Promise.all([cut, other].map((s) => s.auditIndex.close()));
  });

  it('should keep appends written while it loads, and read the seqs a half-failed write left out', async () => {
    // given
    const stores = await createRuntimeStores(db);
    const all = entries(1, 90);
    await stores.audit.insertMany(all.slice(0, 30));
    // when: entries come while it loads
    const loading = stores.auditIndex.ready();
    await stores.audit.insertMany(all.slice(30, 50));
    await loading;
    // and: a batch reached the chain without reaching the index (a write that failed half way), then more
    await auditModel(db.conn).collection.insertMany(all.slice(50, 60).map((e) => auditToDoc(e)) as never[]);
    await stores.audit.insertMany(all.slice(60, 90));
    // then
    expect(await indexRows(stores.auditIndex)).to.deep.equal(rowsOf(all));
    expect((await stores.auditIndex.current()).search({ actor: 'auditor' }, 0, 5).total).to.equal(
      all.filter((e) => e.actor === 'auditor').length,
    );
    await stores.auditIndex.close();
  });

  it('should rewrite only the last part and load parts that a crash wrote ahead of the head', async () => {
    // given: parts of 16 rows
    const projections = new MongoProjectionStore(db.conn);
    const chain = {
      scanAudit: () => projections.scanAudit(),
      lastSeq: async () => (await auditModel(db.conn).countDocuments()) as number,
    };
    const store = new MongoAuditIndexStore(db.conn, chain);
    const writes: number[] = [];
    const counting = Object.assign(Object.create(store) as MongoAuditIndexStore, {
      writePart: (n: number, data: Buffer) => {
        writes.push(n);
        return store.writePart(n, data);
      },
    });
    const keeper = new AuditIndexKeeper(counting, { rowsPerPart: 16 });
    const all = entries(1, 70);
    const append = async (list: AuditEvent[]) => {
      await auditModel(db.conn).collection.insertMany(list.map((e) => auditToDoc(e)) as never[]);
      keeper.applyAppended(list);
    };
    await append(all.slice(0, 40));
    await keeper.ready();
    await keeper.persist();
    const firstWrites = [...writes];
    await append(all.slice(40, 50));
    await keeper.persist();
    const headAt50 = (await store.readHead())!;
    // when: parts written past their head (a crash between the parts and the head)
    await append(all.slice(50, 70));
    await keeper.persist();
    await store.writeHead(headAt50);
    const ahead = new AuditIndexKeeper(store, { rowsPerPart: 16 });
    await ahead.ready();
    // then: a full part is written once; the load keeps what the head names and reads the rest by _id
    expect(firstWrites).to.deep.equal([0, 1, 2]);
    expect(writes.slice(3)).to.deep.equal([2, 3, 3, 4]);
    expect(headAt50.upTo).to.equal(50);
    expect(ahead.loadStats).to.include({ from: 'parts', tail: 20 });
    expect(await indexRows(ahead)).to.deep.equal(rowsOf(all));
  });
});
