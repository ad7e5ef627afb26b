import { expect } from 'chai';
import { evaluate } from 'feelin';
import { isAppError } from '../../server/app-error.js';
import { createCalendar } from '../../server/engine/calendar.js';
import { feelFunctions } from '../../server/engine/feel-functions.js';

// 2026-03-25 is a Wednesday; Nowruz 2027 (Sunday 21 to Wednesday 24 March) is configured as holidays.
describe('engine/feel-functions', () => {
  const calendar = createCalendar({ holidays: ['2027-03-21..2027-03-24'] });
  let clock = new Date('2026-03-25T10:00:00+04:30');
  const functions = feelFunctions(calendar, () => clock);

  /** Evaluates FEEL the way the engine does: process variables, then Ravand's functions on top. */
  function run(expression: string, variables: Record<string, unknown> = {}): unknown {
    const { value, warnings } = evaluate(expression, { ...variables, ...functions });
    const unexpected = warnings.filter((w) => w.type !== 'NO_VARIABLE_FOUND');
    expect(unexpected, JSON.stringify(unexpected)).to.deep.equal([]);
    return value;
  }

  beforeEach(() => {
    clock = new Date('2026-03-25T10:00:00+04:30');
  });

  it('should give the engine clock from now(), not the host clock', () => {
    // given
    clock = new Date('2026-03-21T04:30:00Z');
    // when
    const value = run('now()');
    // then
    expect(value).to.equal('2026-03-21T04:30:00.000Z');
  });

  it('should add working days to now() across the Friday', () => {
    // given: Wednesday 10:00 Kabul
    // when
    const value = run('addWorkingDays(now(), 5)');
    // then: Thu, Sat, Sun, Mon, Tue at 10:00 Kabul
    expect(value).to.equal('2026-03-31T05:30:00.000Z');
    expect(run('addWorkingDays(from: now(), days: 5)')).to.equal(value);
  });

  it('should add working days to a submission time held in a variable, across Nowruz', () => {
    // given: submitted on Thursday 18 March 2027 at 14:00, after the half day's closing
    const variables = { submittedAt: '2027-03-18T14:00:00+04:30' };
    // when
    const value = run('addWorkingDays(submittedAt, 10)', variables);
    // then: counted from Saturday 08:00; 25, 27–31 March and 1, 3, 4, 5 April
    expect(value).to.equal('2027-04-05T03:30:00.000Z');
  });

  it('should accept FEEL date-time and date values', () => {
    // given / when
    const fromDateTime = run('addWorkingDays(date and time("2026-03-26T14:00:00@Asia/Kabul"), 1)');
    const fromLiteral = run('addWorkingDays(@"2026-03-26T09:30:00Z", 1)');
    const fromDate = run('addWorkingDays(date("2026-03-27"), 0)');
    // then
    expect(fromDateTime).to.equal('2026-03-29T03:30:00.000Z'); // Thursday 14:00 → Sunday 08:00 Kabul
    expect(fromLiteral).to.equal('2026-03-29T03:30:00.000Z'); // 09:30 UTC is Thursday 14:00 in Kabul
    expect(fromDate).to.equal('2026-03-28T03:30:00.000Z'); // a Friday → Saturday 08:00 Kabul
  });

  it('should add office hours across Thursday noon', () => {
    // given: Wednesday 10:00 Kabul
    // when
    const sameDay = run('addWorkingHours(now(), 3)');
    const thursday = run('addWorkingHours(now(), 8.5)');
    const saturday = run('addWorkingHours(now(), 12)');
    // then: 6 h on Wednesday, then Thursday 08:00–12:00, then Saturday from 08:00
    expect(sameDay).to.equal('2026-03-25T08:30:00.000Z');
    expect(thursday).to.equal('2026-03-26T06:00:00.000Z');
    expect(saturday).to.equal('2026-03-28T05:30:00.000Z');
  });

  it('should add ISO 8601 durations given as strings or FEEL durations', () => {
    // given: Wednesday 10:00 Kabul
    // when / then
    expect(run('addDuration(now(), "PT2H")')).to.equal('2026-03-25T07:30:00.000Z');
    expect(run('addDuration(now(), duration("P1M"))')).to.equal('2026-04-25T05:30:00.000Z');
    expect(run('addDuration(now(), "-P1D")')).to.equal('2026-03-24T05:30:00.000Z');
    expect(run('addDuration(now(), "P1W")')).to.equal('2026-04-01T05:30:00.000Z');
    expect(run('addDuration("2026-01-31T10:00:00", "P1M")')).to.equal('2026-02-28T05:30:00.000Z');
  });

  it('should decide a gateway condition on process variables', () => {
    // given
    const condition = 'cost > 1000 and funding = "commission"';
    // when / then
    expect(run(condition, { cost: 1500, funding: 'commission' })).to.equal(true);
    expect(run(condition, { cost: 800, funding: 'commission' })).to.equal(false);
    expect(run(condition, { cost: 1500, funding: 'partner' })).to.equal(false);
  });

  it('should compare a deadline with now() and count working days elapsed', () => {
    // given: submitted Saturday 21 March 2026, 09:00 Kabul; now is Wednesday 25 March
    const variables = { submittedAt: '2026-03-21T09:00:00+04:30' };
    // when
    const overdue = run('now() > addWorkingDays(submittedAt, 1)', variables);
    const notYet = run('now() > addWorkingDays(submittedAt, 10)', variables);
    const elapsed = run('workingDaysBetween(submittedAt, now())', variables);
    // then
    expect(overdue).to.equal(true);
    expect(notYet).to.equal(false);
    expect(elapsed).to.equal(4);
    expect(run('isWorkingDay(date("2026-03-27"))')).to.equal(false);
  });

  it('should give null for a missing date, as FEEL built-ins do', () => {
    // given: no submittedAt variable
    // when
    const value = run('addWorkingDays(submittedAt, 10)');
    // then
    expect(value).to.equal(null);
  });

  it('should throw a catalogue error for a value of the wrong kind', () => {
    // given / when / then
    expect(() => run('addWorkingDays("soon", 5)'))
      .to.throw()
      .that.satisfies((e: unknown) => isAppError(e, 'RV_ERR_INVALID_DATE'));
    expect(() => run('addWorkingDays(now(), "five")'))
      .to.throw()
      .that.satisfies((e: unknown) => isAppError(e, 'RV_ERR_VALIDATION'));
    expect(() => run('addWorkingDays(now(), -1)'))
      .to.throw()
      .that.satisfies((e: unknown) => isAppError(e, 'RV_ERR_VALIDATION'));
    expect(() => run('addDuration(now(), "2 hours")'))
      .to.throw()
      .that.satisfies((e: unknown) => isAppError(e, 'RV_ERR_VALIDATION'));
  });
});
