import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import { useTestDatabase } from '../../helpers/database.js';
import { alice } from '../runtime-harness.js';
import { createCalendar } from '../../../server/engine/calendar.js';
import { feelFunctions } from '../../../server/engine/feel-functions.js';
import { advance, completions, DAY, fakeDate, HOUR, featureRuntime } from './feature-harness.js';

describe('engine/features/timers', () => {
  const ctx = useTestDatabase();
  let clock: ReturnType<typeof fakeDate>;
  let runtime: EngineRuntime;

  beforeEach(async () => {
    clock = fakeDate();
    ({ runtime } = await featureRuntime(ctx.db, ['timer-boundary', 'timer-catch']));
    await runtime.recover();
  });

  afterEach(async () => {
    await runtime.close();
    clock.uninstall();
  });

  it('should fire a non-interrupting cycle three times, then the interrupting deadline', async () => {
    // given
    const started = await runtime.start({ key: 'p2-timer-boundary' }, alice);
    const [job] = (await runtime.listTasks({ instanceId: started.id })).items;
    expect(job?.elementId).to.equal('review');
    // when the reminders fall due
    await advance(runtime, clock, 2 * HOUR);
    await advance(runtime, clock, 2 * HOUR);
    await advance(runtime, clock, 2 * HOUR);
    // then the review is still open after three reminders
    expect(await completions(runtime, started.id, 'end-reminded')).to.equal(3);
    expect((await runtime.listTasks({ instanceId: started.id })).items.map((t) => t.elementId)).to.deep.equal(
      ['review'],
    );
    // when the deadline passes
    await advance(runtime, clock, 2 * HOUR);
    // then the review is cancelled and escalated; no fourth reminder
    expect((await runtime.listTasks({ instanceId: started.id })).items.map((t) => t.elementId)).to.deep.equal(
      ['escalate-review'],
    );
    expect(await completions(runtime, started.id, 'end-reminded')).to.equal(3);
    const history = await runtime.taskHistory(started.id);
    expect(history.map((h) => [h.elementId, h.outcome])).to.deep.equal([['review', 'cancelled']]);
  });
});

describe('engine/features/timers across restarts', () => {
  const ctx = useTestDatabase();
  let clock: ReturnType<typeof fakeDate>;
  const open: EngineRuntime[] = [];

  beforeEach(() => {
    clock = fakeDate();
  });

  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
    clock.uninstall();
  });

  async function boot(): Promise<EngineRuntime> {
    const { runtime } = await featureRuntime(ctx.db, ['timer-catch']);
    open.push(runtime);
    await runtime.recover();
    return runtime;
  }

  it('should fire timers that fell due while the server was down once each, in order of due time', async () => {
    // given three waits, started out of due order, and a server that stops
    const first = await boot();
    const late = await first.start({ key: 'p2-timer-catch', variables: { wait: 'PT3H' } }, alice);
    const early = await first.start({ key: 'p2-timer-catch', variables: { wait: 'PT1H' } }, alice);
    const middle = await first.start({ key: 'p2-timer-catch', variables: { wait: 'PT2H' } }, alice);
    const notYet = await first.start({ key: 'p2-timer-catch', variables: { wait: 'PT9H' } }, alice);
    await first.close();
    // when the server is down for five hours and starts again
    clock.tick(5 * HOUR);
    const second = await boot();
    // then the three overdue timers fired once each, earliest first, and the fourth still waits
    const trail = [
      ...(await second.auditTrail(late.id)),
      ...(await second.auditTrail(early.id)),
      ...(await second.auditTrail(middle.id)),
      ...(await second.auditTrail(notYet.id)),
    ]
      .filter((e) => e.type === 'timer.fired')
      .sort((a, b) => a.seq - b.seq);
    expect(trail.map((e) => e.instanceId)).to.deep.equal([early.id, middle.id, late.id]);
    for (const id of [early.id, middle.id, late.id])
      expect((await second.listTasks({ instanceId: id })).items.map((t) => t.elementId)).to.deep.equal([
        'act',
      ]);
    expect((await second.getInstance(notYet.id)).waiting.map((w) => w.elementId)).to.deep.equal([]);
    // and a further pass fires nothing again
    await advance(second, clock, 1000);
    const again = (await second.auditTrail(early.id)).filter((e) => e.type === 'timer.fired');
    expect(again).to.have.length(1);
    expect((await second.verifyAudit()).ok).to.equal(true);
  });

  it('should fire a 90-day timer at its time, never earlier, with Node timers capped', async () => {
    // given
    const runtime = await boot();
    const started = await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P90D' } }, alice);
    expect(runtime.scheduler.nextWakeAt! - Date.now()).to.be.at.most(HOUR);
    // when 89 days and 23 hours pass
    await advance(runtime, clock, 90 * DAY - HOUR);
    // then nothing fired
    expect((await runtime.listTasks({ instanceId: started.id })).total).to.equal(0);
    // when the 90th day is over
    await advance(runtime, clock, HOUR);
    // then the timer fired once
    expect((await runtime.listTasks({ instanceId: started.id })).items.map((t) => t.elementId)).to.deep.equal(
      ['act'],
    );
    expect(await completions(runtime, started.id, 'wait-duration')).to.equal(1);
  });

  it('should set a working-day deadline through the office calendar', async () => {
    // given Sunday 1 March 2026, 08:30 in Kabul
    const runtime = await boot();
    const { runtime: reader, stores } = await featureRuntime(ctx.db, []);
    open.push(reader);
    const expected = feelFunctions(createCalendar(), () => new Date()).addWorkingDays(
      ...([new Date().toISOString(), 5] as never[]),
    ) as string;
    // when
    const started = await runtime.start({ key: 'p2-timer-catch', variables: { kind: 'workdays' } }, alice);
    // then the timer job is due five working days later
    const jobs = await stores.jobs.byInstance(started.id);
    expect(jobs.map((j) => [j.elementId, j.dueAt])).to.deep.equal([['wait-workdays', expected]]);
  });
});
