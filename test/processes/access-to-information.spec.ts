import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const request = {
  requesterName: 'Farid Hashimi',
  requesterType: 'journalist',
  contactEmail: 'farid@example.af',
  requestText: 'How many complaints did the commission receive from Herat in 1404, and how many were upheld?',
  preferredFormat: 'electronic',
  urgent: false,
};
const contribution = { holdsInformation: 'yes', information: '312 complaints; 41 upheld.' };
const compiled = {
  compiledAnswer: 'The commission received 312 complaints from Herat; 41 were upheld.',
  proposedOutcome: 'answer',
};

describe('processes/access-to-information', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  it('should register the request, gather it from the departments holding it, clear it with legal and answer in time', async () => {
    // given a request registered on Sunday 29 November, 09:30 Kabul
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('access-to-information', request);
    // then it has a number and a statutory deadline of 10 working days (Thursday 10 December)
    expect((await story.instance(id)).variables).to.include({
      statutoryDays: 10,
      responseDueAt: '2026-12-10T05:00:00.000Z',
      extensionPointAt: '2026-12-07T05:00:00.000Z',
    });
    expect((await story.instance(id)).variables.requestNumber).to.match(/^AI-1405-\d{4}$/);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'route-request', groups: ['public-info'], dueAt: '2026-11-30T05:00:00.000Z' },
    ]);

    // when Public Information routes it to legal and finance
    await story.complete(id, 'route-request', 'public-info', { departments: ['legal', 'finance'] });
    // then each department provides what it holds within 5 working days
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'provide-information', groups: ['finance'], dueAt: '2026-12-05T05:00:00.000Z' },
      { elementId: 'provide-information', groups: ['legal'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);
    await story.complete(id, 'provide-information', 'finance', { holdsInformation: 'no' });
    await story.complete(id, 'provide-information', 'legal', contribution);

    // when Public Information compiles it and legal finds no exception
    await story.complete(id, 'compile-response', 'public-info', compiled);
    expect((await story.task(id, 'review-legal-exceptions')).candidateGroups).to.deep.equal(['legal']);
    await story.complete(id, 'review-legal-exceptions', 'legal', {
      decision: 'approve',
      exceptionsApply: 'none',
    });

    // then Public Information answers by the statutory deadline
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'issue-response', groups: ['public-info'], dueAt: '2026-12-10T05:00:00.000Z' },
    ]);
    await story.complete(id, 'issue-response', 'public-info', {
      outcome: 'answer',
      responseText: compiled.compiledAnswer,
      deliveryMethod: 'email',
    });

    // then the response is on record as in time, and the deadline watch is gone
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.answeredInTime).to.equal(true);
    expect(await story.timers(id)).to.deep.equal([]);
  });

  it('should give an urgent request 2 working days, send the compilation back when legal returns it and answer in part with the legal ground', async () => {
    // given an urgent request
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('access-to-information', {
      ...request,
      urgent: true,
      urgencyReason: 'A detained observer’s complaint file is needed for a hearing.',
    });
    expect((await story.instance(id)).variables).to.include({
      statutoryDays: 2,
      responseDueAt: '2026-12-01T05:00:00.000Z',
    });
    await story.complete(id, 'route-request', 'public-info', { departments: ['legal'] });
    expect((await story.task(id, 'provide-information')).dueAt).to.equal('2026-11-30T05:00:00.000Z');
    await story.complete(id, 'provide-information', 'legal', contribution);
    await story.complete(id, 'compile-response', 'public-info', compiled);

    // when legal returns the compilation
    await story.complete(id, 'review-legal-exceptions', 'legal', {
      decision: 'return',
      exceptionsApply: 'some',
      legalGround: 'privacy',
      legalGroundText: 'Names of complainants are personal data.',
      comments: 'Remove the complainants’ names.',
    });
    // then Public Information compiles it again
    expect(await story.waitingAt(id)).to.deep.equal(['compile-response']);
    await story.complete(id, 'compile-response', 'public-info', { ...compiled, proposedOutcome: 'partial' });
    await story.complete(id, 'review-legal-exceptions', 'legal', {
      decision: 'approve',
      exceptionsApply: 'some',
      legalGround: 'privacy',
      legalGroundText: 'Names withheld.',
    });

    // when the answer is partial, its legal ground is required and recorded
    const answer = await story.task(id, 'issue-response');
    const refused = await story.runtime
      .completeTask(
        answer.id,
        { outcome: 'partial', responseText: 'Figures only.', deliveryMethod: 'email' },
        {
          id: 'pi',
          groups: ['public-info'],
          roles: ['staff'],
        },
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
    expect(refused?.code).to.equal('RV_ERR_FORM_INVALID');
    await story.complete(id, 'issue-response', 'public-info', {
      outcome: 'partial',
      responseText: 'Figures only; names withheld.',
      legalGround: 'privacy',
      deliveryMethod: 'email',
    });
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables).to.include({ outcome: 'partial', legalGround: 'privacy', answeredInTime: true });
  });

  it('should offer the one extension before the deadline, then record a breach and escalate it to the deputy', async () => {
    // given a request registered on Sunday 29 November and routed to legal, who is slow
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('access-to-information', request);
    await story.complete(id, 'route-request', 'public-info', { departments: ['legal'] });

    // when 3 working days remain (Monday 7 December, 09:30)
    await story.advanceTo('2026-12-07T05:00:00.000Z');
    // then Public Information decides on the extension, by the deadline
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'decide-extension', groups: ['public-info'], dueAt: '2026-12-10T05:00:00.000Z' },
      { elementId: 'provide-information', groups: ['legal'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);
    await story.complete(id, 'decide-extension', 'public-info', {
      extensionDecision: 'extend',
      extensionDays: 4,
      extensionReason: 'The Herat files are in the provincial archive.',
    });
    // then the deadline moves 4 working days, to Tuesday 15 December, and the requester's notice is worded
    const extended = (await story.instance(id)).variables;
    expect(extended).to.include({
      responseDueAt: '2026-12-15T05:00:00.000Z',
      originalResponseDueAt: '2026-12-10T05:00:00.000Z',
      deadlineExtended: true,
    });
    expect(extended.extensionNotice).to.have.keys(['fa', 'en']);
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'wait-deadline', dueAt: '2026-12-15T05:00:00.000Z' },
    ]);

    // when the extended deadline passes without an answer
    await story.advanceTo('2026-12-15T04:59:00.000Z');
    expect((await story.instance(id)).variables.breach).to.equal(undefined);
    await story.advanceTo('2026-12-15T05:00:00.000Z');

    // then the breach is on record and the deputy follows it up the next working day
    expect((await story.instance(id)).variables.breach).to.include({ dueAt: '2026-12-15T05:00:00.000Z' });
    expect((await story.openTasks(id)).find((t) => t.elementId === 'escalate-breach')).to.deep.equal({
      elementId: 'escalate-breach',
      groups: ['deputy'],
      dueAt: '2026-12-16T05:00:00.000Z',
    });
    await story.complete(id, 'escalate-breach', 'deputy', {
      action: 'reminded',
      note: 'Legal to answer today.',
    });

    // when the answer finally goes out the next day, it is recorded as late
    story.clock.set('2026-12-16T06:00:00.000Z');
    await story.complete(id, 'provide-information', 'legal', contribution);
    await story.complete(id, 'compile-response', 'public-info', compiled);
    await story.complete(id, 'review-legal-exceptions', 'legal', {
      decision: 'approve',
      exceptionsApply: 'none',
    });
    await story.complete(id, 'issue-response', 'public-info', {
      outcome: 'answer',
      responseText: compiled.compiledAnswer,
      deliveryMethod: 'email',
    });
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.answeredInTime).to.equal(false);
  });
});
