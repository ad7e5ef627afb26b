import type { I18nText } from '../i18n/i18n.js';
import type { FieldSchema, FormSchema } from './form-schema.js';
import { loadForm } from './forms.js';

/**
 * Labels of the process variables that no form asks for: the office services' results and the deadlines the
 * processes compute (processes/README.md). Form fields are labelled by their form's `x-label`.
 */
export const SERVICE_VARIABLES: Record<string, I18nText> = {
  policyNumber: { fa: 'نمبر پالیسی', en: 'Policy number' },
  policyRecordedAt: { fa: 'تاریخ ثبت پالیسی', en: 'Policy recorded on' },
  policyRecordedAtFa: { fa: 'تاریخ ثبت پالیسی (هجری شمسی)', en: 'Policy recorded on (Solar Hijri)' },
  letterReference: { fa: 'نمبر مکتوب', en: 'Letter reference' },
  tripLetter: { fa: 'مکتوب منظوری سفر', en: 'Trip authorization letter' },
  supportLetter: { fa: 'مکتوب حمایت', en: 'Letter of support' },
  approvalNotice: { fa: 'اطلاعیهٔ تصویب پالیسی', en: 'Policy approval notice' },
  responseLetter: { fa: 'مکتوب پاسخ', en: 'Response letter' },
  auditReportLetter: { fa: 'گزارش بررسی طرزالعمل‌ها', en: 'SOP audit report' },
  archivedAt: { fa: 'تاریخ بایگانی', en: 'Archived on' },
  receivedAt: { fa: 'تاریخ دریافت', en: 'Received on' },
  dueAt: { fa: 'مهلت', en: 'Due' },
  responseDueAt: { fa: 'مهلت پاسخ', en: 'Response due' },
  originalResponseDueAt: { fa: 'مهلت اصلی پاسخ', en: 'Original response due' },
  decisionEscalateAt: { fa: 'زمان ارجاع تصمیم', en: 'Decision escalates at' },
  arrangementsDueAt: { fa: 'مهلت ترتیبات سفر', en: 'Arrangements due' },
  actionsDueAt: { fa: 'مهلت اقدامات', en: 'Actions due' },
  departAt: { fa: 'زمان حرکت', en: 'Departure' },
  reminderCount: { fa: 'تعداد یادآوری‌ها', en: 'Reminders sent' },
  lastReminderAt: { fa: 'آخرین یادآوری', en: 'Last reminder' },
  lastReminderFrom: { fa: 'آخرین یادآوری از', en: 'Last reminder from' },
  answeredInTime: { fa: 'به‌موقع پاسخ داده شد', en: 'Answered in time' },
  deadlineExtended: { fa: 'مهلت تمدید شد', en: 'Deadline extended' },
  correctiveRounds: { fa: 'دورهای اصلاحی', en: 'Corrective rounds' },
  openProvinces: { fa: 'ولایات باز', en: 'Provinces still open' },
  provincesWithFindings: { fa: 'ولایات دارای یافته', en: 'Provinces with findings' },
  reportRecordedAt: { fa: 'تاریخ ثبت گزارش', en: 'Report recorded on' },
  publishedOn: { fa: 'تاریخ نشر', en: 'Published on' },
  publication: { fa: 'نشر', en: 'Publication' },
  publications: { fa: 'نشرها', en: 'Publications' },
  title: { fa: 'عنوان', en: 'Title' },
  province: { fa: 'ولایت', en: 'Province' },
  provinces: { fa: 'ولایات', en: 'Provinces' },
};

/** The fields of several forms by name (the first form that has a name wins), for labelling variables. */
export async function fieldsOfForms(
  formKeys: Iterable<string | undefined>,
): Promise<Map<string, FieldSchema>> {
  const keys = [...new Set([...formKeys].filter((k): k is string => !!k))];
  const forms = await Promise.all(keys.map((k) => loadForm(k).catch(() => null)));
  const out = new Map<string, FieldSchema>();
  for (const form of forms.filter((f): f is FormSchema => !!f))
    for (const [name, field] of Object.entries(form.properties ?? {}))
      if (!out.has(name)) out.set(name, field);
  return out;
}

/**
 * The forms whose fields label an instance's variables: its start events' forms (read from the process XML;
 * the start form's fields, e.g. `reason`, are asked by no task) and then its tasks' forms.
 */
export function formKeysOf(
  xml: string,
  tasks: Iterable<{ formKey?: string | undefined } | undefined>,
): string[] {
  const start = [...xml.matchAll(/<(?:\w+:)?startEvent\b[^>]*?\bcamunda:formKey="([^"]+)"/g)].map(
    (m) => m[1],
  );
  const keys = new Set([...start, ...[...tasks].map((t) => t?.formKey)]);
  return [...keys].filter((k): k is string => !!k);
}
