import { auditCsvHeader, auditCsvRow, matchesAudit, type AuditFilter } from '../engine/audit-search.js';
import type { AuditEvent } from '../engine/types.js';
import type { ApiDeps } from './api-deps.js';
import { instanceIdOf, labelAuditEntries } from './audit-labels.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

/** The audit entries that fit the filter, oldest first (one instance's trail, or a scan of the chain). */
async function* auditEntries(deps: ApiDeps, filter: AuditFilter): AsyncIterable<AuditEvent> {
  await deps.runtime().settled();
  if (filter.instanceId) filter = { ...filter, instanceId: await instanceIdOf(filter.instanceId, deps) };
  const source = filter.instanceId
    ? await deps.auditReader.byInstance(filter.instanceId)
    : deps.auditReader.scan();
  for await (const e of source) if (matchesAudit(filter, e)) yield e;
}

/** The auditor's desk: search the audit trail a page at a time, or export all that fits as CSV. */
export function auditHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    searchAudit: signedIn('searchAudit', async ({ query: { skip, limit, ...filter } }) => {
      const items: AuditEvent[] = [];
      let total = 0;
      for await (const e of auditEntries(deps, filter)) {
        if (total >= skip && items.length < limit) items.push(e);
        total++;
      }
      return { items: await labelAuditEntries(items, deps), total, skip, limit };
    }),
    exportAudit: signedIn('exportAudit', async ({ query: filter, res }) => {
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="ravand-audit.csv"');
      res.setHeader('Cache-Control', 'no-store');
      // the BOM tells Excel the file is UTF-8, so Dari shows as Dari
      let chunk = '\uFEFF' + auditCsvHeader();
      for await (const e of auditEntries(deps, filter)) {
        chunk += auditCsvRow(e);
        if (chunk.length > 64_000) {
          res.write(chunk);
          chunk = '';
        }
      }
      res.end(chunk);
    }),
  };
}
