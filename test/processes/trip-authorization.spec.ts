import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const request = {
  requestingDirectorate: 'public-info',
  travellers: [
    { name: 'Zahra Ahmadi', position: 'Director of Public Information', directorate: 'public-info' },
    { name: 'Qais Safi', position: 'Media officer', directorate: 'public-info' },
  ],
  eventName: 'Regional workshop on electoral dispute communication',
  eventType: 'workshop',
  organiser: 'Association of Asian Election Authorities',
  hostCountry: 'Indonesia',
  hostCity: 'Jakarta',
  departureDate: '2027-01-20',
  returnDate: '2027-01-25',
  funding: 'commission',
  estimatedCost: 4200,
  currency: 'USD',
  purpose: 'Learn how other complaint bodies explain their decisions to the public.',
};

describe('processes/trip-authorization', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  it('should take a commission-paid trip through every approval, the arrangements, the travel and the report', async () => {
    // given a request registered on Sunday 29 November for a trip on 20–25 January
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('trip-authorization', request);
    // then its deadlines are set on the office calendar and Foreign Relations checks it within 3 working days
    expect((await story.instance(id)).variables).to.include({
      decisionEscalateAt: '2027-01-09T03:30:00.000Z', // 08:00 on the 10th working day before departure
      departAt: '2027-01-19T19:30:00.000Z', // 20 January 00:00 Kabul
      arrangementsDueAt: '2027-01-18T11:30:00.000Z',
      returnAt: '2027-01-25T11:30:00.000Z',
    });
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'check-directorate', groups: ['foreign-relations'], dueAt: '2026-12-02T05:00:00.000Z' },
    ]);

    // when Foreign Relations supports it, finance finds the budget, the deputy and the leadership approve
    await story.complete(id, 'check-directorate', 'foreign-relations', {
      decision: 'approve',
      invitationVerified: true,
    });
    await story.complete(id, 'check-finance', 'finance', {
      decision: 'approve',
      budgetLine: '22-210',
      approvedAmount: 4200,
    });
    await story.complete(id, 'approve-deputy', 'deputy', { decision: 'approve' });
    await story.complete(id, 'approve-leadership', 'leadership', { leadershipDecision: 'approve' });

    // then the trip authorization letter is issued from the Foreign Relations register and attached
    const { tripLetter } = (await story.runtime.getInstance(id)).variables as {
      tripLetter: { documentId: string; number: string; code: string };
    };
    expect(tripLetter.number).to.match(/^FR-1405-\d{4}$/);
    const [letter] = await story.documents.forInstance(id);
    expect(letter).to.deep.include({ id: tripLetter.documentId, kind: 'letter', createdBy: 'system' });
    expect(letter!.versions[0]).to.deep.include({ type: 'pdf', origin: 'generated' });

    // then protocol arranges visas and tickets and finance the per diem, by the 18 January close
    const due = '2027-01-18T11:30:00.000Z';
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'arrange-per-diem', groups: ['finance'], dueAt: due },
      { elementId: 'arrange-tickets', groups: ['protocol'], dueAt: due },
      { elementId: 'arrange-visa', groups: ['protocol'], dueAt: due },
    ]);
    await story.complete(id, 'arrange-visa', 'protocol', { visaStatus: 'obtained' });
    await story.complete(id, 'arrange-tickets', 'protocol', {
      bookingReference: 'GA-8841',
      carrier: 'Garuda',
    });
    await story.complete(id, 'arrange-per-diem', 'finance', {
      perDiemApplicable: true,
      amount: 1500,
      currency: 'USD',
    });

    // then nothing is open while the delegation travels
    expect(await story.openTasks(id)).to.deep.equal([]);
    // when the escalation point and the departure pass, the approved trip is not disturbed
    await story.advanceTo('2027-01-09T03:30:00.000Z');
    await story.advanceTo('2027-01-19T19:30:00.000Z');
    expect(await story.openTasks(id)).to.deep.equal([]);
    expect((await story.instance(id)).status).to.equal('running');

    // when the return date's office day ends
    await story.advanceTo('2027-01-25T11:30:00.000Z');
    // then the requesting office reports within 5 working days (from Tuesday 08:00 to Monday 1 February 08:00)
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'report-trip', groups: ['public-info'], dueAt: '2027-02-01T03:30:00.000Z' },
    ]);
    await story.complete(id, 'report-trip', 'public-info', {
      summary: 'Attended four sessions; presented the commission’s complaint statistics.',
      outcomes: 'Agreed to exchange public-decision templates.',
      actualCost: 4050,
    });
    expect((await story.instance(id)).status).to.equal('completed');
  });

  it('should send a returned request to the requesting office for revision and end when the leadership rejects it', async () => {
    // given a host-paid trip request
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('trip-authorization', { ...request, funding: 'host', estimatedCost: 0 });

    // when Foreign Relations returns it
    await story.complete(id, 'check-directorate', 'foreign-relations', {
      decision: 'return',
      comments: 'Attach the invitation letter.',
    });
    // then the requesting office revises it
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'revise-trip-request', groups: ['public-info'], dueAt: '2026-12-01T05:00:00.000Z' },
    ]);
    const { requestingDirectorate: _r, departureDate: _d, returnDate: _e, ...revisable } = request;
    await story.complete(id, 'revise-trip-request', 'public-info', {
      ...revisable,
      funding: 'host',
      estimatedCost: 0,
      responseToComments: 'Invitation attached.',
    });

    // when it is checked again and, as the host pays, goes straight to the deputy
    await story.complete(id, 'check-directorate', 'foreign-relations', { decision: 'approve' });
    expect(await story.waitingAt(id)).to.deep.equal(['approve-deputy']);
    await story.complete(id, 'approve-deputy', 'deputy', { decision: 'approve' });
    // and the leadership rejects it
    await story.complete(id, 'approve-leadership', 'leadership', {
      leadershipDecision: 'reject',
      comments: 'Not a priority this quarter.',
    });

    // then the trip is not approved, nothing stays open and no deadline timer is left
    expect((await story.instance(id)).status).to.equal('completed');
    expect(await story.openTasks(id)).to.deep.equal([]);
    expect(await story.timers(id)).to.deep.equal([]);
  });

  it('should escalate a request undecided 10 working days before departure and expire it at departure', async () => {
    // given a request registered on Sunday 3 January for the same trip
    story.clock.set('2027-01-03T05:00:00.000Z');
    const { id } = await story.start('trip-authorization', { ...request, funding: 'partner' });
    await story.complete(id, 'check-directorate', 'foreign-relations', { decision: 'approve' });
    expect(await story.waitingAt(id)).to.deep.equal(['approve-deputy']);

    // when the 10th working day before departure begins (Saturday 9 January, 08:00 Kabul)
    await story.advanceTo('2027-01-09T03:29:00.000Z');
    expect(await story.waitingAt(id)).to.deep.equal(['approve-deputy']);
    await story.advanceTo('2027-01-09T03:30:00.000Z');
    // then the deputy is asked to expedite it, next to the approval still waiting
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'approve-deputy', groups: ['deputy'], dueAt: '2027-01-05T05:00:00.000Z' },
      { elementId: 'escalate-trip-decision', groups: ['deputy'], dueAt: '2027-01-10T03:30:00.000Z' },
    ]);
    await story.complete(id, 'escalate-trip-decision', 'deputy', {
      action: 'noted',
      note: 'Waiting for the host to confirm the agenda.',
    });

    // when departure day begins with no decision
    await story.advanceTo('2027-01-19T19:30:00.000Z');
    // then the request is closed as expired and the approval withdrawn
    const instance = await story.instance(id);
    expect(instance.status).to.equal('completed');
    expect(await story.openTasks(id)).to.deep.equal([]);
    const history = await story.runtime.taskHistory(id);
    expect(history.find((t) => t.elementId === 'approve-deputy')?.outcome).to.equal('cancelled');
  });
});
