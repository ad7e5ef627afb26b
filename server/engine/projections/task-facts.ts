import type { TaskHistoryRecord } from '../types.js';

/** What the dashboard keeps of one ended task: enough for SLA, per-element durations and instance SLA. */
export interface TaskFact {
  id: string;
  instanceId: string;
  key: string;
  elementId: string;
  groups: string[];
  createdAt: string;
  endedAt: string;
  dueAt?: string;
  outcome: 'completed' | 'cancelled';
}

/** The fact of an ended task. */
export function factOf(h: TaskHistoryRecord): TaskFact {
  const f: TaskFact = {
    id: h.id,
    instanceId: h.instanceId,
    key: h.definitionKey,
    elementId: h.elementId,
    groups: [...h.candidateGroups],
    createdAt: h.createdAt,
    endedAt: h.endedAt,
    outcome: h.outcome,
  };
  if (h.dueAt) f.dueAt = h.dueAt;
  return f;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` (what `toISOString` writes): two of them compare as text like their times. */
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Completed after its due date. */
export function isLate(f: TaskFact): boolean {
  if (f.outcome !== 'completed' || !f.dueAt) return false;
  // most facts: both times as `toISOString` writes them, compared without parsing (a load checks 300k)
  if (
    f.endedAt.length === 24 &&
    f.dueAt.length === 24 &&
    CANONICAL.test(f.endedAt) &&
    CANONICAL.test(f.dueAt)
  )
    return f.endedAt > f.dueAt;
  return Date.parse(f.endedAt) > Date.parse(f.dueAt);
}

/** Every ended task's fact in memory, in end order, plus the instances that had a task completed late. */
export class TaskFacts {
  private readonly byId = new Map<string, TaskFact>();
  private readonly list: TaskFact[] = [];
  private readonly late = new Set<string>();

  get size(): number {
    return this.byId.size;
  }

  /** Adds a fact once (a replay of the same task is ignored: an ended task never changes). */
  apply(f: TaskFact): boolean {
    if (this.byId.has(f.id)) return false;
    this.byId.set(f.id, f);
    let i = this.list.length;
    while (i > 0 && this.list[i - 1]!.endedAt > f.endedAt) i--;
    this.list.splice(i, 0, f);
    if (isLate(f)) this.late.add(f.instanceId);
    return true;
  }

  /** Adds many facts as `apply` one by one, sorting once (a load of hundreds of thousands). */
  applyMany(facts: readonly TaskFact[]): void {
    if (facts.length < 1000) {
      for (const f of facts) this.apply(f);
      return;
    }
    let sorted = true;
    for (const f of facts) {
      if (this.byId.has(f.id)) continue;
      this.byId.set(f.id, f);
      const last = this.list[this.list.length - 1];
      if (last && last.endedAt > f.endedAt) sorted = false;
      this.list.push(f);
      if (isLate(f)) this.late.add(f.instanceId);
    }
    // a snapshot's facts come in end order: no sort then
    if (!sorted) this.list.sort((a, b) => (a.endedAt < b.endedAt ? -1 : a.endedAt > b.endedAt ? 1 : 0));
  }

  /** Facts with `from <= endedAt <= to`, oldest first. */
  between(from: string, to: string): TaskFact[] {
    return this.list.slice(lowerBound(this.list, from), upperBound(this.list, to));
  }

  /** Whether one of the instance's tasks was completed after its due date. */
  hadLateTask(instanceId: string): boolean {
    return this.late.has(instanceId);
  }

  all(): readonly TaskFact[] {
    return this.list;
  }
}

function lowerBound(list: TaskFact[], at: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.endedAt < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(list: TaskFact[], at: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.endedAt <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
