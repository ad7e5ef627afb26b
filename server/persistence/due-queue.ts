import type { JobRecord } from '../engine/stores.js';

/** Orders jobs as the jobs collection's `due` query does: by `dueAt` (ISO text), then by id. */
function before(a: JobRecord, b: JobRecord): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
}

/** A deep-frozen copy of a job: what the queue holds and hands out. */
function frozen(job: JobRecord): JobRecord {
  const copy = structuredClone(job);
  if (copy.timer) Object.freeze(copy.timer);
  return Object.freeze(copy);
}

/**
 * The waiting jobs in due order, in memory: the scheduler's view of the jobs collection. A sorted array with
 * binary search: finding the due ones is a slice, a write moves at most the array's tail (a memmove; the office
 * has thousands of waiting timers, not millions). It holds frozen copies, so callers cannot change what it
 * holds: `due` hands those out as they are (the scheduler reads it after every firing, and cloning each page
 * was a tenth of the CPU of a burst of timers), `byInstance` hands out copies.
 */
export class DueQueue {
  private readonly order: JobRecord[] = [];
  private readonly byId = new Map<string, JobRecord>();
  private readonly byInstanceId = new Map<string, Set<string>>();

  get size(): number {
    return this.order.length;
  }

  /** Index of the first entry not before `job`. */
  private position(job: JobRecord): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.order[mid]!, job)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a job or replaces the one with its id. */
  set(job: JobRecord): void {
    this.delete(job.id);
    const copy = frozen(job);
    this.order.splice(this.position(copy), 0, copy);
    this.byId.set(copy.id, copy);
    let ids = this.byInstanceId.get(copy.instanceId);
    if (!ids) this.byInstanceId.set(copy.instanceId, (ids = new Set()));
    ids.add(copy.id);
  }

  delete(id: string): void {
    const job = this.byId.get(id);
    if (!job) return;
    this.order.splice(this.position(job), 1);
    this.byId.delete(id);
    const ids = this.byInstanceId.get(job.instanceId);
    ids?.delete(id);
    if (!ids?.size) this.byInstanceId.delete(job.instanceId);
  }

  /** Jobs due by `dueBy` (ISO text), earliest first, past the first `skip`, at most `limit` (frozen). */
  due(dueBy: string, limit: number, skip = 0): JobRecord[] {
    const out: JobRecord[] = [];
    for (let i = skip; i < this.order.length && out.length < limit; i++) {
      const job = this.order[i]!;
      if (job.dueAt > dueBy) break;
      out.push(job);
    }
    return out;
  }

  /** One instance's jobs, earliest first. */
  byInstance(instanceId: string): JobRecord[] {
    const ids = this.byInstanceId.get(instanceId);
    if (!ids) return [];
    return [...ids]
      .map((id) => this.byId.get(id)!)
      .sort((a, b) => (before(a, b) ? -1 : 1))
      .map((j) => structuredClone(j));
  }
}
