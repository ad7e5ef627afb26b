import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const proposal = {
  partnerName: 'International Foundation for Electoral Systems',
  partnerType: 'international-ngo',
  proposalTitle: 'Training of provincial complaint officers',
  cooperationType: 'training',
  summary: 'Two-week training for 68 provincial complaint officers, funded by the partner.',
  contactEmail: 'programme@example.org',
};
const assessment = {
  relevance: 'high',
  assessment: 'Matches duty 8 and the commission’s training plan.',
  recommendation: 'support',
};
const letter = {
  letterLanguage: 'en',
  addressee: 'The Country Director',
  subject: 'Letter of support',
  body: 'The Electoral Complaints Commission supports the proposal …',
};

describe('processes/international-cooperation', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  /** Takes a proposal from receipt to the dispatched letter; returns the instance. */
  async function supportAndDispatch() {
    const { id } = await story.start('international-cooperation', proposal);
    await story.complete(id, 'assess-proposal', 'foreign-relations', assessment);
    await story.complete(id, 'decide-cooperation', 'deputy', { decision: 'approve' });
    await story.complete(id, 'draft-support-letter', 'foreign-relations', letter);
    await story.complete(id, 'sign-support-letter', 'leadership', { decision: 'sign' });
    await story.complete(id, 'dispatch-support-letter', 'foreign-relations', {
      dispatchMethod: 'email',
      dispatchDate: new Date().toISOString().slice(0, 10),
    });
    return story.instance(id);
  }

  it('should assess, decide, draft, sign and dispatch a support letter under the next number of the Solar Hijri year', async () => {
    // given a proposal received on Sunday 29 November
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('international-cooperation', proposal);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'assess-proposal', groups: ['foreign-relations'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);

    // when Foreign Relations assesses it and the deputy supports it
    await story.complete(id, 'assess-proposal', 'foreign-relations', assessment);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'decide-cooperation', groups: ['deputy'], dueAt: '2026-12-02T05:00:00.000Z' },
    ]);
    await story.complete(id, 'decide-cooperation', 'deputy', { decision: 'approve' });

    // then Foreign Relations drafts the letter and the leadership signs it
    expect((await story.task(id, 'draft-support-letter')).candidateGroups).to.deep.equal([
      'foreign-relations',
    ]);
    await story.complete(id, 'draft-support-letter', 'foreign-relations', letter);
    expect((await story.task(id, 'sign-support-letter')).candidateGroups).to.deep.equal(['leadership']);
    await story.complete(id, 'sign-support-letter', 'leadership', { decision: 'sign' });

    // then the letter has the first number of 1405 and Foreign Relations dispatches it
    expect((await story.instance(id)).variables).to.include({
      letterNumber: 1,
      letterYear: 1405,
      letterReference: '1/1405',
    });
    expect((await story.task(id, 'dispatch-support-letter')).candidateGroups).to.deep.equal([
      'foreign-relations',
    ]);
    await story.complete(id, 'dispatch-support-letter', 'foreign-relations', {
      dispatchMethod: 'email',
      dispatchDate: '2026-11-29',
    });
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.partnerRecord).to.include({
      partnerName: proposal.partnerName,
      letterReference: '1/1405',
    });

    // when two more letters follow, the second after Nowruz (21 March 2027, 1 Hamal 1406)
    const second = await supportAndDispatch();
    story.clock.set('2027-03-24T05:00:00.000Z');
    const third = await supportAndDispatch();
    // then numbering continues within 1405 and starts again in 1406
    expect(second.variables.letterReference).to.equal('2/1405');
    expect(third.variables.letterReference).to.equal('1/1406');
  });

  it('should send the proposal back for more assessment, the letter back for redrafting, and close a declined proposal', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('international-cooperation', proposal);
    await story.complete(id, 'assess-proposal', 'foreign-relations', assessment);

    // when the deputy wants more assessment
    await story.complete(id, 'decide-cooperation', 'deputy', {
      decision: 'return',
      comments: 'Who pays the venue?',
    });
    // then Foreign Relations assesses again
    expect(await story.waitingAt(id)).to.deep.equal(['assess-proposal']);
    await story.complete(id, 'assess-proposal', 'foreign-relations', {
      ...assessment,
      risks: 'Venue cost open.',
    });
    await story.complete(id, 'decide-cooperation', 'deputy', { decision: 'approve' });

    // when the leadership returns the draft letter
    await story.complete(id, 'draft-support-letter', 'foreign-relations', letter);
    await story.complete(id, 'sign-support-letter', 'leadership', {
      decision: 'return',
      comments: 'Write it in Dari.',
    });
    // then Foreign Relations redrafts it, and the signed letter gets a number
    expect(await story.waitingAt(id)).to.deep.equal(['draft-support-letter']);
    await story.complete(id, 'draft-support-letter', 'foreign-relations', {
      ...letter,
      letterLanguage: 'fa',
    });
    await story.complete(id, 'sign-support-letter', 'leadership', { decision: 'sign' });
    expect((await story.instance(id)).variables.letterNumber).to.be.a('number');

    // when another proposal is declined by the deputy
    const declined = await story.start('international-cooperation', {
      ...proposal,
      proposalTitle: 'Voter survey',
    });
    await story.complete(declined.id, 'assess-proposal', 'foreign-relations', {
      ...assessment,
      recommendation: 'decline',
    });
    await story.complete(declined.id, 'decide-cooperation', 'deputy', {
      decision: 'reject',
      comments: 'Out of mandate.',
    });
    // then it ends without a letter
    const closed = await story.instance(declined.id);
    expect(closed.status).to.equal('completed');
    expect(closed.variables.letterNumber).to.equal(undefined);
  });

  it('should give the deputy a follow-up when the assessment is 5 working days late', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('international-cooperation', proposal);
    // when
    await story.advanceTo('2026-12-05T04:59:00.000Z');
    expect(await story.waitingAt(id)).to.deep.equal(['assess-proposal']);
    await story.advanceTo('2026-12-05T05:00:00.000Z');
    // then
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'assess-proposal', groups: ['foreign-relations'], dueAt: '2026-12-05T05:00:00.000Z' },
      { elementId: 'escalate-assessment', groups: ['deputy'], dueAt: '2026-12-06T05:00:00.000Z' },
    ]);
    // when the assessment arrives and the deputy decides, the follow-up is still the deputy's to close
    await story.complete(id, 'assess-proposal', 'foreign-relations', assessment);
    expect(await story.waitingAt(id)).to.deep.equal(['decide-cooperation', 'escalate-assessment']);
  });
});
