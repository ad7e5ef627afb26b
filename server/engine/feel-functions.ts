import { FeelDate, FeelDateTime, FeelDuration } from 'feelin';
import { AppError } from '../app-error.js';
import { fromLocal, parseInstant, toLocal, type WorkingCalendar } from './calendar.js';

/**
 * A plain JS function that feelin can call from FEEL. feelin wraps any function found in the evaluation
 * context and binds FEEL arguments by the names in `$args` (without it, it parses `fn.toString()`, which a
 * transpiler or minifier may change), so positional and named calls both work: `addWorkingDays(now(), 5)`,
 * `addWorkingDays(from: now(), days: 5)`. An exception thrown here propagates out of `evaluate`.
 */
export type FeelCallable = ((...args: never[]) => unknown) & { $args: string[] };

/** The functions Ravand adds to FEEL (see processes/CONVENTIONS.md); all date results are ISO UTC strings. */
export interface RavandFeelFunctions {
  [name: string]: FeelCallable;
  /** The engine clock as an ISO date-time string. */
  now: FeelCallable;
  /** `addWorkingDays(from, days)`: the deadline `days` working days after `from`. */
  addWorkingDays: FeelCallable;
  /** `addWorkingHours(from, hours)`: `hours` office hours after `from`. */
  addWorkingHours: FeelCallable;
  /** `addDuration(from, "PT2H")`: `from` plus an ISO 8601 duration (string or FEEL duration). */
  addDuration: FeelCallable;
  /** `workingDaysBetween(a, b)`: working days after a's day up to b's day (negative when b is earlier). */
  workingDaysBetween: FeelCallable;
  /** `isWorkingDay(date)`: whether the Kabul day of `date` is a working day. */
  isWorkingDay: FeelCallable;
}

function feel<A extends unknown[]>(names: string[], fn: (...args: A) => unknown): FeelCallable {
  return Object.assign(fn as (...args: never[]) => unknown, { $args: names });
}

const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

/**
 * Turns a FEEL argument into an instant: an ISO string (no offset means Kabul time), a FEEL date-time
 * (`date and time("…")`, `@"…"`, feelin's `now()`), a FEEL date (Kabul midnight) or a JS Date.
 */
function toInstant(value: unknown, fn: string, timeZone: string): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'string' || value instanceof FeelDateTime || value instanceof FeelDate) {
    return parseInstant(String(value), timeZone);
  }
  throw new AppError(
    'RV_ERR_INVALID_DATE',
    { function: fn, value: String(value) },
    `${fn}: expected a date-time, got ${String(value)}`,
  );
}

function toNumber(value: unknown, fn: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AppError(
      'RV_ERR_VALIDATION',
      { function: fn, [name]: String(value) },
      `${fn}: ${name} must be a number, got ${String(value)}`,
    );
  return value;
}

const DURATION_RE =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * `from` plus an ISO 8601 duration. Years, months, weeks and days move the wall-clock date in `timeZone` (a
 * month from 31 January is the last day of February); hours, minutes and seconds are elapsed time.
 */
export function addIsoDuration(from: Date, duration: string, timeZone: string): Date {
  const m = DURATION_RE.exec(duration.trim());
  if (!m || /(^[+-]?P|T)$/.test(duration.trim()))
    throw new AppError('RV_ERR_VALIDATION', { duration }, `"${duration}" is not an ISO 8601 duration`);
  const sign = m[1] === '-' ? -1 : 1;
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(2).map((x) => sign * Number(x ?? 0));
  const localMs = toLocal(timeZone, from.getTime());
  const local = new Date(localMs);
  const timeOfDay = localMs - Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const monthIndex = local.getUTCFullYear() * 12 + local.getUTCMonth() + years * 12 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const wall = Date.UTC(year, month, Math.min(local.getUTCDate(), lastDay) + weeks * 7 + days) + timeOfDay;
  const elapsed = Math.round((hours * 3600 + minutes * 60 + seconds) * 1000);
  return new Date(fromLocal(timeZone, wall) + elapsed);
}

/**
 * The FEEL functions to merge into the context given to feelin's `evaluate(expression, context)`, after the
 * process variables so that a variable cannot shadow them. A missing (null) date or count gives null, as FEEL's
 * built-ins do; a value of the wrong kind throws an AppError (RV_ERR_INVALID_DATE, RV_ERR_VALIDATION).
 */
export function feelFunctions(calendar: WorkingCalendar, now: () => Date): RavandFeelFunctions {
  const tz = calendar.timeZone;
  return {
    now: feel([], () => now().toISOString()),
    addWorkingDays: feel(['from', 'days'], (from: unknown, days: unknown) => {
      if (isNil(from) || isNil(days)) return null;
      const n = toNumber(days, 'addWorkingDays', 'days');
      return calendar.addWorkingDays(toInstant(from, 'addWorkingDays', tz), n).toISOString();
    }),
    addWorkingHours: feel(['from', 'hours'], (from: unknown, hours: unknown) => {
      if (isNil(from) || isNil(hours)) return null;
      const n = toNumber(hours, 'addWorkingHours', 'hours');
      return calendar.addWorkingHours(toInstant(from, 'addWorkingHours', tz), n).toISOString();
    }),
    addDuration: feel(['from', 'duration'], (from: unknown, duration: unknown) => {
      if (isNil(from) || isNil(duration)) return null;
      if (typeof duration !== 'string' && !(duration instanceof FeelDuration))
        throw new AppError(
          'RV_ERR_VALIDATION',
          { function: 'addDuration', duration: String(duration) },
          `addDuration: expected an ISO 8601 duration, got ${String(duration)}`,
        );
      return addIsoDuration(toInstant(from, 'addDuration', tz), String(duration), tz).toISOString();
    }),
    workingDaysBetween: feel(['a', 'b'], (a: unknown, b: unknown) => {
      if (isNil(a) || isNil(b)) return null;
      return calendar.workingDaysBetween(
        toInstant(a, 'workingDaysBetween', tz),
        toInstant(b, 'workingDaysBetween', tz),
      );
    }),
    isWorkingDay: feel(['date'], (date: unknown) => {
      if (isNil(date)) return null;
      return calendar.isWorkingDay(toInstant(date, 'isWorkingDay', tz));
    }),
  };
}
