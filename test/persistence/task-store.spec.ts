import { expect } from 'chai';
import type { Actor, TaskFilter, TaskRecord } from '../../server/engine/types.js';
import { MongoTaskStore } from '../../server/persistence/task-store.js';
import { useTestDatabase } from '../helpers/database.js';

function task(id: string, over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    instanceId: `inst-${id}`,
    definitionKey: 'policy-approval',
    definitionVersion: 1,
    elementId: 'review',
    executionId: `exec-${id}`,
    name: { fa: 'بررسی', en: 'Review' },
    processName: { fa: 'تصویب پالیسی', en: 'Policy approval' },
    candidateGroups: [],
    candidateUsers: [],
    priority: 50,
    createdAt: '2026-11-01T08:00:00.000Z',
    ...over,
  };
}

/**
 * The inbox query (filters, sorts, pages) served from the store's mirror of the open tasks; the mirror must
 * answer what the collection holds, through loads and writes.
 */
describe('persistence/task-store (inbox query)', () => {
  const t = useTestDatabase();
  const maryam: Actor = { id: 'maryam', groups: ['plan-policy'], roles: ['staff'] };

  const tasks = [
    task('a', { assignee: 'maryam', priority: 80, dueAt: '2026-11-10T12:00:00.000Z' }),
    task('b', { candidateGroups: ['plan-policy'], priority: 50, dueAt: '2026-11-05T12:00:00.000Z' }),
    task('c', {
      candidateUsers: ['maryam'],
      priority: 50,
      createdAt: '2026-11-02T08:00:00.000Z',
      businessKey: 'POL-1405-17',
    }),
    task('d', { candidateGroups: ['media'], priority: 20, definitionKey: 'media-publication' }),
    task('e', {
      assignee: 'karim',
      candidateGroups: ['plan-policy'],
      priority: 90,
      dueAt: '2026-11-20T12:00:00.000Z',
      createdAt: '2026-10-30T08:00:00.000Z',
    }),
  ];
  const ids = (page: { items: TaskRecord[] }) => page.items.map((x) => x.id);

  it('should filter what an actor may see, by assignee, group, claim, due date and process', async () => {
    // given
    const store = new MongoTaskStore(t.db.conn);
    await store.insert(tasks);
    const list = (f: TaskFilter) => store.list(f).then(ids);
    // when, then
    expect(await list({ visibleTo: maryam })).to.deep.equal(['e', 'a', 'b', 'c']);
    expect(await list({ assignee: 'maryam' })).to.deep.equal(['a']);
    expect(await list({ assignee: null })).to.deep.equal(['b', 'd', 'c']);
    expect(await list({ unclaimed: true, visibleTo: maryam })).to.deep.equal(['b', 'c']);
    expect(await list({ candidateGroup: 'plan-policy' })).to.deep.equal(['e', 'b']);
    expect(await list({ overdueAt: '2026-11-15T00:00:00.000Z' })).to.deep.equal(['a', 'b']);
    expect(await list({ key: 'media-publication' })).to.deep.equal(['d']);
    expect(await list({ instanceId: 'inst-c' })).to.deep.equal(['c']);
    expect(await list({ visibleTo: { id: 'nobody', groups: [], roles: ['staff'] } })).to.deep.equal([]);
  });

  it('should find by text in any case, by a due limit and by least priority', async () => {
    // given the tasks of the last test
    const store = new MongoTaskStore(t.db.conn);
    const list = (f: TaskFilter) => store.list(f).then(ids);
    // when, then
    expect(await list({ text: 'pol-1405' })).to.deep.equal(['c']);
    expect(await list({ text: 'MEDIA' })).to.deep.equal(['d']);
    expect(await list({ text: 'تصویب', key: 'policy-approval' })).to.deep.equal(['e', 'a', 'b', 'c']);
    expect(await list({ text: '  ' })).to.have.length(5);
    expect(await list({ minPriority: 80 })).to.deep.equal(['e', 'a']);
    expect(await list({ dueBy: '2026-11-10T12:00:00.000Z' })).to.deep.equal(['a', 'b']);
  });

  it('should sort missing values first, break ties by id and page with the total', async () => {
    // given a store that loads what the last test wrote
    const store = new MongoTaskStore(t.db.conn);
    const list = (f: TaskFilter) => store.list(f).then(ids);
    // when, then
    expect(await list({ sort: 'dueAt' })).to.deep.equal(['c', 'd', 'b', 'a', 'e']);
    expect(await list({ sort: '-dueAt' })).to.deep.equal(['e', 'a', 'b', 'c', 'd']);
    expect(await list({ sort: 'priority' })).to.deep.equal(['d', 'b', 'c', 'a', 'e']);
    expect(await list({ sort: '-priority' })).to.deep.equal(['e', 'a', 'b', 'c', 'd']);
    expect(await list({ sort: '-createdAt' })).to.deep.equal(['c', 'a', 'b', 'd', 'e']);
    const page = await store.list({ sort: 'priority', skip: 1, limit: 2 });
    expect([ids(page), page.total, page.skip, page.limit]).to.deep.equal([['b', 'c'], 5, 1, 2]);
  });

  it('should answer what the collection holds after writes, as a store that loads it afresh does', async () => {
    // given a store whose mirror is loaded
    const store = new MongoTaskStore(t.db.conn);
    await store.list({});
    // when it claims one, removes one, adds one, and a replayed insert brings an old copy again
    await store.upsert([{ ...tasks[1]!, assignee: 'maryam', claimedAt: '2026-11-03T09:00:00.000Z' }]);
    await store.remove(['d']);
    await Promise.all([store.insert([task('f', { priority: 10 })]), store.list({})]);
    await store.insert([tasks[1]!]);
    const fromMirror = await store.list({ sort: 'priority' });
    const afresh = await new MongoTaskStore(t.db.conn).list({ sort: 'priority' });
    // then
    expect(ids(fromMirror)).to.deep.equal(['f', 'b', 'c', 'a', 'e']);
    expect(fromMirror).to.deep.equal(afresh);
    expect(fromMirror.items.find((x) => x.id === 'b')).to.include({ assignee: 'maryam' });
    expect(await store.list({ unclaimed: true }).then(ids)).to.deep.equal(['f', 'c']);
  });

  it('should load the mirror right while writes land during the load', async function () {
    // eleven loads of 2,000 tasks: 15-20 s at load 16 on 2 CPUs, past mocha's 60 s once under heavier load
    this.timeout(180_000);
    // given enough other tasks that a load takes a while; whether a write lands before or after the load's
    // read is up to the database, so five fresh stores each load while writes land (a mirror that missed a
    // write landing after its read shows in 2 of 3 single rounds, measured)
    const fillers = Array.from({ length: 2000 }, (_, n) => task(`filler-${n}`, { definitionKey: 'filler' }));
    await new MongoTaskStore(t.db.conn).insert(fillers);
    const ours = { key: 'policy-approval', sort: 'priority' } as const;
    for (let round = 1; round <= 5; round++) {
      const store = new MongoTaskStore(t.db.conn);
      // when its first list reads the collection while a task is added, one claimed and one removed
      await Promise.all([
        store.list({}),
        store.insert([task(`g${round}`, { priority: round })]),
        store.upsert([{ ...tasks[2]!, assignee: round % 2 ? 'maryam' : 'karim' }]),
        store.remove([round === 1 ? 'f' : `g${round - 1}`]),
      ]);
      // then it answers what a store loading afterwards reads
      expect(await store.list(ours), `round ${round}`).to.deep.equal(
        await new MongoTaskStore(t.db.conn).list(ours),
      );
    }
    const last = await new MongoTaskStore(t.db.conn).list(ours);
    expect(ids(last)).to.deep.equal(['g5', 'b', 'c', 'a', 'e']);
    expect(last.items.find((x) => x.id === 'c')).to.include({ assignee: 'maryam' });
    await new MongoTaskStore(t.db.conn).remove(fillers.map((f) => f.id));
  });

  it('should hand out copies, so that a caller cannot change the mirror', async () => {
    // given
    const store = new MongoTaskStore(t.db.conn);
    const [first] = (await store.list({ instanceId: 'inst-a' })).items;
    // when
    first!.candidateGroups.push('media');
    first!.assignee = 'someone-else';
    // then
    const [again] = (await store.list({ instanceId: 'inst-a' })).items;
    expect(again).to.include({ assignee: 'maryam' });
    expect(again!.candidateGroups).to.deep.equal([]);
  });
});
