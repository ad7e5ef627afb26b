import type { AuditEvent } from './types.js';

/** The auditor's desk filter (`GET /api/audit`, its CSV export). */
export interface AuditFilter {
  instanceId?: string;
  actor?: string;
  /** An entry type (`task.completed`), or a family when it ends in `.` (`task.`). */
  kind?: string;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** Whether an audit entry fits the filter (the one place the audit search's meaning lives). */
export function matchesAudit(f: AuditFilter, e: AuditEvent): boolean {
  if (f.instanceId && e.instanceId !== f.instanceId) return false;
  if (f.actor && e.actor !== f.actor) return false;
  if (f.kind && (f.kind.endsWith('.') ? !e.type.startsWith(f.kind) : e.type !== f.kind)) return false;
  const at = Date.parse(e.at);
  if (f.from && !(at >= Date.parse(f.from))) return false;
  if (f.to && !(at < Date.parse(f.to))) return false;
  return true;
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'type',
  'instanceId',
  'elementId',
  'taskId',
  'data',
  'hash',
] as const;

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

/** The header row of the audit CSV. */
export function auditCsvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

/** One audit entry as a CSV row (CRLF-terminated, RFC 4180). */
export function auditCsvRow(e: AuditEvent): string {
  return CSV_COLUMNS.map((c) => cell(e[c])).join(',') + '\r\n';
}
