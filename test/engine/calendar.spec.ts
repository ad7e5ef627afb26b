import { expect } from 'chai';
import { isAppError } from '../../server/app-error.js';
import {
  createCalendar,
  formatSolarHijri,
  parseHolidays,
  parseInstant,
  solarHijriYear,
} from '../../server/engine/calendar.js';

/** An instant written as Kabul wall-clock time (UTC+04:30). */
const kabul = (local: string) => new Date(`${local}+04:30`);

// 2026-03-21 is a Saturday (1 Hamal/Farvardin 1405); 2027-03-21 is a Sunday.
describe('engine/calendar', () => {
  const calendar = createCalendar({ holidays: ['2027-03-21..2027-03-24'] });

  describe('isWorkingDay', () => {
    it('should treat Saturday to Thursday as working days and Friday as off', () => {
      // given
      const week = [
        '2026-03-21',
        '2026-03-22',
        '2026-03-23',
        '2026-03-24',
        '2026-03-25',
        '2026-03-26',
        '2026-03-27',
      ];
      // when
      const working = week.map((d) => calendar.isWorkingDay(d));
      // then
      expect(working).to.deep.equal([true, true, true, true, true, true, false]);
    });

    it('should treat configured holidays as days off', () => {
      // given / when / then
      expect(calendar.isWorkingDay('2027-03-20')).to.equal(true);
      expect(calendar.isWorkingDay('2027-03-21')).to.equal(false);
      expect(calendar.isWorkingDay('2027-03-24')).to.equal(false);
      expect(calendar.isWorkingDay('2027-03-25')).to.equal(true);
    });

    it('should use the Kabul day near midnight, not the UTC day', () => {
      // given: Friday 00:30 in Kabul is still Thursday in UTC; Saturday 02:00 in Kabul is Friday in UTC
      const fridayInKabul = new Date('2026-03-26T20:00:00Z');
      const saturdayInKabul = new Date('2026-03-27T21:30:00Z');
      // when / then
      expect(calendar.isWorkingDay(fridayInKabul)).to.equal(false);
      expect(calendar.isWorkingDay(saturdayInKabul)).to.equal(true);
    });
  });

  describe('addWorkingDays', () => {
    it('should skip the Friday', () => {
      // given: Wednesday 10:00
      const from = kabul('2026-03-25T10:00:00');
      // when
      const deadline = calendar.addWorkingDays(from, 2);
      // then: Thursday is day 1, Saturday day 2, same time of day
      expect(deadline.toISOString()).to.equal(kabul('2026-03-28T10:00:00').toISOString());
    });

    it('should skip a configured Nowruz holiday range', () => {
      // given: Saturday 2027-03-20 09:00, Nowruz off Sunday to Wednesday
      const from = kabul('2027-03-20T09:00:00');
      // when
      const one = calendar.addWorkingDays(from, 1);
      const two = calendar.addWorkingDays(from, 2);
      // then
      expect(one.toISOString()).to.equal(kabul('2027-03-25T09:00:00').toISOString());
      expect(two.toISOString()).to.equal(kabul('2027-03-27T09:00:00').toISOString());
    });

    it('should count a request from Thursday afternoon from Saturday 08:00', () => {
      // given: Thursday 14:00, after the half day's closing
      const from = kabul('2026-03-26T14:00:00');
      // when
      const start = calendar.nextOfficeTime(from);
      const deadline = calendar.addWorkingDays(from, 1);
      // then
      expect(start.toISOString()).to.equal(kabul('2026-03-28T08:00:00').toISOString());
      expect(deadline.toISOString()).to.equal(kabul('2026-03-29T08:00:00').toISOString());
      expect(calendar.addWorkingDays(from, 0).toISOString()).to.equal(start.toISOString());
    });

    it('should count from 08:00 when the request arrives before opening', () => {
      // given: Sunday 06:15
      const from = kabul('2026-03-22T06:15:00');
      // when
      const deadline = calendar.addWorkingDays(from, 1);
      // then
      expect(deadline.toISOString()).to.equal(kabul('2026-03-23T08:00:00').toISOString());
    });

    it('should count from the Kabul day for a time near midnight that is another UTC day', () => {
      // given: Saturday 02:00 in Kabul = Friday 21:30 UTC
      const from = new Date('2026-03-27T21:30:00Z');
      // when
      const deadline = calendar.addWorkingDays(from, 1);
      // then: counting starts Saturday 08:00 Kabul, so Sunday 08:00 Kabul = 03:30 UTC
      expect(deadline.toISOString()).to.equal('2026-03-29T03:30:00.000Z');
    });

    it('should end a deadline that lands on a Thursday afternoon at Thursday closing', () => {
      // given: Wednesday 14:00
      const from = kabul('2026-03-25T14:00:00');
      // when
      const deadline = calendar.addWorkingDays(from, 1);
      // then
      expect(deadline.toISOString()).to.equal(kabul('2026-03-26T12:00:00').toISOString());
    });

    it('should refuse a negative or fractional day count with a catalogue error', () => {
      // given
      const from = kabul('2026-03-25T10:00:00');
      // when / then
      for (const days of [-1, 1.5, Number.NaN]) {
        expect(() => calendar.addWorkingDays(from, days))
          .to.throw()
          .that.satisfies(isAppError);
      }
    });
  });

  describe('addWorkingHours', () => {
    it('should carry hours past Thursday noon over to Saturday', () => {
      // given: Thursday 10:00
      const from = kabul('2026-03-26T10:00:00');
      // when
      const due = calendar.addWorkingHours(from, 3);
      // then: 2 h on Thursday, 1 h on Saturday
      expect(due.toISOString()).to.equal(kabul('2026-03-28T09:00:00').toISOString());
    });

    it('should use a full Thursday morning between Wednesday and Saturday', () => {
      // given: Wednesday 15:00
      const from = kabul('2026-03-25T15:00:00');
      // when
      const due = calendar.addWorkingHours(from, 6);
      // then: 1 h Wednesday, 4 h Thursday, 1 h Saturday
      expect(due.toISOString()).to.equal(kabul('2026-03-28T09:00:00').toISOString());
    });

    it('should end at closing when the hours fill the day exactly', () => {
      // given: Sunday 08:00
      const from = kabul('2026-03-22T08:00:00');
      // when
      const due = calendar.addWorkingHours(from, 8);
      // then
      expect(due.toISOString()).to.equal(kabul('2026-03-22T16:00:00').toISOString());
    });

    it('should count fractions of an hour', () => {
      // given: Sunday 15:45
      const from = kabul('2026-03-22T15:45:00');
      // when
      const due = calendar.addWorkingHours(from, 0.5);
      // then
      expect(due.toISOString()).to.equal(kabul('2026-03-23T08:15:00').toISOString());
    });
  });

  describe('workingDaysBetween', () => {
    it('should count working days after the first day up to the second, skipping Fridays and holidays', () => {
      // given
      const a = kabul('2027-03-18T10:00:00'); // Thursday
      const b = kabul('2027-03-27T10:00:00'); // Saturday
      // when
      const n = calendar.workingDaysBetween(a, b);
      // then: Sat 20, Thu 25, Sat 27 (Fri 19 and 26 off, 21–24 Nowruz)
      expect(n).to.equal(3);
      expect(calendar.workingDaysBetween(b, a)).to.equal(-3);
      expect(calendar.workingDaysBetween(a, a)).to.equal(0);
    });

    it('should agree with addWorkingDays from inside office hours', () => {
      // given
      const from = kabul('2027-03-17T11:00:00');
      // when
      const deadline = calendar.addWorkingDays(from, 10);
      // then
      expect(calendar.workingDaysBetween(from, deadline)).to.equal(10);
    });
  });

  describe('parseHolidays', () => {
    it('should parse comma-separated dates and ranges into sorted unique dates', () => {
      // given
      const value = ' 2027-03-22..2027-03-24, 2026-03-21,2027-03-21, 2026-03-21 ';
      // when
      const holidays = parseHolidays(value);
      // then
      expect(holidays).to.deep.equal(['2026-03-21', '2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24']);
      expect(parseHolidays(undefined)).to.deep.equal([]);
    });

    it('should name the variable when an entry is not a date', () => {
      // given / when / then
      expect(() => parseHolidays('2026-02-30')).to.throw(/RAVAND_HOLIDAYS: "2026-02-30"/);
      expect(() => createCalendar({ holidays: ['tomorrow'] }))
        .to.throw()
        .that.satisfies(isAppError);
    });
  });

  describe('parseInstant', () => {
    it('should read a date-time without offset as Kabul time whatever the host time zone', () => {
      // given
      const hostZone = process.env.TZ;
      process.env.TZ = 'America/New_York';
      try {
        // when
        const local = parseInstant('2026-03-21T08:00:00');
        const zoned = parseInstant('2026-03-21T08:00:00@Asia/Kabul');
        const day = parseInstant('2026-03-21');
        // then
        expect(local.toISOString()).to.equal('2026-03-21T03:30:00.000Z');
        expect(zoned.toISOString()).to.equal('2026-03-21T03:30:00.000Z');
        expect(day.toISOString()).to.equal('2026-03-20T19:30:00.000Z');
        expect(parseInstant('2026-03-21T08:00:00Z').toISOString()).to.equal('2026-03-21T08:00:00.000Z');
      } finally {
        if (hostZone === undefined) delete process.env.TZ;
        else process.env.TZ = hostZone;
      }
    });

    it('should refuse text that is not a date-time', () => {
      // given / when / then
      for (const text of ['', 'soon', '2026-13-01T00:00:00Z', '2026-03-21T25:00:00']) {
        expect(() => parseInstant(text))
          .to.throw()
          .that.satisfies((e: unknown) => isAppError(e, 'RV_ERR_INVALID_DATE'));
      }
    });
  });

  describe('Solar Hijri', () => {
    it('should format 2026-03-21 as 1 Hamal (Farvardin) 1405', () => {
      // given
      const nowruz = kabul('2026-03-21T10:00:00');
      // when
      const fa = formatSolarHijri(nowruz, 'fa');
      const en = formatSolarHijri(nowruz, 'en');
      // then
      expect(fa).to.equal('۱ حمل ۱۴۰۵');
      expect(en).to.equal('Farvardin 1, 1405 AP');
      expect(formatSolarHijri(nowruz, 'fa', { dateStyle: 'short' })).to.equal('۱۴۰۵/۱/۱');
    });

    it('should give the Solar Hijri year in Kabul, changing at Nowruz', () => {
      // given: 00:30 on 1 Hamal in Kabul is still the previous day in UTC
      const lastDayOf1404 = kabul('2026-03-20T23:59:00');
      const firstMinutesOf1405 = new Date('2026-03-20T20:00:00Z');
      // when / then
      expect(solarHijriYear(lastDayOf1404)).to.equal(1404);
      expect(solarHijriYear(firstMinutesOf1405)).to.equal(1405);
      expect(solarHijriYear('2027-03-20T12:00:00Z')).to.equal(1405);
    });
  });
});
