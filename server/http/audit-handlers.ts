import { once } from 'node:events';
import { auditPage, matchesAudit, matchingAudit, type AuditFilter } from '../engine/audit-search.js';
import type { AuditIndex } from '../engine/projections/audit-index.js';
import type { AuditEvent } from '../engine/types.js';
import { log } from '../logger.js';
import type { ApiDeps } from './api-deps.js';
import { auditCsvHeader, auditCsvRow, type CsvLanguage } from './audit-csv.js';
import { instanceIdOf, labelAuditEntries } from './audit-labels.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

/** Entries read by `_id` (and labelled) per step of a CSV export. */
const EXPORT_BATCH = 500;

/** One instance's entries that fit the filter, oldest first (its trail: `_id` reads). */
async function trailOf(deps: ApiDeps, filter: AuditFilter & { instanceId: string }): Promise<AuditEvent[]> {
  const f = { ...filter, instanceId: await instanceIdOf(filter.instanceId, deps) };
  return (await deps.auditReader.byInstance(f.instanceId)).filter((e) => matchesAudit(f, e));
}

/** The audit index, caught up with the chain; undefined when it cannot serve (then the chain is read whole). */
async function indexOf(deps: ApiDeps): Promise<AuditIndex | undefined> {
  try {
    return await deps.auditIndex().current();
  } catch (err) {
    log.error('audit index unavailable: the desk reads the whole chain', { error: String(err) });
    return undefined;
  }
}

/** The entries of a CSV export that fit the filter, oldest first, a batch at a time. */
async function* exportBatches(deps: ApiDeps, filter: AuditFilter): AsyncIterable<AuditEvent[]> {
  if (filter.instanceId) {
    const all = await trailOf(deps, { ...filter, instanceId: filter.instanceId });
    for (let i = 0; i < all.length; i += EXPORT_BATCH) yield all.slice(i, i + EXPORT_BATCH);
    return;
  }
  const index = await indexOf(deps);
  if (index) {
    for (const seqs of index.matching(filter, EXPORT_BATCH)) yield await deps.auditReader.read(seqs);
    return;
  }
  let batch: AuditEvent[] = [];
  for await (const e of matchingAudit(deps.auditReader.scan(), filter)) {
    batch.push(e);
    if (batch.length >= EXPORT_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * The auditor's desk: a page of the audit trail that fits the filter, newest first, with the total (from the
 * audit index, the page's entries then read by `_id`; one instance's from its trail), or all of it as CSV.
 */
export function auditHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    searchAudit: signedIn('searchAudit', async ({ query: { skip, limit, order, ...filter } }) => {
      await deps.runtime().settled();
      let page: { items: AuditEvent[]; total: number };
      if (filter.instanceId) {
        const all = await trailOf(deps, { ...filter, instanceId: filter.instanceId });
        if (order === 'desc') all.reverse();
        page = { items: all.slice(skip, skip + limit), total: all.length };
      } else {
        const index = await indexOf(deps);
        if (index) {
          const found = index.search(filter, skip, limit, order);
          page = { items: await deps.auditReader.read(found.seqs), total: found.total };
        } else page = await auditPage(deps.auditReader.scan(), filter, skip, limit, order);
      }
      return { items: await labelAuditEntries(page.items, deps), total: page.total, skip, limit };
    }),
    exportAudit: signedIn('exportAudit', async ({ query: { lang, ...filter }, principal, res }) => {
      const language: CsvLanguage = lang ?? principal.user.language ?? 'fa';
      await deps.runtime().settled();
      const names = new Map((await deps.users.list()).map((u) => [u.id, u.name]));
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="ravand-audit.csv"');
      res.setHeader('Cache-Control', 'no-store');
      // the BOM tells Excel the file is UTF-8, so Dari shows as Dari
      res.write('\uFEFF' + auditCsvHeader(language));
      try {
        for await (const batch of exportBatches(deps, filter)) {
          if (res.destroyed) return;
          const labelled = await labelAuditEntries(batch, deps);
          const rows = labelled.map((e) => {
            const actorName = names.get(e.actor);
            return auditCsvRow(actorName ? { ...e, actorName } : e, language);
          });
          if (!res.write(rows.join(''))) await once(res, 'drain');
        }
        res.end();
      } catch (err) {
        // the header is out: a cut-off download is the only way left to say it failed
        log.error('audit export failed', { error: String(err) });
        res.destroy(err as Error);
      }
    }),
  };
}
