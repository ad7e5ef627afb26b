import { searchNeedle } from '../../schemas/records.js';
import type { InstanceFilter, InstanceSort, InstanceStatus, InstanceSummary } from './types.js';

/** The filter's statuses as a list (empty: any). */
export function filterStatuses(filter: InstanceFilter): InstanceStatus[] {
  if (!filter.status) return [];
  return Array.isArray(filter.status) ? filter.status : [filter.status];
}

/** `title`-like variables the free text search reads. */
const TITLE_VARIABLES = ['title', 'proposalTitle', 'subject'];

/** Whether an instance fits every field of the search filter (the one place the search's meaning lives). */
export function matchesInstance(filter: InstanceFilter, i: InstanceSummary): boolean {
  const statuses = filterStatuses(filter);
  if (filter.key && i.key !== filter.key) return false;
  if (filter.version !== undefined && i.version !== filter.version) return false;
  if (statuses.length && !statuses.includes(i.status)) return false;
  if (filter.businessKey && i.businessKey !== filter.businessKey) return false;
  if (filter.startedBy && i.startedBy !== filter.startedBy) return false;
  if (filter.directorate && i.directorate !== filter.directorate) return false;
  if (filter.province && i.province !== filter.province) return false;
  if (filter.parentId && i.parentId !== filter.parentId) return false;
  if (filter.startedAfter && !(i.startedAt >= filter.startedAfter)) return false;
  if (filter.startedBefore && !(i.startedAt < filter.startedBefore)) return false;
  if (filter.endedAfter && !(i.endedAt !== undefined && i.endedAt >= filter.endedAfter)) return false;
  if (filter.endedBefore && !(i.endedAt !== undefined && i.endedAt < filter.endedBefore)) return false;
  const needle = searchNeedle(filter.q);
  if (needle) {
    const fields = [i.businessKey, i.startedBy, i.key, ...TITLE_VARIABLES.map((v) => i.variables[v])];
    const hit =
      fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(needle)) ||
      (filter.textKeys ?? []).includes(i.key);
    if (!hit) return false;
  }
  return true;
}

/** The order of a sort key (default newest start first); ties by id, so pages are stable. */
export function compareInstances(sort: InstanceSort = '-startedAt') {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as 'startedAt' | 'endedAt' | 'businessKey';
  return (a: InstanceSummary, b: InstanceSummary): number => {
    const x = a[field];
    const y = b[field];
    if (x !== y) {
      // instances without the field (still running, no reference) go last either way
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = x < y ? -1 : 1;
      return desc ? -c : c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
