import { i18n, type Lang } from './i18n.js';

const TZ = 'Asia/Kabul';

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

/** Formats a date in Solar Hijri with the Gregorian date beside it, in Kabul time. */
export function formatDate(value: string | Date, withTime = true, lang: Lang = i18n.lang): FormattedDate {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return { hijri: String(value), gregorian: '', iso: '' };
  const timeOptions: Intl.DateTimeFormatOptions = withTime
    ? { hour: '2-digit', minute: '2-digit', hour12: false }
    : {};
  const hijriLocale = lang === 'fa' ? 'fa-AF-u-ca-persian' : 'en-GB-u-ca-persian';
  const gregorianLocale = lang === 'fa' ? 'fa-AF-u-ca-gregory' : 'en-GB';
  const hijri = formatter(hijriLocale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...timeOptions,
  }).format(date);
  const gregorian = formatter(gregorianLocale, { day: 'numeric', month: 'short', year: 'numeric' }).format(
    date,
  );
  return { hijri, gregorian, iso: date.toISOString() };
}

/** One line: "۷ قوس ۱۴۰۵، ۱۴:۳۰ (۲۸ نومبر ۲۰۲۶)". */
export function formatDateText(value: string | Date, withTime = true, lang: Lang = i18n.lang): string {
  const f = formatDate(value, withTime, lang);
  return f.gregorian ? `${f.hijri} (${f.gregorian})` : f.hijri;
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
