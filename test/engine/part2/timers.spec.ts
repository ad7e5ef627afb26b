import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import { useTestDatabase } from '../../helpers/database.js';
import { alice } from '../runtime-harness.js';
import { advance, completions, fakeDate, HOUR, part2Runtime } from './part2-harness.js';

describe('engine/runtime-part2 timers', () => {
  const ctx = useTestDatabase();
  let clock: ReturnType<typeof fakeDate>;
  let runtime: EngineRuntime;

  beforeEach(async () => {
    clock = fakeDate();
    ({ runtime } = await part2Runtime(ctx.db, ['timer-boundary', 'timer-catch']));
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
