import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { MongoJobStore } from '../../../server/persistence/job-store.js';
import { Scheduler } from '../../../server/engine/scheduler.js';
import type { JobRecord } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';

const DAY = 86_400_000;

function job(id: string, dueAt: string): JobRecord {
  return { id: `i-${id}:${id}`, instanceId: `i-${id}`, elementId: id, executionId: id, type: 'timer', dueAt };
}

describe('engine/scheduler', () => {
  const ctx = useTestDatabase();
  let clock: ReturnType<typeof FakeTimers.install>;
  let store: MongoJobStore;
  let scheduler: Scheduler | undefined;

  beforeEach(async () => {
    clock = FakeTimers.install({ toFake: ['Date'], now: new Date('2026-03-01T08:00:00Z') });
    store = new MongoJobStore(ctx.db.conn);
    await store.remove((await store.due('9999-12-31T00:00:00Z', 1000)).map((j) => j.id));
  });

  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    clock.uninstall();
  });

  function consuming(fired: string[]): (j: JobRecord) => Promise<void> {
    return async (j) => {
      fired.push(j.elementId);
      await store.remove([j.id]);
    };
  }

  it('should fire overdue jobs once each right after start, in order of due time', async () => {
    // given jobs that fell due while no scheduler ran, written out of order
    await store.upsert([
      job('c', '2026-03-01T07:30:00Z'),
      job('a', '2026-02-20T00:00:00Z'),
      job('later', '2026-03-02T00:00:00Z'),
      job('b', '2026-02-28T12:00:00Z'),
    ]);
    const fired: string[] = [];
    scheduler = new Scheduler({ jobs: store, fire: consuming(fired) });
    // when
    await scheduler.start();
    // then
    expect(fired).to.deep.equal(['a', 'b', 'c']);
    // the next job is 16 h away: the scheduler sleeps at most an hour, then re-reads
    expect(scheduler.nextWakeAt).to.equal(Date.parse('2026-03-01T09:00:00Z'));
  });

  it('should still fire later due jobs when a full page of earlier ones keeps failing', async () => {
    // given: three early jobs whose instances cannot move (e.g. failed) and a later one that can, page size 2
    await store.upsert([
      job('stuck-1', '2026-03-01T06:00:00Z'),
      job('stuck-2', '2026-03-01T06:10:00Z'),
      job('stuck-3', '2026-03-01T06:20:00Z'),
      job('ok', '2026-03-01T07:00:00Z'),
    ]);
    const fired: string[] = [];
    scheduler = new Scheduler({
      jobs: store,
      batch: 2,
      fire: async (j) => {
        if (j.elementId.startsWith('stuck')) throw new Error('instance has an incident');
        await consuming(fired)(j);
      },
    });
    // when
    await scheduler.start();
    // then
    expect(fired).to.deep.equal(['ok']);
    expect((await store.due('9999-12-31T00:00:00Z', 10)).map((j) => j.elementId)).to.deep.equal([
      'stuck-1',
      'stuck-2',
      'stuck-3',
    ]);
  });

  it('should never arm a Node timer longer than its cap and fire a 90-day job when the clock gets there', async () => {
    // given
    const dueAt = new Date(Date.now() + 90 * DAY).toISOString();
    await store.upsert([job('long', dueAt)]);
    const fired: string[] = [];
    scheduler = new Scheduler({ jobs: store, fire: consuming(fired), maxSleepMs: 3_600_000 });
    await scheduler.start();
    expect(fired).to.deep.equal([]);
    expect(scheduler.nextWakeAt! - Date.now()).to.be.at.most(3_600_000);
    // when 89 days pass, nothing; when 90 days have passed, the job fires
    clock.tick(89 * DAY);
    await scheduler.poke();
    expect(fired).to.deep.equal([]);
    clock.tick(DAY);
    await scheduler.poke();
    // then
    expect(fired).to.deep.equal(['long']);
    expect(await store.due('9999-12-31T00:00:00Z', 10)).to.deep.equal([]);
  });

  it('should defer a job its handler did not consume instead of spinning on it', async () => {
    // given a handler that fails once
    await store.upsert([job('held', '2026-03-01T07:00:00Z')]);
    let calls = 0;
    scheduler = new Scheduler({
      jobs: store,
      retryMs: 60_000,
      fire: async () => {
        calls++;
        if (calls === 1) throw new Error('engine busy');
        await store.remove(['i-held:held']);
      },
    });
    // when
    await scheduler.start();
    // then it was tried once and the next wake is the retry time
    expect(calls).to.equal(1);
    expect(scheduler.nextWakeAt).to.equal(Date.now() + 60_000);
    clock.tick(60_000);
    await scheduler.poke();
    expect(calls).to.equal(2);
    expect(scheduler.nextWakeAt).to.equal(undefined);
  });

  it('should wake earlier when notified of an earlier job', async () => {
    // given
    await store.upsert([job('late', '2026-03-01T10:00:00Z')]);
    const fired: string[] = [];
    scheduler = new Scheduler({ jobs: store, fire: consuming(fired) });
    await scheduler.start();
    expect(scheduler.nextWakeAt).to.equal(Date.parse('2026-03-01T09:00:00Z')); // capped at one hour
    // when
    await store.upsert([job('soon', '2026-03-01T08:00:05Z')]);
    scheduler.notify('2026-03-01T08:00:05Z');
    // then
    expect(scheduler.nextWakeAt).to.equal(Date.parse('2026-03-01T08:00:05Z'));
  });
});
