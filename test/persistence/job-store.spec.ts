import { expect } from 'chai';
import type { JobRecord } from '../../server/engine/stores.js';
import { DueQueue } from '../../server/persistence/due-queue.js';
import { jobModel, MongoJobStore } from '../../server/persistence/job-store.js';
import { useTestDatabase } from '../helpers/database.js';

function job(n: number, dueAt: string, instance = `i-${n}`): JobRecord {
  return {
    id: `${instance}:t${n}`,
    instanceId: instance,
    elementId: `t${n}`,
    executionId: `t${n}`,
    type: 'timer',
    dueAt,
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute)).toISOString();
const FAR = '9999-12-31T23:59:59.999Z';

describe('persistence/due-queue', () => {
  it('should keep jobs in due order, then by id, through replaces and deletes', () => {
    // given jobs written out of order, one of them moved later
    const q = new DueQueue();
    q.set(job(3, at(30)));
    q.set(job(1, at(10)));
    q.set(job(2, at(10)));
    q.set(job(4, at(5)));
    q.set(job(4, at(40)));
    q.delete('i-3:t3');
    q.delete('missing');
    // then
    expect(q.due(FAR, 10).map((j) => j.elementId)).to.deep.equal(['t1', 't2', 't4']);
    expect(q.due(at(10), 10).map((j) => j.elementId)).to.deep.equal(['t1', 't2']);
    expect(q.due(FAR, 1, 1).map((j) => j.elementId)).to.deep.equal(['t2']);
    expect(q.size).to.equal(3);
  });

  it('should answer one instance and hand out copies', () => {
    // given
    const q = new DueQueue();
    q.set(job(1, at(20), 'a'));
    q.set(job(2, at(10), 'a'));
    q.set(job(3, at(15), 'b'));
    // when a caller changes what it got
    const [first] = q.byInstance('a');
    first!.dueAt = at(59);
    // then the queue is unchanged
    expect(q.byInstance('a').map((j) => j.elementId)).to.deep.equal(['t2', 't1']);
    expect(q.byInstance('none')).to.deep.equal([]);
  });
});

/** The scheduler reads the due jobs from the store's mirror: it must answer what the collection holds. */
describe('persistence/job-store (mirror)', () => {
  const t = useTestDatabase();

  beforeEach(async () => {
    await jobModel(t.db.conn).collection.deleteMany({});
  });

  async function collection(): Promise<JobRecord[]> {
    const docs = await jobModel(t.db.conn).find({}).sort({ dueAt: 1, _id: 1 }).lean<{ job: string }[]>();
    return docs.map((d) => JSON.parse(d.job) as JobRecord);
  }

  it('should answer due jobs as the collection holds them through writes', async () => {
    // given jobs already in the collection when the store starts
    await new MongoJobStore(t.db.conn).upsert([job(1, at(10)), job(2, at(20)), job(3, at(30))]);
    const store = new MongoJobStore(t.db.conn);
    expect((await store.due(at(20), 10)).map((j) => j.elementId)).to.deep.equal(['t1', 't2']);
    // when jobs are added, moved and removed
    await store.upsert([job(4, at(5)), job(2, at(40))]);
    await store.remove(['i-1:t1']);
    // then the mirror and the collection agree
    expect(await store.due(FAR, 10)).to.deep.equal(await collection());
    expect((await store.due(at(30), 10)).map((j) => j.elementId)).to.deep.equal(['t4', 't3']);
    expect((await store.byInstance('i-2')).map((j) => j.dueAt)).to.deep.equal([at(40)]);
  });

  it('should keep the writes that land while the mirror loads', async () => {
    // given 1,000 jobs in the collection, and a store that has not read them yet
    await new MongoJobStore(t.db.conn).upsert(Array.from({ length: 1000 }, (_, i) => job(i, at(i % 60))));
    const store = new MongoJobStore(t.db.conn);
    // when writes land while the first read loads the mirror
    const first = store.due(FAR, 5000);
    const writes = Promise.all([
      store.upsert([job(5000, at(1))]),
      store.remove(['i-7:t7', 'i-8:t8']),
      store.upsert([job(9, at(59))]),
    ]);
    await Promise.all([first, writes]);
    // then the mirror holds every write
    const mirrored = await store.due(FAR, 5000);
    expect(mirrored).to.have.length(999);
    expect(mirrored).to.deep.equal(await collection());
  });
});

