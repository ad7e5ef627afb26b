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

/** The entries of `entries` that fit the filter, in their order. */
export async function* matchingAudit(
  entries: AsyncIterable<AuditEvent>,
  f: AuditFilter,
): AsyncIterable<AuditEvent> {
  for await (const e of entries) if (matchesAudit(f, e)) yield e;
}

/**
 * A page of the entries that fit the filter, from entries read oldest first, in `order` ('desc': newest first),
 * with how many fit: one pass that keeps at most about twice `skip + limit` entries (the desk's last resort when
 * the audit index cannot serve).
 */
export async function auditPage(
  entries: AsyncIterable<AuditEvent>,
  f: AuditFilter,
  skip: number,
  limit: number,
  order: 'desc' | 'asc',
): Promise<{ items: AuditEvent[]; total: number }> {
  const keep = skip + limit;
  const last = (list: AuditEvent[]) => list.slice(Math.max(0, list.length - keep));
  let total = 0;
  let kept: AuditEvent[] = [];
  for await (const e of matchingAudit(entries, f)) {
    total++;
    if (order === 'asc') {
      if (total > skip && kept.length < limit) kept.push(e);
    } else {
      kept.push(e);
      // trimmed once per `keep` entries, not on each: a deep page costs one pass, not a copy per entry
      if (kept.length >= 2 * keep) kept = last(kept);
    }
  }
  return {
    items:
      order === 'asc'
        ? kept
        : last(kept)
            .reverse()
            .slice(skip, skip + limit),
    total,
  };
}
