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
