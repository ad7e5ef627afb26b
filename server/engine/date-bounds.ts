import type { FormFieldError } from './forms.js';
import type { I18nText } from './types.js';

/** The default window for date fields without `x-min`/`x-max`: a Solar Hijri year (1405) falls outside it. */
export const DEFAULT_DATE_MIN = '1990-01-01';
export const DEFAULT_DATE_MAX = '2100-12-31';

interface DateField {
  type?: string;
  format?: string;
  properties?: Record<string, DateField>;
  items?: DateField;
  'x-label'?: I18nText;
  'x-widget'?: string;
  'x-min'?: string;
  'x-max'?: string;
}

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})/;

const faDigits = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

/** The calendar day of a date or date-time value (`YYYY-MM-DD`), or undefined when it has none. */
function dayOf(value: unknown, format: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (format === 'date') return DATE_PREFIX.exec(value)?.[1];
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  // the office's day (Asia/Kabul, UTC+04:30, no daylight saving)
  return new Date(ms + 4.5 * 3_600_000).toISOString().slice(0, 10);
}

function boundsError(path: string, field: DateField, min: string, max: string): FormFieldError {
  const fa = field['x-label']?.fa || path;
  const en = field['x-label']?.en || path;
  return {
    field: path,
    keyword: 'x-range',
    message: {
      fa: `«${fa}» باید تاریخی میان ${faDigits(min)} و ${faDigits(max)} (میلادی) باشد؛ تاریخ هجری شمسی را با تقویم انتخاب کنید.`,
      en: `“${en}” must be a date between ${min} and ${max} (Gregorian); pick a Solar Hijri date with the calendar.`,
    },
  };
}

function walk(field: DateField, value: unknown, path: string, out: FormFieldError[]): void {
  if (value === undefined || value === null) return;
  const format = field.format ?? (field['x-widget'] === 'date' ? 'date' : undefined);
  if (field.type === 'string' && (format === 'date' || format === 'date-time')) {
    const day = dayOf(value, format);
    if (!day) return; // a malformed value is ajv's `format` error
    const min = field['x-min'] ?? DEFAULT_DATE_MIN;
    const max = field['x-max'] ?? DEFAULT_DATE_MAX;
    if (day < min || day > max) out.push(boundsError(path, field, min, max));
    return;
  }
  if (field.properties && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, sub] of Object.entries(field.properties))
      walk(sub, (value as Record<string, unknown>)[name], path ? `${path}.${name}` : name, out);
  } else if (field.items && Array.isArray(value)) {
    value.forEach((item, i) => walk(field.items!, item, `${path}.${i}`, out));
  }
}

/**
 * Date and date-time fields outside their plausible window (`x-min`/`x-max` as `YYYY-MM-DD`, else 1990–2100),
 * so a Solar Hijri year typed into a Gregorian field (1405-09-15) is refused instead of stored as AD 1405.
 */
export function dateBoundErrors(schema: Record<string, unknown>, data: unknown): FormFieldError[] {
  const out: FormFieldError[] = [];
  walk(schema as DateField, data, '', out);
  return out;
}
