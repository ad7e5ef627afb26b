import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const draft = {
  title: 'Complaint intake policy',
  policyType: 'short-term',
  changeType: 'new',
  summary: 'How provincial offices register complaints during the counting period.',
  objectives: 'Every complaint registered within 24 hours.',
  policyText: 'Article 1. Every provincial office registers each complaint on the day it arrives.',
};

describe('processes/policy-approval', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  it('should take a policy from drafting through both reviews, the deputy and the commission to a numbered record', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start(
      'policy-approval',
      {},
      { id: 'plan-policy.head', groups: ['plan-policy'], roles: ['manager'] },
    );
    // then: Plan and Policy drafts, within 10 working days (Thursday 10 December, 09:30 Kabul)
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'draft-policy', groups: ['plan-policy'], dueAt: '2026-12-10T05:00:00.000Z' },
    ]);

    // when the draft is done on Monday 09:30
    story.clock.set('2026-11-30T05:00:00.000Z');
    await story.complete(id, 'draft-policy', 'plan-policy', draft);
    // then the directorate reviews it within 5 working days (Sunday 6 December, Friday skipped)
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'review-directorate', groups: ['plan-policy'], dueAt: '2026-12-06T05:00:00.000Z' },
    ]);

    // when the directorate and then legal approve
    await story.complete(id, 'review-directorate', 'plan-policy', { decision: 'approve' });
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'review-legal', groups: ['legal'], dueAt: '2026-12-06T05:00:00.000Z' },
    ]);
    await story.complete(id, 'review-legal', 'legal', {
      decision: 'approve',
      comments: 'Consistent with the law.',
    });
    // then the deputy decides
    expect(await story.waitingAt(id)).to.deep.equal(['decide-deputy']);
    expect((await story.task(id, 'decide-deputy')).candidateGroups).to.deep.equal(['deputy']);

    // when the deputy approves and the secretariat records the commission's approval
    await story.complete(id, 'decide-deputy', 'deputy', { decision: 'approve' });
    expect((await story.task(id, 'record-commission-decision')).candidateGroups).to.deep.equal([
      'commission-secretariat',
    ]);
    await story.complete(id, 'record-commission-decision', 'commission-secretariat', {
      commissionDecision: 'approved',
      sessionDate: '2026-11-30',
      resolutionNumber: '45',
      effectiveDate: '2026-12-21',
    });

    // then the policy is on record with its number for the Solar Hijri year 1405
    const instance = await story.instance(id);
    expect(instance.incident).to.equal(undefined);
    expect(instance.variables.policyNumber).to.equal('P-1405-0001');
    expect(instance.variables.commissionDecision).to.equal('approved');
    // and its implementation starts with the policy's number, waiting on the plan
    expect(instance.waiting.map((w) => w.elementId)).to.deep.equal(['implement-policy']);
    const children = await story.runtime.listInstances({ key: 'policy-implementation' });
    const child = children.items.find((c) => c.parentId === id);
    expect(child?.variables).to.include({ policyNumber: 'P-1405-0001', title: 'Complaint intake policy' });
    expect(await story.openTasks(child!.id)).to.deep.equal([
      { elementId: 'plan-implementation', groups: ['plan-policy'], dueAt: '2026-12-06T05:00:00.000Z' },
    ]);
  });

  it('should send the draft back to drafting with the comments each time a reviewer returns it, and end when the deputy rejects it', async () => {
    // given a draft under directorate review
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('policy-approval');
    await story.complete(id, 'draft-policy', 'plan-policy', draft);

    // when the directorate returns it with comments
    await story.complete(id, 'review-directorate', 'plan-policy', {
      decision: 'return',
      comments: 'Name the office responsible in article 1.',
    });
    // then Plan and Policy has the draft again, with the comments
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'draft-policy', groups: ['plan-policy'], dueAt: '2026-12-10T05:00:00.000Z' },
    ]);
    expect((await story.instance(id)).variables.comments).to.equal(
      'Name the office responsible in article 1.',
    );

    // when it is redrafted, the directorate approves and legal returns it
    await story.complete(id, 'draft-policy', 'plan-policy', {
      ...draft,
      responseToComments: 'Article 1 names the office.',
    });
    await story.complete(id, 'review-directorate', 'plan-policy', { decision: 'approve' });
    await story.complete(id, 'review-legal', 'legal', {
      decision: 'return',
      comments: 'Cite the electoral law.',
    });
    // then it is back at drafting
    expect(await story.waitingAt(id)).to.deep.equal(['draft-policy']);

    // when it goes round again and the deputy rejects it
    await story.complete(id, 'draft-policy', 'plan-policy', draft);
    await story.complete(id, 'review-directorate', 'plan-policy', { decision: 'approve' });
    await story.complete(id, 'review-legal', 'legal', { decision: 'approve' });
    await story.complete(id, 'decide-deputy', 'deputy', {
      decision: 'reject',
      comments: 'Not needed this year.',
    });

    // then the process ends without a policy record and nothing is left open
    const instance = await story.instance(id);
    expect(instance.status).to.equal('completed');
    expect(instance.variables.policyNumber).to.equal(undefined);
    expect(await story.openTasks(id)).to.deep.equal([]);
    const history = await story.runtime.taskHistory(id);
    expect(history.map((t) => t.elementId)).to.have.members([
      'draft-policy',
      'review-directorate',
      'draft-policy',
      'review-directorate',
      'review-legal',
      'draft-policy',
      'review-directorate',
      'review-legal',
      'decide-deputy',
    ]);
  });

  it('should refuse a return without comments and keep the review open', async () => {
    // given
    const { id } = await story.start('policy-approval');
    await story.complete(id, 'draft-policy', 'plan-policy', draft);
    const review = await story.task(id, 'review-directorate');
    // when
    const err = await story.runtime
      .completeTask(
        review.id,
        { decision: 'return' },
        { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] },
      )
      .then(
        () => undefined,
        (e: unknown) =>
          e as {
            code?: string;
            details?: { errors?: { field: string; message: { fa: string; en: string } }[] };
          },
      );
    // then
    expect(err?.code).to.equal('RV_ERR_FORM_INVALID');
    expect(err?.details?.errors?.map((e) => e.field)).to.deep.equal(['comments']);
    expect(err?.details?.errors?.[0]?.message.fa).to.match(/ملاحظات/);
    expect(await story.waitingAt(id)).to.deep.equal(['review-directorate']);
  });

  it('should give the deputy a follow-up when a review is 5 working days late, leaving the review with its owner', async () => {
    // given a draft handed to the directorate on Sunday 29 November, 09:30 Kabul
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('policy-approval');
    await story.complete(id, 'draft-policy', 'plan-policy', draft);
    // its review is due on Saturday 5 December 09:30 (Friday is the weekend)
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'review-directorate', groups: ['plan-policy'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'timer-directorate-review-overdue', dueAt: '2026-12-05T05:00:00.000Z' },
    ]);

    // when the clock reaches a minute before the deadline
    await story.advanceTo('2026-12-05T04:59:00.000Z');
    // then nothing has moved
    expect(await story.waitingAt(id)).to.deep.equal(['review-directorate']);

    // when the deadline passes
    await story.advanceTo('2026-12-05T05:00:00.000Z');
    // then the deputy has a follow-up, due the next working day, and the review stays with the directorate
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'escalate-directorate-review', groups: ['deputy'], dueAt: '2026-12-06T05:00:00.000Z' },
      { elementId: 'review-directorate', groups: ['plan-policy'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);

    // when the deputy records the follow-up and the directorate then approves
    await story.complete(id, 'escalate-directorate-review', 'deputy', {
      action: 'reminded',
      note: 'Called the director; review promised for Sunday.',
    });
    story.clock.set('2026-12-06T05:00:00.000Z');
    await story.complete(id, 'review-directorate', 'plan-policy', { decision: 'approve' });
    // then legal has 5 working days (Saturday 12 December) and its own overdue timer
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'review-legal', groups: ['legal'], dueAt: '2026-12-12T05:00:00.000Z' },
    ]);
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'timer-legal-review-overdue', dueAt: '2026-12-12T05:00:00.000Z' },
    ]);

    // when legal is late too, and the deputy rejects the policy before handling that follow-up
    await story.advanceTo('2026-12-12T05:00:00.000Z');
    expect(await story.waitingAt(id)).to.deep.equal(['escalate-legal-review', 'review-legal']);
    await story.complete(id, 'review-legal', 'legal', { decision: 'approve' });
    await story.complete(id, 'decide-deputy', 'deputy', { decision: 'reject', comments: 'Superseded.' });

    // then the instance ends and the open follow-up is withdrawn with it
    expect((await story.instance(id)).status).to.equal('completed');
    expect(await story.openTasks(id)).to.deep.equal([]);
    const history = await story.runtime.taskHistory(id);
    expect(history.find((t) => t.elementId === 'escalate-legal-review')?.outcome).to.equal('cancelled');
  });

  it('should bring the draft back when the commission asks for amendments, and close it when the commission rejects it', async () => {
    // given a policy the deputy sent to the commission
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('policy-approval');
    const toCommission = async () => {
      await story.complete(id, 'draft-policy', 'plan-policy', draft);
      await story.complete(id, 'review-directorate', 'plan-policy', { decision: 'approve' });
      await story.complete(id, 'review-legal', 'legal', { decision: 'approve' });
      await story.complete(id, 'decide-deputy', 'deputy', { decision: 'approve' });
    };
    await toCommission();

    // when the commission asks for amendments
    await story.complete(id, 'record-commission-decision', 'commission-secretariat', {
      commissionDecision: 'amend',
      sessionDate: '2026-12-01',
      commissionComments: 'Add a deadline for provincial offices.',
    });
    // then Plan and Policy redrafts it, with the commission's comments
    expect(await story.waitingAt(id)).to.deep.equal(['draft-policy']);
    expect((await story.instance(id)).variables.commissionComments).to.equal(
      'Add a deadline for provincial offices.',
    );

    // when it goes round again and the commission rejects it
    await toCommission();
    await story.complete(id, 'record-commission-decision', 'commission-secretariat', {
      commissionDecision: 'rejected',
      sessionDate: '2026-12-08',
      commissionComments: 'The law already covers this.',
    });
    // then it ends without a policy number
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.policyNumber).to.equal(undefined);
  });
});
