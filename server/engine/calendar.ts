import { AppError } from '../app-error.js';

/**
 * The office calendar: working days, office hours and deadlines in the office's time zone (Asia/Kabul,
 * UTC+04:30, no DST), computed from the zone rules through `Intl` and never from the host's time zone.
 *
 * Office week: Saturday–Wednesday 08:00–16:00, Thursday 08:00–12:00, Friday off, plus configured holidays.
 *
 * Where a count starts (`addWorkingDays`, `addWorkingHours`): a moment inside office hours counts from itself;
 * before 08:00 on a working day it counts from 08:00 that day; after closing (16:00, Thursday 12:00), on a
 * Friday or on a holiday it counts from 08:00 of the next working day. So a request arriving Thursday 14:00
 * counts from Saturday 08:00 and `addWorkingDays(thu 14:00, 1)` is Sunday 08:00.
 *
 * `addWorkingDays` keeps the start's time of day on the n-th working day after the start's day; when that day
 * is a Thursday and the time is past Thursday's closing, the deadline is Thursday 12:00: the deadline stays on
 * the n-th working day (what "within n working days" means), at its close.
 */
export interface WorkingCalendar {
  readonly timeZone: string;
  /** Holidays as sorted `YYYY-MM-DD` dates in the calendar's time zone. */
  readonly holidays: readonly string[];
  /** True when the day (a `YYYY-MM-DD` date, or the local day of an instant) is a working day. */
  isWorkingDay(date: Date | string): boolean;
  /** True when `date` falls inside office hours of a working day (opening inclusive, closing exclusive). */
  isOfficeHours(date: Date): boolean;
  /** `date` itself inside office hours, else the next opening (08:00 of the next working day or of today). */
  nextOfficeTime(date: Date): Date;
  /** The deadline `days` working days after `from` (see the module comment for where the count starts). */
  addWorkingDays(from: Date, days: number): Date;
  /** The moment after `hours` office hours (fractions allowed) have passed from `from`. */
  addWorkingHours(from: Date, hours: number): Date;
  /** Working days d with day(a) < d ≤ day(b), counted on local days; negative when b is before a. */
  workingDaysBetween(a: Date, b: Date): number;
}

export interface CalendarOptions {
  /** `YYYY-MM-DD` dates, or `YYYY-MM-DD..YYYY-MM-DD` inclusive ranges, in the calendar's time zone. */
  holidays?: readonly string[];
  /** IANA zone; default Asia/Kabul. */
  timeZone?: string;
}

export const OFFICE_TIME_ZONE = 'Asia/Kabul';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const OPEN = 8 * HOUR;
const CLOSE = 16 * HOUR;
const THURSDAY_CLOSE = 12 * HOUR;
/** Weekday of a day number (days since 1970-01-01, a Thursday): 0 = Sunday … 5 = Friday, 6 = Saturday. */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const FRIDAY = 5;
const THURSDAY = 4;
/** Upper bound on day counts, so a bad input cannot spin a loop for long. */
const MAX_DAYS = 36_500;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a valid `YYYY-MM-DD`, or undefined. */
function civilDay(text: string): number | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    return undefined;
  return ms / DAY;
}

const isoDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/** Expands `YYYY-MM-DD` and `YYYY-MM-DD..YYYY-MM-DD` entries to day numbers; undefined entries are invalid. */
function expandHoliday(entry: string): number[] | undefined {
  const [start, end, extra] = entry.split('..');
  const a = civilDay(start);
  if (a === undefined || extra !== undefined) return undefined;
  if (end === undefined) return [a];
  const b = civilDay(end);
  if (b === undefined || b < a || b - a > 366) return undefined;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/**
 * Parses `RAVAND_HOLIDAYS`: comma-separated `YYYY-MM-DD` dates or inclusive `YYYY-MM-DD..YYYY-MM-DD` ranges;
 * returns sorted unique dates, throws naming the variable on a bad entry.
 */
export function parseHolidays(
  value: string | readonly string[] | undefined,
  name = 'RAVAND_HOLIDAYS',
): string[] {
  const entries = (typeof value === 'string' ? value.split(',') : (value ?? []))
    .map((s) => s.trim())
    .filter(Boolean);
  const days = new Set<number>();
  for (const entry of entries) {
    const expanded = expandHoliday(entry);
    if (!expanded)
      throw new Error(`${name}: "${entry}" is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)`);
    for (const d of expanded) days.add(d);
  }
  return [...days].sort((a, b) => a - b).map(isoDay);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    } catch {
      throw new AppError('RV_ERR_VALIDATION', { timeZone }, `Unknown time zone "${timeZone}"`);
    }
    offsetFormatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (Asia/Kabul: +4.5 h). */
export function zoneOffset(timeZone: string, utcMs: number): number {
  const name = offsetFormatter(timeZone)
    .formatToParts(utcMs)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/.exec(name ?? '');
  if (!m) return 0; // "GMT": UTC itself
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * HOUR + Number(m[3] ?? 0) * MINUTE + Number(m[4] ?? 0) * 1000);
}

