import { expect } from 'chai';
import { createCalendar } from '../../server/engine/calendar.js';
import { createOfficeServices } from '../../server/engine/services/office-services.js';
import type { ServiceContext } from '../../server/engine/types.js';

/** Nowruz 1406 (21–23 March 2027) as configured holidays. */
const calendar = createCalendar({ holidays: ['2027-03-21..2027-03-23'] });
const services = createOfficeServices({ calendar });

function context(
  variables: Record<string, unknown>,
  now: string,
  counters = new Map<string, number>(),
): ServiceContext {
  return {
    executionId: 'exec-1',
    instanceId: 'inst-1',
    elementId: 'element',
    variables,
    now: () => new Date(now),
    nextSequence: async (name) => {
      const next = (counters.get(name) ?? 0) + 1;
      counters.set(name, next);
      return next;
    },
  };
}

async function call(
  topic: string,
  variables: Record<string, unknown>,
  now: string,
  counters?: Map<string, number>,
) {
  return (await services[topic]!(context(variables, now, counters))) ?? {};
}

describe('engine/services/office-services', () => {
  it('should number letters per Solar Hijri year, starting again at Nowruz', async () => {
    // given
    const counters = new Map<string, number>();
    // when
    const a = await call('issue-letter-number', {}, '2027-03-20T10:00:00.000Z', counters); // 29 Hoot 1405
    const b = await call('issue-letter-number', {}, '2027-03-20T10:00:00.000Z', counters);
    const c = await call('issue-letter-number', {}, '2027-03-20T20:00:00.000Z', counters); // 1 Hamal 1406 in Kabul
    // then
    expect([a.letterReference, b.letterReference, c.letterReference]).to.deep.equal([
      '1/1405',
      '2/1405',
      '1/1406',
    ]);
    expect(c.letterDateFa).to.match(/۱۴۰۶/);
  });

  it('should count the statutory deadline of an information request in working days, over Nowruz', async () => {
    // when a request arrives on Thursday 18 March 2027 at 14:00 Kabul (after Thursday's closing)
    const out = await call('register-information-request', { urgent: false }, '2027-03-18T09:30:00.000Z');
    // then the count starts Saturday 08:00 and skips Fridays and the three Nowruz days:
    // Wed 24 (1), Thu 25 (2), Sat 27 (3), Sun 28 (4), Mon 29 (5), Tue 30 (6), Wed 31 (7), Thu 1 (8), Sat 3 (9), Sun 4 (10)
    expect(out).to.include({ statutoryDays: 10, responseDueAt: '2027-04-04T03:30:00.000Z' });
    // and the extension decision comes 3 working days earlier (Wednesday 31 March, 08:00)
    expect(out.extensionPointAt).to.equal('2027-03-31T03:30:00.000Z');
  });

  it('should take a configured statutory period, 2 days for urgent requests, and allow one extension only', async () => {
    // when
    const configured = await call(
      'register-information-request',
      { urgent: false, statutoryDays: 15 },
      '2026-11-29T05:00:00.000Z',
    );
    const urgent = await call(
      'register-information-request',
      { urgent: true, statutoryDays: 15 },
      '2026-11-29T05:00:00.000Z',
    );
    const extended = await call(
      'extend-information-deadline',
      { responseDueAt: '2026-12-10T05:00:00.000Z', extensionDays: 2 },
      '2026-12-07T05:00:00.000Z',
    );
    const again = await call(
      'extend-information-deadline',
      { responseDueAt: extended.responseDueAt, extensionDays: 2, deadlineExtended: true },
      '2026-12-08T05:00:00.000Z',
    ).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    // then
    expect(configured.statutoryDays).to.equal(15);
    expect(urgent).to.include({ statutoryDays: 2, responseDueAt: '2026-12-01T05:00:00.000Z' });
    expect(extended).to.include({ responseDueAt: '2026-12-13T05:00:00.000Z', deadlineExtended: true });
    expect(again?.code).to.equal('RV_ERR_VALIDATION');
  });

  it('should set a trip’s deadlines on the office calendar and refuse a return before the departure', async () => {
    // when a trip leaves on Sunday 28 March 2027, after Nowruz
    const out = await call(
      'plan-trip-deadlines',
      { departureDate: '2027-03-28', returnDate: '2027-04-02' },
      '2027-03-01T05:00:00.000Z',
    );
    const wrong = await call(
      'plan-trip-deadlines',
      { departureDate: '2027-03-28', returnDate: '2027-03-20' },
      '2027-03-01T05:00:00.000Z',
    ).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    // then 10 working days back skip Fridays and Nowruz: Sat 27 (1), Thu 25 (2), Wed 24 (3), Sat 20 (4), Thu 18 (5),
    // Wed 17 (6), Tue 16 (7), Mon 15 (8), Sun 14 (9), Sat 13 (10)
    expect(out).to.include({
      decisionEscalateAt: '2027-03-13T03:30:00.000Z',
      departAt: '2027-03-27T19:30:00.000Z',
      arrangementsDueAt: '2027-03-25T07:30:00.000Z', // Thursday 25 March, at Thursday's 12:00 closing
      returnAt: '2027-04-02T11:30:00.000Z',
    });
    expect(wrong?.code).to.equal('RV_ERR_VALIDATION');
  });

  it('should keep the provinces with findings, then those whose actions are still open', async () => {
    // when
    const findings = await call(
      'sop-open-findings',
      {
        provinces: ['kab', 'her', 'bal'],
        centralReviews: [{ findings: 'none' }, { findings: 'major' }, { findings: 'minor' }],
      },
      '2026-11-29T05:00:00.000Z',
    );
    const due = await call(
      'sop-actions-due',
      {
        openProvinces: ['her', 'bal'],
        correctivePlans: [{ actionsDueDate: '2026-12-20' }, { actionsDueDate: '2026-12-24' }],
      },
      '2026-11-29T05:00:00.000Z',
    );
    const open = await call(
      'sop-open-actions',
      {
        openProvinces: ['her', 'bal'],
        verifications: [{ verification: 'closed' }, { verification: 'open' }],
      },
      '2026-12-25T05:00:00.000Z',
    );
    // then
    expect(findings.openProvinces).to.deep.equal(['her', 'bal']);
    expect(due.actionsDueAt).to.equal('2026-12-24T11:30:00.000Z');
    expect(open).to.deep.equal({ openProvinces: ['bal'], correctiveRounds: 1 });
  });
});
