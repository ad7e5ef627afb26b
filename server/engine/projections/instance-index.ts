import { searchNeedle } from '../../../schemas/records.js';
import type { I18nText, InstanceStatus } from '../types.js';
import { isEnded, supersedes, type InstanceEntry } from './instance-entry.js';

/** A search over every instance, running or ended (a superset of `InstanceFilter`). */
export interface InstanceQuery {
  /** Text in the reference, title, starter, process key or process name (either language); any case. */
  text?: string;
  /** The same as `text` (the HTTP filter's name for it). */
  q?: string;
  /** Process keys whose name matches the text, when the caller resolved them (else the index does). */
  textKeys?: string[];
  directorate?: string;
  province?: string;
  key?: string;
  version?: number;
  status?: InstanceStatus | InstanceStatus[];
  businessKey?: string;
  startedBy?: string;
  parentId?: string;
  startedAfter?: string;
  startedBefore?: string;
  endedAfter?: string;
  endedBefore?: string;
  /** Which instances, when the caller limits them further (e.g. what a person may read). */
  where?: (e: InstanceEntry) => boolean;
  /** A field, `-` first for descending (default `-startedAt`); `order` may say the direction instead. */
  sort?: 'startedAt' | 'endedAt' | 'businessKey' | '-startedAt' | '-endedAt' | '-businessKey';
  order?: 'asc' | 'desc';
  skip?: number;
  limit?: number;
}

/** Ascending order of the default sort: startedAt, then id descending (so that descending is id ascending). */
function byStart(a: InstanceEntry, b: InstanceEntry): number {
  return a.startedAt < b.startedAt
    ? -1
    : a.startedAt > b.startedAt
      ? 1
      : a.id > b.id
        ? -1
        : a.id < b.id
          ? 1
          : 0;
}