/** Wall-clock milliseconds in `timeZone` (counted as if UTC) of the instant `utcMs`. */
export const toLocal = (timeZone: string, utcMs: number): number => utcMs + zoneOffset(timeZone, utcMs);

/** The instant whose wall clock in `timeZone` reads `localMs` (two passes cover zones with DST). */
export function fromLocal(timeZone: string, localMs: number): number {
  const first = localMs - zoneOffset(timeZone, localMs);
  return localMs - zoneOffset(timeZone, first);
}

const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?:@([A-Za-z0-9_/+-]+))?$/i;

/**
 * Parses an ISO 8601 date or date-time as an instant. With `Z` or an offset it is exact; with `@Zone` (FEEL's
 * form) or with neither it is a wall-clock time in that zone or in `timeZone` (never the host's zone). A date
 * alone is local midnight. Throws RV_ERR_INVALID_DATE on anything else.
 */
export function parseInstant(text: string, timeZone: string = OFFICE_TIME_ZONE): Date {
  const m = DATE_TIME_RE.exec(text.trim());
  const fail = () =>
    new AppError('RV_ERR_INVALID_DATE', { value: text }, `"${text}" is not an ISO date-time`);
  if (!m) throw fail();
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset, zone] = m;
  const day = civilDay(`${y}-${mo}-${d}`);
  if (day === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw fail();
  const local =
    day * DAY + Number(h) * HOUR + Number(mi) * MINUTE + Number(s) * 1000 + Number(`0.${frac}`) * 1000;
  let utc: number;
  if (offset) {
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
    const off = om ? (om[1] === '-' ? -1 : 1) * (Number(om[2]) * HOUR + Number(om[3] ?? 0) * MINUTE) : 0;
    utc = local - off;
  } else {
    utc = fromLocal(zone ?? timeZone, local);
  }
  return new Date(Math.round(utc));
}

function instantMs(value: Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms))
    throw new AppError('RV_ERR_INVALID_DATE', { value: String(value) }, `${what} is not a date`);
  return ms;
}

function count(value: number, what: string, integer: boolean): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  )
    throw new AppError(
      'RV_ERR_VALIDATION',
      { [what]: value },
      `${what} must be a non-negative ${integer ? 'integer' : 'number'}, got ${String(value)}`,
    );
  if (value / (integer ? 1 : 24) > MAX_DAYS)
    throw new AppError('RV_ERR_VALIDATION', { [what]: value }, `${what} is too large: ${value}`);
  return value;
}

