import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const policy = {
  policyNumber: 'P-1405-0007',
  title: 'Complaint intake policy',
  policyType: 'short-term',
  summary: 'Every provincial office registers complaints in one book.',
};
const plan = {
  provinces: ['kab', 'her'],
  departments: ['legal'],
  actions: 'Brief the complaint officers; register complaints in the new book.',
  startDate: '2026-12-01',
  reportDueDate: '2026-12-20',
};
const report = (status: string, progressPercent: number) => ({
  status,
  progressPercent,
  achievements: 'Officers briefed.',
});

describe('processes/policy-implementation', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  it('should ask each chosen province and department for one report, then consolidate it for the leadership', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('policy-implementation', policy);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'plan-implementation', groups: ['plan-policy'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);

    // when Plan and Policy names Kabul, Herat and legal
    await story.complete(id, 'plan-implementation', 'plan-policy', plan);
    // then each of them has its own report task, due on 20 December at 16:00 Kabul
    const due = '2026-12-20T11:30:00.000Z';
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'report-progress', groups: ['legal'], dueAt: due },
      { elementId: 'report-progress', groups: ['province-her'], dueAt: due },
      { elementId: 'report-progress', groups: ['province-kab'], dueAt: due },
    ]);

    // when all three report (Herat first)
    await story.complete(id, 'report-progress', 'province-her', report('in-progress', 40));
    await story.complete(id, 'report-progress', 'province-kab', report('implemented', 100));
    expect(await story.waitingAt(id)).to.deep.equal(['report-progress']);
    await story.complete(id, 'report-progress', 'legal', report('implemented', 100));

    // then the reports are collected in plan order and Plan and Policy consolidates them
    const reports = (await story.instance(id)).variables['report-progress-results'] as {
      progressPercent: number;
    }[];
    expect(reports.map((r) => r.progressPercent)).to.deep.equal([100, 40, 100]);
    expect(await story.waitingAt(id)).to.deep.equal(['consolidate-report']);
    expect((await story.task(id, 'consolidate-report')).candidateGroups).to.deep.equal(['plan-policy']);

    // when the consolidated report goes to the leadership, who accept it
    await story.complete(id, 'consolidate-report', 'plan-policy', {
      overallStatus: 'partly',
      summary: 'Kabul and legal done; Herat at 40%.',
    });
    expect((await story.task(id, 'review-report-leadership')).candidateGroups).to.deep.equal(['leadership']);
    await story.complete(id, 'review-report-leadership', 'leadership', { decision: 'accept' });

    // then the report is on record and the implementation is closed
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.reportNumber).to.match(/^R-1405-\d{4}$/);
  });

  it('should send the consolidated report back for revision when the leadership asks', async () => {
    // given a consolidated report before the leadership
    const { id } = await story.start('policy-implementation', policy);
    await story.complete(id, 'plan-implementation', 'plan-policy', {
      ...plan,
      provinces: [],
      departments: ['finance'],
    });
    expect(await story.openTasks(id)).to.have.length(1);
    await story.complete(id, 'report-progress', 'finance', report('implemented', 100));
    await story.complete(id, 'consolidate-report', 'plan-policy', {
      overallStatus: 'on-track',
      summary: 'Done.',
    });

    // when the leadership asks for a revision
    await story.complete(id, 'review-report-leadership', 'leadership', {
      decision: 'revise',
      comments: 'Add the cost of the briefings.',
    });

    // then Plan and Policy consolidates again, and the report is accepted the second time
    expect(await story.waitingAt(id)).to.deep.equal(['consolidate-report']);
    await story.complete(id, 'consolidate-report', 'plan-policy', {
      overallStatus: 'on-track',
      summary: 'Done; cost 12,000 AFN.',
    });
    await story.complete(id, 'review-report-leadership', 'leadership', { decision: 'accept' });
    expect((await story.instance(id)).status).to.equal('completed');
  });

  it('should refuse a plan that names neither a province nor a department', async () => {
    // given
    const { id } = await story.start('policy-implementation', policy);
    const task = await story.task(id, 'plan-implementation');
    // when
    const err = await story.runtime
      .completeTask(
        task.id,
        { ...plan, provinces: [], departments: [] },
        { id: 'p', groups: ['plan-policy'], roles: ['staff'] },
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
    // then
    expect(err?.code).to.equal('RV_ERR_FORM_INVALID');
    expect(await story.waitingAt(id)).to.deep.equal(['plan-implementation']);
  });

  it('should remind the units every month while reports are outstanding', async () => {
    // given report tasks opened on Sunday 29 November
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('policy-implementation', policy);
    await story.complete(id, 'plan-implementation', 'plan-policy', { ...plan, reportDueDate: '2027-02-20' });
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'timer-monthly-reminder', dueAt: '2026-12-29T05:00:00.000Z' },
    ]);

    // when a month passes
    await story.advanceTo('2026-12-29T05:00:00.000Z');
    // then a reminder went out and the reports are still open
    expect((await story.instance(id)).variables.reminderCount).to.equal(1);
    expect(await story.waitingAt(id)).to.deep.equal([
      'report-progress',
      'report-progress',
      'report-progress',
    ]);

    // when a second month passes after two units reported
    await story.complete(id, 'report-progress', 'province-kab', report('implemented', 100));
    await story.complete(id, 'report-progress', 'legal', report('implemented', 100));
    await story.advanceTo('2027-01-29T05:00:00.000Z');
    // then a second reminder went out for Herat's outstanding report
    expect((await story.instance(id)).variables.reminderCount).to.equal(2);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'report-progress', groups: ['province-her'], dueAt: '2027-02-20T11:30:00.000Z' },
    ]);

    // when Herat reports, the reminders stop
    await story.complete(id, 'report-progress', 'province-her', report('implemented', 100));
    expect(await story.timers(id)).to.deep.equal([]);
    expect(await story.waitingAt(id)).to.deep.equal(['consolidate-report']);
  });
});
