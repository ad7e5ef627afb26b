import { OFFICE_TIME_ZONE, parseInstant } from '../engine/calendar.js';

/** Afghan Solar Hijri month names (حمل … حوت), as official papers in Afghanistan write them. */
export const AFGHAN_MONTHS = {
  fa: ['حمل', 'ثور', 'جوزا', 'سرطان', 'اسد', 'سنبله', 'میزان', 'عقرب', 'قوس', 'جدی', 'دلو', 'حوت'],
  en: [
    'Hamal',
    'Sawr',
    'Jawza',
    'Saratan',
    'Asad',
    'Sonbola',
    'Mizan',
    'Aqrab',
    'Qaws',
    'Jadi',
    'Dalw',
    'Hut',
  ],
} as const;

const solarParts = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
  timeZone: OFFICE_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});
const gregorian = new Intl.DateTimeFormat('en-GB', {
  timeZone: OFFICE_TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** Western digits → Persian digits (۰–۹). */
export function persianDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

/** The Solar Hijri day, month (1–12) and year of an instant in Kabul. */
export function solarHijri(date: Date): { year: number; month: number; day: number } {
  const parts = solarParts.formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/**
 * A date as a letter writes it: `۱۳ قوس ۱۴۰۵` in Dari; `13 Qaws 1405 (4 December 2026)` in English, with the
 * Gregorian date beside the Solar Hijri one. A `YYYY-MM-DD` day is read as that day in Kabul.
 */
export function letterDate(value: Date | string, lang: 'fa' | 'en'): string {
  const date =
    typeof value === 'string'
      ? parseInstant(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00` : value, OFFICE_TIME_ZONE)
      : value;
  const { year, month, day } = solarHijri(date);
  if (lang === 'fa') return persianDigits(`${day} ${AFGHAN_MONTHS.fa[month - 1]} ${year}`);
  return `${day} ${AFGHAN_MONTHS.en[month - 1]} ${year} (${gregorian.format(date)})`;
}
