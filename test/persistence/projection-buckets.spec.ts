import { expect } from 'chai';
import type { InstanceEntry } from '../../server/engine/projections/instance-entry.js';
import { BUCKET_CAP } from '../../server/persistence/day-bucket-fill.js';
import { MongoProjectionStore } from '../../server/persistence/mongo-projection-store.js';
import { useTestDatabase } from '../helpers/database.js';

const DAY = '2026-12-05';

function ended(from: number, count: number, day = DAY): InstanceEntry[] {
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        id: `${day}-${from + i}`,
        startedAt: `${day}T05:00:00.000Z`,
        endedAt: `${day}T06:${String(i % 60).padStart(2, '0')}:00.000Z`,
      }) as unknown as InstanceEntry,
  );
}

describe('persistence/projection store: day buckets of a busy day', function () {
  this.timeout(60_000);
  const ctx = useTestDatabase();

  async function bucketSizes(day = DAY): Promise<Record<string, number>> {
    const list = (await ctx.db.conn.collection('read_models').findOne({ _id: 'days:ended' } as never)) as {
      days: string[];
    } | null;
    const sizes: Record<string, number> = {};
    for (const id of list?.days ?? []) {
      if (!id.startsWith(day)) continue;
      const doc = await ctx.db.conn.collection('read_models').findOne({ _id: `ended:${id}` } as never);
      sizes[id] = (doc?.items as unknown[] | undefined)?.length ?? 0;
    }
    return sizes;
  }

  /** The bucket sizes `count` items of one day fill, in order: `BUCKET_CAP` each, the rest in the last. */
  function filled(count: number, day = DAY): Record<string, number> {
    const sizes: Record<string, number> = {};
    for (let n = 0; n * BUCKET_CAP < count; n++)
      sizes[n ? `${day}~${n}` : day] = Math.min(BUCKET_CAP, count - n * BUCKET_CAP);
    return sizes;
  }

  it('should spread a day of more than one bucket over numbered buckets, and go on filling them after a restart', async () => {
    // given 1,234 instances that ended on one day, written in batches of 200
    const store = new MongoProjectionStore(ctx.db.conn);
    for (let from = 0; from < 1234; from += 200)
      await store.addEnded(ended(from, Math.min(200, 1234 - from)));

    // then the day's buckets hold at most the cap each, and a load reads every entry once
    expect(Object.keys(filled(1234)).length).to.be.above(2);
    expect(await bucketSizes()).to.deep.equal(filled(1234));
    expect((await store.loadEnded()).length).to.equal(1234);

    // when a new store (a restart) adds 300 more
    const again = new MongoProjectionStore(ctx.db.conn);
    await again.addEnded(ended(1234, 300));

    // then it filled the day's last bucket first, and a load of the touched buckets finds them all
    expect(await bucketSizes()).to.deep.equal(filled(1534));
    const ids = new Set((await again.loadEnded()).map((e) => e.id));
    expect(ids.size).to.equal(1534);
    const touched = await again.touchedSince(0);
    expect(touched.ended.sort()).to.deep.equal(Object.keys(filled(1534)).sort());
    expect((await again.loadEndedDays(touched.ended)).length).to.equal(1534);
  });

  it('should add to the day list and the touched list only the buckets they do not name yet', async () => {
    // given a store that wrote one batch of a day of its own, and every statement on the projections from then on
    const day = '2026-12-06';
    const store = new MongoProjectionStore(ctx.db.conn);
    await store.addEnded(ended(0, 3, day));
    const models = ctx.db.conn.collection('read_models');
    const statements: string[] = [];
    const bulkWrite = models.bulkWrite.bind(models);
    models.bulkWrite = ((ops: { updateOne?: { filter: { _id: string } } }[], options: never) => {
      for (const op of ops) if (op.updateOne) statements.push(op.updateOne.filter._id);
      return bulkWrite(ops as never, options);
    }) as never;
    try {
      // when two more batches of the same bucket come, then one that opens the day's next bucket
      await store.addEnded(ended(3, 3, day));
      await store.addEnded(ended(6, 3, day));
      await store.addEnded(ended(9, BUCKET_CAP, day));
    } finally {
      models.bulkWrite = bulkWrite as never;
    }

    // then the first two grew the bucket alone; the lists were written for the new bucket only
    expect(statements).to.deep.equal([
      `ended:${day}`,
      `ended:${day}`,
      'touched:ended:0',
      `ended:${day}`,
      `ended:${day}~1`,
      'days:ended',
    ]);
    expect(await bucketSizes(day)).to.deep.equal(filled(9 + BUCKET_CAP, day));
    expect((await store.touchedSince(0)).ended).to.include.members([day, `${day}~1`]);
  });
});