/** Job writes are group-committed; retired jobs leave the scheduler's view before their delete lands. */
describe('persistence/job-store (group commit and retired jobs)', () => {
  const t = useTestDatabase();

  beforeEach(async () => {
    await jobModel(t.db.conn).collection.deleteMany({});
  });

  async function stored(): Promise<string[]> {
    const docs = await jobModel(t.db.conn).find({}).lean<{ _id: string }[]>();
    return docs.map((d) => d._id).sort();
  }

  it('should write the others of a batch when one write in it cannot be written, each once', async () => {
    // given a store with its mirror loaded
    const store = new MongoJobStore(t.db.conn);
    await store.upsert([job(1, at(1))]);
    // when writes of several firings are made together, one of them too large for any document (17 MB)
    const huge = { ...job(3, at(3)), timer: { timeDate: 'x'.repeat(17 * 1024 * 1024) } };
    const results = await Promise.allSettled([
      store.upsert([job(2, at(2))]),
      store.upsert([huge]),
      store.remove(['i-1:t1']),
      store.upsert([job(4, at(4)), job(5, at(5))]),
    ]);
    // then only that one failed, and the collection and the scheduler's view hold every other write
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await stored()).to.deep.equal(['i-2:t2', 'i-4:t4', 'i-5:t5']);
    expect((await store.due(FAR, 10)).map((j) => j.id)).to.deep.equal(['i-2:t2', 'i-4:t4', 'i-5:t5']);
  });

  it('should take a retired job out of the due jobs at once and delete it behind', async () => {
    // given two jobs
    const store = new MongoJobStore(t.db.conn);
    await store.upsert([job(1, at(1)), job(2, at(2))]);
    // when one is retired
    const deleted = store.retire(['i-1:t1']);
    // then the scheduler no longer sees it before its delete lands, and the collection loses it after
    expect((await store.due(FAR, 10)).map((j) => j.id)).to.deep.equal(['i-2:t2']);
    await deleted;
    expect(await stored()).to.deep.equal(['i-2:t2']);
  });

  it('should keep a retired job out of a mirror loaded while its delete is on its way', async () => {
    // given 500 jobs in the collection, and a store that has not read them yet
    await new MongoJobStore(t.db.conn).upsert(Array.from({ length: 500 }, (_, i) => job(i, at(i % 60))));
    const store = new MongoJobStore(t.db.conn);
    // when jobs are retired and upserted again while the first read loads the mirror
    const first = store.due(FAR, 1000);
    const retired = store.retire(['i-7:t7', 'i-8:t8']);
    const moved = store.upsert([job(8, at(59))]);
    await Promise.all([first, retired, moved]);
    // then the mirror holds what the collection holds: 7 gone, 8 back at its new time
    const mirrored = await store.due(FAR, 1000);
    expect(mirrored.map((j) => j.id)).to.not.include('i-7:t7');
    expect(mirrored.find((j) => j.id === 'i-8:t8')?.dueAt).to.equal(at(59));
    expect(mirrored.map((j) => j.id).sort()).to.deep.equal(await stored());
  });

  it('should keep a job written again after it was retired (a timer re-armed with the same id)', async () => {
    // given a job
    const store = new MongoJobStore(t.db.conn);
    await store.upsert([job(1, at(1))]);
    // when it is retired and, before its delete went out, written again with a later due time
    const retired = store.retire(['i-1:t1']);
    await store.upsert([job(1, at(30))]);
    // (a retire resolves once its delete landed, or once a later write of the job took its place)
    await retired;
    // then the later write wins, in the collection and in the due jobs
    expect(await stored()).to.deep.equal(['i-1:t1']);
    expect((await store.due(FAR, 10)).map((j) => j.dueAt)).to.deep.equal([at(30)]);
  });
});
