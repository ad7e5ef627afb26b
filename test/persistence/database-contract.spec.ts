import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { connectDatabase } from '../../server/persistence/database.js';
import { startEmbeddedDb } from '../../server/persistence/embedded-db.js';
import { projectRoot } from '../../server/project-root.js';
import { useTestDatabase } from '../helpers/database.js';

/**
 * What Ravand relies on from its database, and the gaps it must design around, pinned against the real server.
 * On the embedded FerretDB 1.24 the gaps must fail; on a real MongoDB they work (our limits are then a choice).
 */
describe('persistence/database contract', () => {
  const t = useTestDatabase();
  let isFerret = false;

  before(async () => {
    const info = (await t.db.conn.db!.admin().command({ buildInfo: 1 })) as Record<string, unknown>;
    isFerret = 'ferretdbVersion' in info || 'ferretdb' in info;
  });

  it('should reject a duplicate key of a unique index with code 11000', async () => {
    // given
    const coll = t.db.conn.collection('contract_unique');
    await coll.createIndex({ executionId: 1 }, { unique: true });
    await coll.insertOne({ executionId: 'exec-1' });
    // when
    const err = await coll.insertOne({ executionId: 'exec-1' }).then(
      () => undefined,
      (e: { code?: number }) => e,
    );
    // then
    expect(err?.code).to.equal(11000);
    expect(await coll.countDocuments({ executionId: 'exec-1' })).to.equal(1);
  });

  it('should match nothing with a version-guarded update when the version moved', async () => {
    // given
    const coll = t.db.conn.collection('contract_versions');
    await coll.insertOne({ _id: 'inst-1' as never, version: 1, state: 'a' });
    await coll.updateOne(
      { _id: 'inst-1' as never, version: 1 },
      { $set: { state: 'b' }, $inc: { version: 1 } },
    );
    // when: a writer still holding version 1 tries to checkpoint
    const stale = await coll.updateOne(
      { _id: 'inst-1' as never, version: 1 },
      { $set: { state: 'stale' }, $inc: { version: 1 } },
    );
    // then
    expect(stale.matchedCount).to.equal(0);
    expect(await coll.findOne({ _id: 'inst-1' as never })).to.include({ version: 2, state: 'b' });
  });

  it('should keep data across a restart of the embedded database process', async () => {
    // given
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-restart-'));
    const cacheDir = path.join(projectRoot(), '.cache');
    try {
      let server = await startEmbeddedDb({ dataDir, cacheDir });
      let db = await connectDatabase(server.uri);
      await db.conn.collection('instances').insertOne({ _id: 'kept' as never, state: '{"a":1}', version: 3 });
      await db.close();
      await server.stop();
      // when
      server = await startEmbeddedDb({ dataDir, cacheDir });
      db = await connectDatabase(server.uri);
      // then
      expect(await db.conn.collection('instances').findOne({ _id: 'kept' as never })).to.deep.include({
        state: '{"a":1}',
        version: 3,
      });
      await db.close();
      await server.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('should find, replace and delete by _id through the _id index', async () => {
    // given: enough documents that a scan and an index lookup differ in the plan
    const coll = t.db.conn.collection<{ _id: string; n: number }>('contract_by_id');
    await coll.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `d${n}`, n })));
    // when
    const plan = (await t.db.conn.db!.command({
      explain: { find: 'contract_by_id', filter: { _id: 'd7' } },
    })) as { queryPlanner?: { Plan?: string[]; winningPlan?: unknown } };
    await coll.replaceOne({ _id: 'd7' }, { n: 700 });
    await coll.deleteOne({ _id: 'd8' });
    // then: FerretDB 1.24 as released scans the table here (embedded-db.ts patches it); MongoDB uses _id
    if (isFerret) expect(plan.queryPlanner?.Plan?.join(' ')).to.match(/SEARCH \S+ USING INDEX \S+__id_/);
    else expect(JSON.stringify(plan.queryPlanner?.winningPlan)).to.match(/IDHACK|EXPRESS|IXSCAN/);
    expect(await coll.findOne({ _id: 'd7' })).to.deep.equal({ _id: 'd7', n: 700 });
    expect(await coll.findOne({ _id: 'd8' })).to.equal(null);
    expect(await coll.countDocuments()).to.equal(49);
  });

  it('should find a list of _ids through the _id index, and answer any $in filter exactly', async () => {
    // given: string and whole-number ids, and a document whose _id is an object
    const coll = t.db.conn.collection<{ _id: unknown; n: number }>('contract_by_ids');
    await coll.insertMany([
      ...Array.from({ length: 50 }, (_, n) => ({ _id: `d${n}`, n })),
      ...Array.from({ length: 5 }, (_, n) => ({ _id: 1000 + n, n: 1000 + n })),
      { _id: { part: 1 }, n: -1 },
    ]);
    // when: a list of ids (one missing), then lists the index cannot serve alone
    const plan = (await t.db.conn.db!.command({
      explain: { find: 'contract_by_ids', filter: { _id: { $in: ['d3', 'd9'] } } },
    })) as { queryPlanner?: { Plan?: string[]; winningPlan?: unknown } };
    const ns = async (filter: object) =>
      (await coll.find(filter).toArray()).map((d) => d.n).sort((a, b) => a - b);
    // then: the embedded database uses the _id index for it (Ravand's patch), MongoDB too
    if (isFerret) expect(plan.queryPlanner?.Plan?.join(' ')).to.match(/SEARCH \S+ USING INDEX \S+__id_/);
    else expect(JSON.stringify(plan.queryPlanner?.winningPlan)).to.match(/IXSCAN|EXPRESS|IDHACK/);
    expect(await ns({ _id: { $in: ['d3', 'd9', 'missing'] } })).to.deep.equal([3, 9]);
    expect(await ns({ _id: { $in: [1001, 1003, 'd0'] } })).to.deep.equal([0, 1001, 1003]);
    // and: a list with an object or a condition beside $in is still answered exactly (filtered, not narrowed)
    expect(await ns({ _id: { $in: [{ part: 1 }, 'd1'] } })).to.deep.equal([-1, 1]);
    expect(await ns({ _id: { $in: ['d1', 'd2'], $ne: 'd2' } })).to.deep.equal([1]);
    expect(await ns({ _id: { $in: [] } })).to.deep.equal([]);
  });

  it('should run a bulk write in order: each statement sees the ones before, an upsert inserts, a failure stops an ordered one', async () => {
    // given (the embedded server runs a command's updates and deletes in one transaction: FERRETDB_PATCHES)
    const coll = t.db.conn.collection('contract_bulk');
    await coll.insertMany([
      { _id: 'a' as never, n: 1, s: 'x' },
      { _id: 'b' as never, n: 1 },
    ]);
    // when: one document twice, a new one by upsert, a deletion
    await coll.bulkWrite(
      [
        { updateOne: { filter: { _id: 'a' as never }, update: { $inc: { n: 1 } } } },
        { updateOne: { filter: { _id: 'a' as never }, update: { $inc: { n: 10 } } } },
        {
          updateOne: {
            filter: { _id: 'c' as never },
            update: { $push: { items: 1 } } as never,
            upsert: true,
          },
        },
        {
          updateOne: {
            filter: { _id: 'c' as never },
            update: { $push: { items: 2 } } as never,
            upsert: true,
          },
        },
        { deleteOne: { filter: { _id: 'b' as never } } },
      ],
      { ordered: true },
    );
    // then
    expect(await coll.find({}).sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 'a', n: 12, s: 'x' },
      { _id: 'c', items: [1, 2] },
    ]);

    // when an ordered bulk fails at its second statement ($inc of a string)
    const err = await coll
      .bulkWrite(
        [
          { updateOne: { filter: { _id: 'a' as never }, update: { $inc: { n: 1 } } } },
          { updateOne: { filter: { _id: 'a' as never }, update: { $inc: { s: 1 } } } },
          { updateOne: { filter: { _id: 'a' as never }, update: { $inc: { n: 100 } } } },
        ],
        { ordered: true },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // then it answers the error, and the statement before it stays applied
    expect(err).to.be.an('error');
    expect((await coll.findOne({ _id: 'a' as never }))?.n).to.equal(13);

    // when deletions come in one unordered bulk
    await coll.insertMany([{ _id: 'd' as never }, { _id: 'e' as never }]);
    await coll.bulkWrite(
      ['a', 'c', 'd', 'missing'].map((_id) => ({ deleteOne: { filter: { _id: _id as never } } })),
      { ordered: false },
    );
    // then
    expect((await coll.find({}).toArray()).map((d) => d._id)).to.deep.equal(['e']);
  });

  it('should refuse multi-document transactions on the embedded server', async () => {
    // given
    const coll = t.db.conn.collection('contract_tx');
    await coll.insertOne({ _id: 'seed' as never });
    const session = t.db.conn.getClient().startSession();
    // when
    const err = await session
      .withTransaction(async () => {
        await coll.insertOne({ _id: 'in-tx' as never }, { session });
      })
      .then(
        () => undefined,
        (e: Error) => e,
      )
      .finally(() => session.endSession().catch(() => undefined));
    // then
    if (isFerret) expect(err, 'transactions became available: revisit DESIGN.md').to.be.instanceOf(Error);
    else expect(err).to.equal(undefined);
  });

  it('should refuse $lookup on the embedded server', async () => {
    // given
    const coll = t.db.conn.collection('contract_lookup');
    await coll.insertOne({ ref: 1 });
    // when
    const err = await coll
      .aggregate([{ $lookup: { from: 'other', localField: 'ref', foreignField: '_id', as: 'joined' } }])
      .toArray()
      .then(
        () => undefined,
        (e: Error) => e,
      );
    // then
    if (isFerret) expect(err, '$lookup became available: revisit DESIGN.md').to.be.instanceOf(Error);
    else expect(err).to.equal(undefined);
  });

  it('should refuse TTL indexes on the embedded server', async () => {
    // given
    const coll = t.db.conn.collection('contract_ttl');
    await coll.insertOne({ expiresAt: new Date(0) });
    // when
    const err = await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }).then(
      () => undefined,
      (e: Error) => e,
    );
    // then: sessions are expired by a field and a sweep instead
    if (isFerret)
      expect(err?.message, 'TTL indexes became available: revisit DESIGN.md').to.match(/expireAfterSeconds/);
    else expect(err).to.equal(undefined);
  });

  it('should accept the aggregation stages the metrics rely on', async () => {
    // given
    const coll = t.db.conn.collection('contract_agg');
    await coll.insertMany([
      { key: 'a', status: 'running' },
      { key: 'a', status: 'completed' },
      { key: 'b', status: 'running' },
    ]);
    // when
    const rows = await coll
      .aggregate<{ _id: { key: string; status: string }; n: number }>([
        { $match: { key: { $in: ['a', 'b'] } } },
        { $group: { _id: { key: '$key', status: '$status' }, n: { $sum: 1 } } },
        { $sort: { '_id.key': 1, '_id.status': 1 } },
      ])
      .toArray();
    // then
    expect(rows.map((r) => [r._id.key, r._id.status, r.n])).to.deep.equal([
      ['a', 'completed', 1],
      ['a', 'running', 1],
      ['b', 'running', 1],
    ]);
  });

  it('should connect through mongoose models with our own index creation', async () => {
    // given
    const conn = t.db.conn;
    const Thing = conn.model('ContractThing', new mongoose.Schema({ code: { type: String, unique: true } }));
    // when
    await t.db.ensureIndexes();
    await Thing.create({ code: 'x' });
    const dup = await Thing.create({ code: 'x' }).then(
      () => undefined,
      (e: { code?: number }) => e,
    );
    // then
    expect(dup?.code).to.equal(11000);
    conn.deleteModel('ContractThing');
  });
});
