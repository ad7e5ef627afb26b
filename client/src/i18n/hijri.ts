import { isValidJalaaliDate, jalaaliMonthLength, toGregorian, toJalaali } from 'jalaali-js';
import type { Lang } from './i18n.js';

/**
 * The Solar Hijri calendar as Afghanistan writes it: conversions by jalaali-js (Borkowski's algorithm, the
 * same leap years as the official calendar for 1800–2256), Afghan month names, Dari digits. Dates are plain
 * `YYYY-MM-DD` strings (Gregorian, ISO) in and out, as they travel and are stored.
 */

/** The Afghan Solar Hijri months (Hamal … Hut), not the Iranian names (Farvardin … Esfand). */
export const AFGHAN_MONTHS: Record<Lang, readonly string[]> = {
  fa: ['حمل', 'ثور', 'جوزا', 'سرطان', 'اسد', 'سنبله', 'میزان', 'عقرب', 'قوس', 'جدی', 'دلو', 'حوت'],
  en: [
    'Hamal',
    'Sawr',
    'Jawza',
    'Saratan',
    'Asad',
    'Sunbula',
    'Mizan',
    'Aqrab',
    'Qaws',
    'Jadi',
    'Dalw',
    'Hut',
  ],
};

/** Week days from Saturday (the first day of the Afghan week) to Friday. */
export const WEEKDAYS: Record<Lang, readonly string[]> = {
  fa: ['شنبه', 'یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه'],
  en: ['Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
};
export const WEEKDAYS_SHORT: Record<Lang, readonly string[]> = {
  fa: ['ش', 'ی', 'د', 'س', 'چ', 'پ', 'ج'],
  en: ['Sa', 'Su', 'Mo', 'Tu', 'We', 'Th', 'Fr'],
};

export interface HijriDate {
  year: number;
  month: number;
  day: number;
}

const FA_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const AR_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** Latin digits → Dari digits. */
function toFaDigits(text: string): string {
  return text.replace(/\d/g, (d) => FA_DIGITS[Number(d)]!);
}

/** Dari (Persian) or Arabic-Indic digits → Latin digits. */
export function toLatinDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(FA_DIGITS.indexOf(d)))
    .replace(/[٠-٩]/g, (d) => String(AR_DIGITS.indexOf(d)));
}

/** Digits in the language's script. */
export const localDigits = (text: string, lang: Lang): string => (lang === 'fa' ? toFaDigits(text) : text);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` (Gregorian) → Solar Hijri, or undefined when it is not a date. */
export function isoToHijri(iso: string): HijriDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return undefined;
  const [gy, gm, gd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(gy, gm - 1, gd));
  if (check.getUTCMonth() !== gm - 1 || check.getUTCDate() !== gd || gy < 622 || gy > 3700) return undefined;
  const j = toJalaali(gy, gm, gd);
  return { year: j.jy, month: j.jm, day: j.jd };
}

/** Solar Hijri → `YYYY-MM-DD` (Gregorian), or undefined when the Hijri date does not exist. */
export function hijriToIso(date: HijriDate): string | undefined {
  const { year, month, day } = date;
  if (!Number.isInteger(year) || year < 1 || year > 3177 || !isValidJalaaliDate(year, month, day))
    return undefined;
  const g = toGregorian(year, month, day);
  return `${pad(g.gy, 4)}-${pad(g.gm)}-${pad(g.gd)}`;
}

/** Days in a Solar Hijri month (Hut has 30 in a leap year). */
export const hijriMonthLength = (year: number, month: number): number => jalaaliMonthLength(year, month);

/**
 * Reads what a person types: `1405-09-15`, `1405/9/15`, `۱۴۰۵-۰۹-۱۵` (Dari or Latin digits, `-`, `/` or `.`)
 * → the Hijri date, or undefined when it is not one.
 */
export function parseHijri(text: string): HijriDate | undefined {
  const m = /^\s*(\d{3,4})\s*[-/.\u066B\u2212]\s*(\d{1,2})\s*[-/.\u066B\u2212]\s*(\d{1,2})\s*$/.exec(
    toLatinDigits(text),
  );
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return hijriToIso(date) ? date : undefined;
}

/** `1405-09-15` (in the language's digits), the form typed into the field. */
export function formatHijriNumeric(date: HijriDate, lang: Lang): string {
  return localDigits(`${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`, lang);
}

/** "15 Qaws 1405" / "۱۵ قوس ۱۴۰۵". */
export function formatHijriLong(date: HijriDate, lang: Lang): string {
  return localDigits(`${date.day} ${AFGHAN_MONTHS[lang][date.month - 1]} ${date.year}`, lang);
}

/** Day of the week of an ISO date, 0 = Saturday … 6 = Friday. */
export function weekdayFromSaturday(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1) % 7;
}

/** Today in Kabul (UTC+04:30, no daylight saving) as `YYYY-MM-DD`. */
export function kabulToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 4.5 * 3_600_000).toISOString().slice(0, 10);
}

/** Adds days to an ISO date. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
