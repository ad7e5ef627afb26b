import type { AuditEvent } from '../engine/types.js';
import type { AuditLabels } from '../../schemas/records.js';

/** The languages a CSV export is written in. */
export type CsvLanguage = 'fa' | 'en';

/** An entry with its labels and its actor's display name, as one CSV row shows it. */
export type CsvEntry = AuditEvent & AuditLabels & { actorName?: { fa: string; en: string } };

/** The columns: ids beside the names a person reads (reference, process, step, actor's name). */
const COLUMNS: { head: Record<CsvLanguage, string>; value(e: CsvEntry, lang: CsvLanguage): unknown }[] = [
  { head: { en: 'No.', fa: 'شماره' }, value: (e) => e.seq },
  { head: { en: 'When (UTC)', fa: 'زمان (UTC)' }, value: (e) => e.at },
  { head: { en: 'User', fa: 'کاربر' }, value: (e) => e.actor },
  { head: { en: 'User name', fa: 'نام کاربر' }, value: (e, l) => e.actorName?.[l] },
  { head: { en: 'Kind', fa: 'نوع' }, value: (e) => e.type },
  { head: { en: 'Instance', fa: 'نمونه' }, value: (e) => e.instanceId },
  { head: { en: 'Reference', fa: 'شماره مرجع' }, value: (e) => e.reference },
  { head: { en: 'Process', fa: 'پروسه' }, value: (e, l) => e.processName?.[l] },
  { head: { en: 'Step id', fa: 'شناسهٔ مرحله' }, value: (e) => e.elementId },
  { head: { en: 'Step', fa: 'مرحله' }, value: (e, l) => e.stepName?.[l] },
  { head: { en: 'Task', fa: 'وظیفه' }, value: (e) => e.taskId },
  { head: { en: 'Data', fa: 'داده' }, value: (e) => e.data },
  { head: { en: 'Hash', fa: 'هش' }, value: (e) => e.hash },
];

/** One CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet does not run it. */
function cell(value: unknown): string {
  let text =
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header row of the audit CSV in `lang`. */
export function auditCsvHeader(lang: CsvLanguage): string {
  return COLUMNS.map((c) => cell(c.head[lang])).join(',') + '\r\n';
}

/** One audit entry as a CSV row (CRLF-terminated, RFC 4180), its names in `lang`. */
export function auditCsvRow(e: CsvEntry, lang: CsvLanguage): string {
  return COLUMNS.map((c) => cell(c.value(e, lang))).join(',') + '\r\n';
}
