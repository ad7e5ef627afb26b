import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const plan = {
  title: 'Know your right to complain',
  objective: 'Voters in six provinces know how and where to lodge an electoral complaint.',
  audiences: ['voters', 'women', 'youth'],
  provinces: ['kab', 'her', 'kan', 'bal', 'nan', 'bam'],
  startDate: '2026-12-01',
  endDate: '2027-01-15',
  budget: 850000,
  milestones: [
    { title: 'Radio spots on national and local stations', dueDate: '2026-12-15' },
    { title: 'Town halls in the six provinces', dueDate: '2027-01-10' },
  ],
};
const budget = { decision: 'approve', approvedBudget: 800000, budgetLine: '22-340' };
const milestone = { status: 'completed', achieved: 'Done as planned.', spent: 400000 };

describe('processes/pr-campaign', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  it('should approve the budget and the campaign, carry out each milestone in turn and evaluate it for the leadership', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('pr-campaign');
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'plan-campaign', groups: ['public-info'], dueAt: '2026-12-10T05:00:00.000Z' },
    ]);

    // when Public Information plans it, finance approves the budget and the deputy the campaign
    await story.complete(id, 'plan-campaign', 'public-info', plan);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'approve-budget', groups: ['finance'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);
    await story.complete(id, 'approve-budget', 'finance', budget);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'approve-campaign', groups: ['deputy'], dueAt: '2026-12-02T05:00:00.000Z' },
    ]);
    await story.complete(id, 'approve-campaign', 'deputy', { decision: 'approve' });

    // then the milestones come one at a time, each due on its own date (16:00 Kabul)
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'execute-milestone', groups: ['public-info'], dueAt: '2026-12-15T11:30:00.000Z' },
    ]);
    await story.complete(id, 'execute-milestone', 'public-info', milestone);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'execute-milestone', groups: ['public-info'], dueAt: '2027-01-10T11:30:00.000Z' },
    ]);
    await story.complete(id, 'execute-milestone', 'public-info', { ...milestone, spent: 380000 });
    const reports = (await story.instance(id)).variables['execute-milestone-results'] as { spent: number }[];
    expect(reports.map((r) => r.spent)).to.deep.equal([400000, 380000]);

    // when Public Information evaluates it and the leadership first asks for a revision, then accepts
    const evaluation = {
      rating: 'met',
      totalSpent: 780000,
      outcomes: 'About 1.2 million listeners; 2,400 at town halls.',
    };
    await story.complete(id, 'evaluate-campaign', 'public-info', evaluation);
    expect((await story.task(id, 'review-evaluation-leadership')).candidateGroups).to.deep.equal([
      'leadership',
    ]);
    await story.complete(id, 'review-evaluation-leadership', 'leadership', {
      decision: 'revise',
      comments: 'Break the reach down by province.',
    });
    expect(await story.waitingAt(id)).to.deep.equal(['evaluate-campaign']);
    await story.complete(id, 'evaluate-campaign', 'public-info', {
      ...evaluation,
      lessons: 'Radio works best in the south.',
    });
    await story.complete(id, 'review-evaluation-leadership', 'leadership', { decision: 'accept' });

    // then the evaluation is on record
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.reportNumber).to.match(/^R-1405-\d{4}$/);
  });

  it('should return the plan for replanning from finance and stop a campaign the deputy rejects', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('pr-campaign');
    await story.complete(id, 'plan-campaign', 'public-info', plan);

    // when finance returns it
    await story.complete(id, 'approve-budget', 'finance', {
      decision: 'return',
      comments: 'Cut the TV spots.',
    });
    // then Public Information plans again
    expect(await story.waitingAt(id)).to.deep.equal(['plan-campaign']);
    await story.complete(id, 'plan-campaign', 'public-info', { ...plan, budget: 600000 });

    // when finance approves but the deputy rejects
    await story.complete(id, 'approve-budget', 'finance', { ...budget, approvedBudget: 600000 });
    await story.complete(id, 'approve-campaign', 'deputy', {
      decision: 'reject',
      comments: 'Wait for the new law.',
    });
    // then no milestone is started
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables['execute-milestone-results']).to.equal(undefined);
    expect(await story.openTasks(id)).to.deep.equal([]);
  });

  it('should refuse approving a budget without the amount and the budget line', async () => {
    // given
    const { id } = await story.start('pr-campaign');
    await story.complete(id, 'plan-campaign', 'public-info', plan);
    const task = await story.task(id, 'approve-budget');
    // when
    const err = await story.runtime
      .completeTask(task.id, { decision: 'approve' }, { id: 'f', groups: ['finance'], roles: ['staff'] })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; details?: { errors?: { field: string }[] } },
      );
    // then
    expect(err?.code).to.equal('RV_ERR_FORM_INVALID');
    expect(err?.details?.errors?.map((e) => e.field).sort()).to.deep.equal(['approvedBudget', 'budgetLine']);
  });

  it('should give the deputy a follow-up when the campaign runs past its end date', async () => {
    // given a campaign whose second milestone is still open
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('pr-campaign');
    await story.complete(id, 'plan-campaign', 'public-info', plan);
    await story.complete(id, 'approve-budget', 'finance', budget);
    await story.complete(id, 'approve-campaign', 'deputy', { decision: 'approve' });
    await story.complete(id, 'execute-milestone', 'public-info', milestone);
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'timer-campaign-overrun', dueAt: '2027-01-15T11:30:00.000Z' },
    ]);

    // when the end date (Friday 15 January, 16:00 Kabul) passes
    await story.advanceTo('2027-01-15T11:30:00.000Z');
    // then the deputy follows it up within 2 working days, counted from Saturday 08:00: Monday 18 January 08:00
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'escalate-campaign-overrun', groups: ['deputy'], dueAt: '2027-01-18T03:30:00.000Z' },
      { elementId: 'execute-milestone', groups: ['public-info'], dueAt: '2027-01-10T11:30:00.000Z' },
    ]);

    // when the last milestone is reported, the campaign goes to evaluation with the follow-up still the deputy's
    await story.complete(id, 'execute-milestone', 'public-info', { ...milestone, status: 'partly' });
    expect(await story.waitingAt(id)).to.deep.equal(['escalate-campaign-overrun', 'evaluate-campaign']);
  });
});
