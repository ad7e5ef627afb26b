import { expect } from 'chai';
import type { InstanceEntry } from '../../server/engine/projections/instance-entry.js';
import { BUCKET_CAP } from '../../server/persistence/day-bucket-fill.js';
import { MongoProjectionStore } from '../../server/persistence/mongo-projection-store.js';
import { useTestDatabase } from '../helpers/database.js';

const DAY = '2026-12-05';

function ended(from: number, count: number): InstanceEntry[] {
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        id: `i-${from + i}`,
        startedAt: `${DAY}T05:00:00.000Z`,
        endedAt: `${DAY}T06:${String(i % 60).padStart(2, '0')}:00.000Z`,
      }) as unknown as InstanceEntry,
  );
}

describe('persistence/projection store: day buckets of a busy day', function () {
  this.timeout(60_000);
  const ctx = useTestDatabase();

  async function bucketSizes(): Promise<Record<string, number>> {
    const list = (await ctx.db.conn.collection('read_models').findOne({ _id: 'days:ended' } as never)) as {
      days: string[];
    } | null;
    const sizes: Record<string, number> = {};
    for (const id of list?.days ?? []) {
      const doc = await ctx.db.conn.collection('read_models').findOne({ _id: `ended:${id}` } as never);
      sizes[id] = (doc?.items as unknown[] | undefined)?.length ?? 0;
    }
    return sizes;
  }

  it('should spread a day of more than one bucket over numbered buckets, and go on filling them after a restart', async () => {
    // given 1,234 instances that ended on one day, written in batches of 200
    const store = new MongoProjectionStore(ctx.db.conn);
    for (let from = 0; from < 1234; from += 200)
      await store.addEnded(ended(from, Math.min(200, 1234 - from)));

    // then the day's buckets hold at most the cap each, and a load reads every entry once
    expect(BUCKET_CAP).to.equal(500);
    expect(await bucketSizes()).to.deep.equal({ [DAY]: 500, [`${DAY}~1`]: 500, [`${DAY}~2`]: 234 });
    expect((await store.loadEnded()).length).to.equal(1234);

    // when a new store (a restart) adds 300 more
    const again = new MongoProjectionStore(ctx.db.conn);
    await again.addEnded(ended(1234, 300));

    // then it filled the day's last bucket first, and a load of the touched buckets finds them all
    expect(await bucketSizes()).to.deep.equal({
      [DAY]: 500,
      [`${DAY}~1`]: 500,
      [`${DAY}~2`]: 500,
      [`${DAY}~3`]: 34,
    });
    const ids = new Set((await again.loadEnded()).map((e) => e.id));
    expect(ids.size).to.equal(1534);
    const touched = await again.touchedSince(0);
    expect(touched.ended.sort()).to.deep.equal([DAY, `${DAY}~1`, `${DAY}~2`, `${DAY}~3`]);
    expect((await again.loadEndedDays(touched.ended)).length).to.equal(1534);
  });
});