/** Builds the office calendar; throws when a holiday or the time zone is invalid. */
export function createCalendar(options: CalendarOptions = {}): WorkingCalendar {
  const timeZone = options.timeZone ?? OFFICE_TIME_ZONE;
  zoneOffset(timeZone, 0); // validates the zone
  let holidays: string[];
  try {
    holidays = parseHolidays(options.holidays ?? [], 'holidays');
  } catch (err) {
    throw new AppError('RV_ERR_INVALID_DATE', { holidays: options.holidays }, (err as Error).message);
  }
  const holidayDays = new Set(holidays.map((h) => civilDay(h)!));

  const isWorking = (day: number) => weekday(day) !== FRIDAY && !holidayDays.has(day);
  const closeOf = (day: number) => (weekday(day) === THURSDAY ? THURSDAY_CLOSE : CLOSE);
  const nextWorking = (day: number) => {
    let d = day + 1;
    // the bound only matters for an absurd holiday list; every week has working days otherwise
    for (let i = 0; !isWorking(d) && i < MAX_DAYS; i++) d++;
    return d;
  };
  /** Local ms of the first office moment at or after local ms `l`. */
  const nextOfficeLocal = (l: number) => {
    const day = Math.floor(l / DAY);
    const t = l - day * DAY;
    if (isWorking(day)) {
      if (t < OPEN) return day * DAY + OPEN;
      if (t < closeOf(day)) return l;
    }
    return nextWorking(day) * DAY + OPEN;
  };
  const localDay = (date: Date, what: string) => Math.floor(toLocal(timeZone, instantMs(date, what)) / DAY);

  return {
    timeZone,
    holidays,

    isWorkingDay(date) {
      if (typeof date === 'string') {
        const day = civilDay(date);
        if (day === undefined) return isWorking(localDay(parseInstant(date, timeZone), 'date'));
        return isWorking(day);
      }
      return isWorking(localDay(date, 'date'));
    },

    isOfficeHours(date) {
      const l = toLocal(timeZone, instantMs(date, 'date'));
      return nextOfficeLocal(l) === l;
    },

    nextOfficeTime(date) {
      return new Date(fromLocal(timeZone, nextOfficeLocal(toLocal(timeZone, instantMs(date, 'date')))));
    },

    addWorkingDays(from, days) {
      count(days, 'days', true);
      const start = nextOfficeLocal(toLocal(timeZone, instantMs(from, 'from')));
      let day = Math.floor(start / DAY);
      const timeOfDay = start - day * DAY;
      for (let i = 0; i < days; i++) day = nextWorking(day);
      return new Date(fromLocal(timeZone, day * DAY + Math.min(timeOfDay, closeOf(day))));
    },

    addWorkingHours(from, hours) {
      let left = Math.round(count(hours, 'hours', false) * HOUR);
      let l = nextOfficeLocal(toLocal(timeZone, instantMs(from, 'from')));
      for (;;) {
        const day = Math.floor(l / DAY);
        const available = day * DAY + closeOf(day) - l;
        if (left <= available) return new Date(fromLocal(timeZone, l + left));
        left -= available;
        l = nextWorking(day) * DAY + OPEN;
      }
    },

    workingDaysBetween(a, b) {
      const da = localDay(a, 'a');
      const db = localDay(b, 'b');
      const [lo, hi, sign] = da <= db ? [da, db, 1] : [db, da, -1];
      let n = 0;
      for (let d = lo + 1; d <= hi; d++) if (isWorking(d)) n++;
      return sign * n;
    },
  };
}

const solarFormatters = new Map<string, Intl.DateTimeFormat>();

function solarFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = solarFormatters.get(key);
  if (!f) solarFormatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

export interface SolarHijriFormatOptions {
  /** Default `long`: "۱ حمل ۱۴۰۵" / "Farvardin 1, 1405 AP"; `short`: "۱۴۰۵/۱/۱" / "1/1/1405 AP". */
  dateStyle?: 'full' | 'long' | 'medium' | 'short';
  /** Adds the time of day when given. */
  timeStyle?: 'full' | 'long' | 'medium' | 'short';
  timeZone?: string;
}

/**
 * A date in the Solar Hijri calendar (هجری شمسی), in Dari (Afghan month names, Persian digits) or English,
 * as seen in Asia/Kabul.
 */
export function formatSolarHijri(
  date: Date | string,
  lang: 'fa' | 'en',
  options: SolarHijriFormatOptions = {},
): string {
  const { dateStyle = 'long', timeStyle, timeZone = OFFICE_TIME_ZONE } = options;
  const d = typeof date === 'string' ? parseInstant(date, timeZone) : date;
  const locale = lang === 'fa' ? 'fa-AF-u-ca-persian' : 'en-US-u-ca-persian';
  return solarFormatter(locale, { timeZone, dateStyle, ...(timeStyle ? { timeStyle } : {}) }).format(
    instantMs(d, 'date'),
  );
}

/** The Solar Hijri year of an instant in Asia/Kabul (e.g. 1405 from 2026-03-21 to 2027-03-20); for letter numbers. */
export function solarHijriYear(date: Date | string, timeZone: string = OFFICE_TIME_ZONE): number {
  const d = typeof date === 'string' ? parseInstant(date, timeZone) : date;
  const year = solarFormatter('en-US-u-ca-persian-nu-latn', { timeZone, year: 'numeric' })
    .formatToParts(instantMs(d, 'date'))
    .find((p) => p.type === 'year')?.value;
  return Number(year);
}
