import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import type { TaskRecord } from '../../server/engine/types.js';
import { DueWatch, type DueMoment } from '../../server/notifications/due-watch.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-12-01T08:00:00Z');

function task(id: string, createdAt: number, dueAt: number | undefined): TaskRecord {
  return {
    id,
    instanceId: `i-${id}`,
    definitionKey: 'p',
    definitionVersion: 1,
    elementId: 'e',
    executionId: 'x',
    name: { fa: id, en: id },
    processName: { fa: 'p', en: 'p' },
    candidateGroups: [],
    candidateUsers: [],
    priority: 50,
    createdAt: new Date(createdAt).toISOString(),
    ...(dueAt === undefined ? {} : { dueAt: new Date(dueAt).toISOString() }),
  };
}

describe('notifications/due-watch', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let seen: string[];
  let watch: DueWatch;

  beforeEach(() => {
    clock = FakeTimers.install({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    seen = [];
    watch = new DueWatch((t, m: DueMoment) => seen.push(`${t.id}:${m}`));
  });

  afterEach(() => {
    watch.close();
    clock.uninstall();
  });

  /** Lets the coalesced pass run, then moves the clock. */
  async function advance(ms: number): Promise<void> {
    await Promise.resolve();
    await clock.tickAsync(ms);
  }

  it('should say "due tomorrow" a day before and "overdue" at the due time, each once', async () => {
    // given a task created now, due in three days
    watch.track(task('a', T0, T0 + 3 * DAY));
    // when two days pass, then a little more, then the due time
    await advance(2 * DAY - 1000);
    expect(seen).to.deep.equal([]);
    await advance(2000);
    expect(seen).to.deep.equal(['a:due-soon']);
    await advance(DAY);
    // then
    expect(seen).to.deep.equal(['a:due-soon', 'a:overdue']);
    watch.track(task('a', T0, T0 + 3 * DAY));
    await advance(HOUR);
    expect(seen).to.deep.equal(['a:due-soon', 'a:overdue']);
  });

  it('should give no "due tomorrow" to a task created within a day of its due date', async () => {
    // given
    watch.track(task('b', T0, T0 + 2 * HOUR));
    // when
    await advance(3 * HOUR);
    // then
    expect(seen).to.deep.equal(['b:overdue']);
  });

  it('should forget a task that ends and follow a due date that moves', async () => {
    // given
    watch.track(task('c', T0, T0 + HOUR));
    watch.track(task('d', T0, T0 + HOUR));
    // when c ends and d's due date moves a day later
    watch.untrack('c');
    watch.track(task('d', T0, T0 + DAY + HOUR));
    await advance(2 * HOUR);
    expect(seen).to.deep.equal(['d:due-soon']);
    await advance(DAY);
    // then
    expect(seen).to.deep.equal(['d:due-soon', 'd:overdue']);
  });

  it('should at a start announce tasks overdue for up to three days, not older ones', async () => {
    // given tasks found open at a start, one overdue for a day and one for a week
    watch.track(task('recent', T0 - 5 * DAY, T0 - DAY), true);
    watch.track(task('old', T0 - 20 * DAY, T0 - 7 * DAY), true);
    // when
    await advance(1);
    // then only the recent one, and no "due tomorrow" for a task already past due
    expect(seen).to.deep.equal(['recent:overdue']);
  });
});
