import type { InstanceRecord } from '../stores.js';
import type { InstanceStatus } from '../types.js';

/**
 * What the instance index keeps of one instance: the fields searches filter and sort on. An active instance
 * also keeps its record without the engine state (small; read by list pages and the dashboard's waiting
 * counts); an ended one is read by `_id` when a page shows it.
 */
export interface InstanceEntry {
  id: string;
  key: string;
  version: number;
  status: InstanceStatus;
  /** Checkpoint counter: of two entries of one active instance the higher rev wins. */
  rev: number;
  businessKey?: string;
  /** The `title`-like variables (title, proposalTitle, subject) that are strings, joined: searched by text. */
  title?: string;
  /** The directorate and province the instance belongs to, when its record names them. */
  directorate?: string;
  province?: string;
  startedAt: string;
  startedBy: string;
  endedAt?: string;
  parentId?: string;
  /** Active instances only: the last checkpoint without `state`. */
  record?: InstanceRecord;
}

const ENDED = new Set<InstanceStatus>(['completed', 'cancelled']);
/** Variables a person's free text search reads (as the instance search does). */
const TITLE_VARIABLES = ['title', 'proposalTitle', 'subject'];

/** True for the statuses an instance never leaves. */
export function isEnded(status: InstanceStatus): boolean {
  return ENDED.has(status);
}

/** The index entry of an instance record (with the record, minus its engine state, while it is active). */
export function entryOf(rec: InstanceRecord): InstanceEntry {
  const e: InstanceEntry = {
    id: rec.id,
    key: rec.key,
    version: rec.version,
    status: rec.status,
    rev: rec.rev,
    startedAt: rec.startedAt,
    startedBy: rec.startedBy,
  };
  if (rec.businessKey) e.businessKey = rec.businessKey;
  const titles = TITLE_VARIABLES.map((v) => rec.variables?.[v]).filter((t) => typeof t === 'string' && t);
  if (titles.length) e.title = titles.join('\n');
  const { directorate, province } = rec as { directorate?: unknown; province?: unknown };
  if (typeof directorate === 'string' && directorate) e.directorate = directorate;
  if (typeof province === 'string' && province) e.province = province;
  if (rec.endedAt) e.endedAt = rec.endedAt;
  if (rec.parentId) e.parentId = rec.parentId;
  if (!isEnded(rec.status)) {
    const { state: _state, auditDrafts: _d, carriedAudit: _c, ...light } = rec;
    e.record = light;
  }
  return e;
}

/** The stored (bucket) form of an ended entry: no record. */
export function storedEntry(e: InstanceEntry): InstanceEntry {
  const { record: _r, ...rest } = e;
  return rest;
}

/**
 * Whether `next` may replace `current` for the same instance: an ended entry is final, otherwise the newer
 * checkpoint wins. Applying entries in any order (a load racing with writes, a replay) gives the same index.
 */
export function supersedes(next: InstanceEntry, current: InstanceEntry | undefined): boolean {
  if (!current) return true;
  if (isEnded(current.status)) return false;
  if (isEnded(next.status)) return true;
  return next.rev >= current.rev;
}