function byEnd(a: InstanceEntry, b: InstanceEntry): number {
  const x = a.endedAt ?? '';
  const y = b.endedAt ?? '';
  return x < y ? -1 : x > y ? 1 : a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

/** Binary search: where `e` goes in `list` (sorted by `cmp`). */
function insertAt(
  list: InstanceEntry[],
  e: InstanceEntry,
  cmp: (a: InstanceEntry, b: InstanceEntry) => number,
) {
  let lo = 0;
  let hi = list.length;
  // most new entries are the newest: check the end first
  if (!hi || cmp(list[hi - 1]!, e) <= 0) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(list[mid]!, e) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first time in ascending `times` that is `> at` (`inclusive`) or `>= at`. */
function bound(times: readonly string[], at: string, inclusive: boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? times[mid]! <= at : times[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function push(map: Map<string, string[]>, key: string, time: string): void {
  const list = map.get(key);
  if (list) list.push(time);
  else map.set(key, [time]);
}

/** Inserts `time` into the ascending list of `key` (most arrive last: checked first). */
function insertSorted(map: Map<string, string[]>, key: string, time: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [time]);
  else if (!list.length || list[list.length - 1]! <= time) list.push(time);
  else list.splice(bound(list, time, true), 0, time);
}

/** ISO text of an instant given in any form `Date` reads; undefined stays undefined. */
function iso(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/**
 * Every instance the office ever ran, in memory, kept in start order (and end order for ended ones), so that
 * a search with any filter and sort is one pass over plain objects instead of a scan that FerretDB would do by
 * reading and decoding the whole collection. Entries are applied with `supersedes`, so loads, replays and
 * live writes may arrive in any order and the index still ends up the same.
 */
export class InstanceIndex {
  private readonly entries = new Map<string, InstanceEntry>();
  /** Ascending by `byStart`; an entry object is replaced in place when its instance changes. */
  private readonly started: InstanceEntry[] = [];
  /** Ended entries ascending by `byEnd`. */
  private readonly ended: InstanceEntry[] = [];
  /** Entries of instances not ended (running, suspended, failed). */
  private readonly open = new Map<string, InstanceEntry>();
  /** Kept on every apply for the dashboard: instances per process and status, start and end times per process. */
  private readonly counts = new Map<string, Map<InstanceStatus, number>>();
  private readonly startTimes = new Map<string, string[]>();
  private readonly endTimes = new Map<string, string[]>();

  constructor(private readonly processName: (key: string) => I18nText | undefined = () => undefined) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): InstanceEntry | undefined {
    return this.entries.get(id);
  }

  /** Every entry, in start order (oldest first). */
  all(): readonly InstanceEntry[] {
    return this.started;
  }

  /** Entries of the instances that have not ended. */
  active(): IterableIterator<InstanceEntry> {
    return this.open.values();
  }

  /** Ended entries, in end order (oldest first). */
  endedInOrder(): readonly InstanceEntry[] {
    return this.ended;
  }

  /** Applies an entry; false when the index already holds a newer one of that instance. */
  apply(e: InstanceEntry): boolean {
    const current = this.entries.get(e.id);
    if (!supersedes(e, current)) return false;
    this.entries.set(e.id, e);
    if (current) this.started[this.find(this.started, current, byStart)] = e;
    else this.started.splice(insertAt(this.started, e, byStart), 0, e);
    if (isEnded(e.status)) {
      this.ended.splice(insertAt(this.ended, e, byEnd), 0, e);
      this.open.delete(e.id);
    } else this.open.set(e.id, e);
    this.tally(e, current);
    return true;
  }

  /** Keeps the per-process figures: `e` replaced `current` (or is new). */
  private tally(e: InstanceEntry, current: InstanceEntry | undefined): void {
    let byStatus = this.counts.get(e.key);
    if (!byStatus) this.counts.set(e.key, (byStatus = new Map()));
    if (current) byStatus.set(current.status, byStatus.get(current.status)! - 1);
    byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
    if (!current) insertSorted(this.startTimes, e.key, e.startedAt);
    if (isEnded(e.status) && e.endedAt) insertSorted(this.endTimes, e.key, e.endedAt);
  }

  /** Instances per process and status (statuses with none left out), optionally of one process. */
  statusCounts(key?: string): { key: string; status: InstanceStatus; count: number }[] {
    const rows: { key: string; status: InstanceStatus; count: number }[] = [];
    for (const [k, byStatus] of this.counts)
      if (!key || k === key)
        for (const [status, count] of byStatus) if (count > 0) rows.push({ key: k, status, count });
    return rows;
  }

  /** How many instances (of one process, or all) started, or ended, at `from <= t < to` (`<= to` if `inclusive`). */
  countBetween(
    what: 'started' | 'ended',
    from: string,
    to: string,
    inclusive: boolean,
    key?: string,
  ): number {
    let n = 0;
    for (const [k, times] of what === 'started' ? this.startTimes : this.endTimes)
      if (!key || k === key) n += bound(times, to, inclusive) - bound(times, from, false);
    return n;
  }

  /**
   * Applies many entries at once: as `apply` one by one, but a long list is merged and the orders sorted
   * once (a load of a hundred thousand entries would otherwise shift the arrays at every insert).
   */
  applyMany(list: readonly InstanceEntry[]): void {
    if (list.length < 1000) {
      for (const e of list) this.apply(e);
      return;
    }
    for (const e of list) if (supersedes(e, this.entries.get(e.id))) this.entries.set(e.id, e);
    this.started.length = 0;
    this.ended.length = 0;
    this.open.clear();
    this.counts.clear();
    this.startTimes.clear();
    this.endTimes.clear();
    for (const e of this.entries.values()) {
      this.started.push(e);
      if (isEnded(e.status)) this.ended.push(e);
      else this.open.set(e.id, e);
      let byStatus = this.counts.get(e.key);
      if (!byStatus) this.counts.set(e.key, (byStatus = new Map()));
      byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
      push(this.startTimes, e.key, e.startedAt);
      if (isEnded(e.status) && e.endedAt) push(this.endTimes, e.key, e.endedAt);
    }
    this.started.sort(byStart);
    this.ended.sort(byEnd);
    for (const times of [...this.startTimes.values(), ...this.endTimes.values()]) times.sort();
  }

  private find(list: InstanceEntry[], e: InstanceEntry, cmp: (a: InstanceEntry, b: InstanceEntry) => number) {
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = cmp(list[mid]!, e);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new Error(`instance index out of order at ${e.id}`);
  }

  /**
   * One page of the entries that match, in the asked order, and how many match in all. Entries without the
   * sort field (no end yet, no reference) come last either way; ties go by id, ascending.
   */
  search(q: InstanceQuery): { items: InstanceEntry[]; total: number; skip: number; limit: number } {
    const skip = Math.max(0, q.skip ?? 0);
    const limit = Math.min(Math.max(1, q.limit ?? 50), 500);
    const test = this.matcher(q);
    const sort = q.sort ?? 'startedAt';
    const field = (sort.startsWith('-') ? sort.slice(1) : sort) as 'startedAt' | 'endedAt' | 'businessKey';
    const desc = sort.startsWith('-') || (!q.sort && q.order !== 'asc') || q.order === 'desc';
    const items: InstanceEntry[] = [];
    let total = 0;
    // a run of entries with one sort value waits here until the value changes, then goes out by id
    let run: InstanceEntry[] = [];
    const flush = () => {
      if (run.length > 1) run.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const e of run) {
        if (total >= skip && items.length < limit) items.push(e);
        total++;
      }
      run = [];
    };
    const visit = (e: InstanceEntry) => {
      if (!test(e)) return;
      if (run.length && run[0]![field] !== e[field]) flush();
      run.push(e);
    };
    const walk = (list: readonly InstanceEntry[]) => {
      if (desc) for (let i = list.length - 1; i >= 0; i--) visit(list[i]!);
      else for (const e of list) visit(e);
      flush();
    };
    if (field === 'endedAt') {
      walk(this.ended);
      walk(this.started.filter((e) => this.open.has(e.id)).sort((a, b) => (a.id < b.id ? -1 : 1)));
    } else if (field === 'businessKey') {
      const hits = this.started.filter((e) => e.businessKey !== undefined && test(e));
      walk(
        hits.sort((a, b) => (a.businessKey! < b.businessKey! ? -1 : a.businessKey! > b.businessKey! ? 1 : 0)),
      );
      for (const e of this.started
        .filter((x) => x.businessKey === undefined && test(x))
        .sort((a, b) => (a.id < b.id ? -1 : 1)))
        run.push(e);
      flush();
    } else walk(this.started);
    return { items, total, skip, limit };
  }

  /** The query as a test of one entry, with what it compares against worked out once. */
  private matcher(q: InstanceQuery): (e: InstanceEntry) => boolean {
    const statuses = q.status === undefined ? undefined : new Set([q.status].flat());
    const needle = searchNeedle(q.q ?? q.text);
    const textKeys = q.textKeys ? new Set(q.textKeys) : undefined;
    const keyNames = new Map<string, boolean>();
    const nameHas = (key: string) => {
      if (textKeys) return textKeys.has(key) || key.toLowerCase().includes(needle);
      let hit = keyNames.get(key);
      if (hit === undefined) {
        const n = this.processName(key);
        hit =
          key.toLowerCase().includes(needle) ||
          !!n?.fa.toLowerCase().includes(needle) ||
          !!n?.en.toLowerCase().includes(needle);
        keyNames.set(key, hit);
      }
      return hit;
    };
    const startedAfter = iso(q.startedAfter);
    const startedBefore = iso(q.startedBefore);
    const endedAfter = iso(q.endedAfter);
    const endedBefore = iso(q.endedBefore);
    return (e) => {
      if (q.key && e.key !== q.key) return false;
      if (q.version !== undefined && e.version !== q.version) return false;
      if (statuses && !statuses.has(e.status)) return false;
      if (q.businessKey && e.businessKey !== q.businessKey) return false;
      if (q.startedBy && e.startedBy !== q.startedBy) return false;
      if (q.directorate && e.directorate !== q.directorate) return false;
      if (q.province && e.province !== q.province) return false;
      if (q.parentId && e.parentId !== q.parentId) return false;
      if (startedAfter && e.startedAt < startedAfter) return false;
      if (startedBefore && e.startedAt >= startedBefore) return false;
      if (endedAfter && !(e.endedAt && e.endedAt >= endedAfter)) return false;
      if (endedBefore && !(e.endedAt && e.endedAt < endedBefore)) return false;
      if (
        needle &&
        !nameHas(e.key) &&
        !e.businessKey?.toLowerCase().includes(needle) &&
        !e.title?.toLowerCase().includes(needle) &&
        !e.startedBy.toLowerCase().includes(needle)
      )
        return false;
      return !q.where || q.where(e);
    };
  }
}
