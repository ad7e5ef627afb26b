import { formatHijriLong, isoToHijri, localDigits } from './hijri.js';
import { i18n, type Lang } from './i18n.js';

const TZ = 'Asia/Kabul';
/** Kabul is UTC+04:30 all year (no daylight saving). */
const KABUL_OFFSET_MS = 4.5 * 3_600_000;

export interface FormattedDate {
  /** Solar Hijri (the office's calendar), in the current language. */
  hijri: string;
  /** The Gregorian date shown beside it. */
  gregorian: string;
  /** ISO string for `<time datetime>`. */
  iso: string;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TZ, ...options });
    cache.set(key, f);
  }
  return f;
}

/** Formats a date in Solar Hijri (Afghan month names, jalaali-js) with the Gregorian date beside it, in Kabul time. */
export function formatDate(value: string | Date, withTime = true, lang: Lang = i18n.lang): FormattedDate {
  // a plain `YYYY-MM-DD` is a calendar day, not midnight UTC
  const dayOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = typeof value === 'string' ? new Date(dayOnly ? `${value}T12:00:00+04:30` : value) : value;
  if (Number.isNaN(date.getTime())) return { hijri: String(value), gregorian: '', iso: '' };
  const kabul = new Date(date.getTime() + KABUL_OFFSET_MS).toISOString();
  const day = isoToHijri(kabul.slice(0, 10));
  if (!day) return { hijri: String(value), gregorian: '', iso: '' };
  const time = withTime && !dayOnly ? localDigits(kabul.slice(11, 16), lang) : '';
  const hijri = formatHijriLong(day, lang) + (time ? `${lang === 'fa' ? '،' : ','} ${time}` : '');
  const gregorianLocale = lang === 'fa' ? 'fa-AF-u-ca-gregory' : 'en-GB';
  const gregorian = formatter(gregorianLocale, {
    day: 'numeric',
    // Dari's short month names are clipped ("دسم"): the long ones read naturally
    month: lang === 'fa' ? 'long' : 'short',
    year: 'numeric',
  }).format(date);
  return { hijri, gregorian, iso: dayOnly ? (value as string) : date.toISOString() };
}

/** A short time of day in Kabul, for "updated at". */
export function formatTime(value: Date, lang: Lang = i18n.lang): string {
  return formatter(lang === 'fa' ? 'fa-AF' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(value);
}

/** A Kabul calendar day (`YYYY-MM-DD`) → the instant it starts, or the instant it ends with `end` (for filters). */
export function kabulDayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const start = new Date(`${day}T00:00:00+04:30`).getTime();
  if (Number.isNaN(start)) return undefined;
  return new Date(end ? start + 86_400_000 - 1 : start).toISOString();
}
