import type { Metrics } from '../../../schemas/events.js';
import type { TaskRecord } from '../types.js';
import type { InstanceIndex } from './instance-index.js';
import { isLate, type TaskFact, type TaskFacts } from './task-facts.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** What a group is, as far as the dashboard cares. */
export interface GroupInfo {
  kind?: string;
  province?: string;
}

export interface FiguresInput {
  index: InstanceIndex;
  facts: TaskFacts;
  openTasks: readonly TaskRecord[];
  group(id: string): GroupInfo | undefined;
  from: string;
  to: string;
  key?: string;
  now: Date;
}

/** The nearest-rank percentile of ascending `sorted` (0 when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function provinceOf(id: string, info: GroupInfo | undefined): string | undefined {
  return info?.province ?? (id.startsWith('province-') ? id.slice('province-'.length) : undefined);
}

function sortBy<T>(rows: T[], ...keys: ((r: T) => string | number)[]): T[] {
  return rows.sort((a, b) => {
    for (const k of keys) {
      const x = k(a);
      const y = k(b);
      if (x !== y) return typeof x === 'number' ? x - (y as number) : String(x).localeCompare(String(y));
    }
    return 0;
  });
}

/**
 * What the figures read of one ended task or instance, parsed once: a dashboard call walks every fact of its
 * period (25,000 task facts and 8,000 ended instances in a busy month of the history bench), and two
 * `Date.parse` per item were half of its time. Keyed by the object, so an entry goes with its fact or entry;
 * facts and entries never change once ended. The price is memory for every item a call has covered: 83 bytes
 * each (measured), 25 MB if one call covered all 300,000 facts of the history bench, under 1 MB for a year of
 * this office.
 */
interface Span {
  ms: number;
  /** A task completed after its due date (undefined without one). */
  late?: boolean;
}
const spans = new WeakMap<object, Span>();

function spanOf(item: object, start: string, end: string): Span {
  let span = spans.get(item);
  if (!span) spans.set(item, (span = { ms: Date.parse(end) - Date.parse(start) }));
  return span;
}

function factSpan(f: TaskFact): Span {
  let span = spans.get(f);
  if (!span) {
    span = { ms: Math.max(0, Date.parse(f.endedAt) - Date.parse(f.createdAt)) };
    if (f.dueAt) span.late = isLate(f);
    spans.set(f, span);
  }
  return span;
}

/** `outer.get(a).get(b)`, created on the way: two lookups of existing strings instead of one of a new one. */
function nested<V>(outer: Map<string, Map<string, V>>, a: string, b: string, make: () => V): V {
  let inner = outer.get(a);
  if (!inner) outer.set(a, (inner = new Map()));
  let v = inner.get(b);
  if (v === undefined) inner.set(b, (v = make()));
  return v;
}

function bump<K>(map: Map<K, { open: number; overdue: number }>, key: K, overdue: boolean): void {
  const row = map.get(key) ?? { open: 0, overdue: 0 };
  row.open++;
  if (overdue) row.overdue++;
  map.set(key, row);
}

/**
 * Every dashboard figure from the projections kept in memory (the instance index, the facts of ended tasks, the
 * open tasks): no read of history. Pure, so a spec can compare it with figures computed from a rebuild.
 */
export function computeFigures(input: FiguresInput): Metrics {
  const { index, facts, key, from, to } = input;
  const nowIso = input.now.toISOString();
  const ofKey = (k: string) => !key || k === key;

  // instances per process and status (kept by the index on every write)
  const counts = index.statusCounts(key);

  // open tasks per group and province, overdue now
  const byGroup = new Map<string, { open: number; overdue: number }>();
  const byProvince = new Map<string, { open: number; overdue: number }>();
  let openOverdue = 0;
  for (const t of input.openTasks) {
    if (!ofKey(t.definitionKey)) continue;
    const overdue = t.dueAt !== undefined && t.dueAt < nowIso;
    if (overdue) openOverdue++;
    const provinces = new Set<string>();
    for (const g of t.candidateGroups) {
      bump(byGroup, g, overdue);
      const p = provinceOf(g, input.group(g));
      if (p && !provinces.has(p)) {
        provinces.add(p);
        bump(byProvince, p, overdue);
      }
    }
  }

  // waiting tokens of active instances (the diagram's counts)
  const tokens = new Map<string, Map<string, Metrics['waitingTokens'][number]>>();
  for (const e of index.active()) {
    if (!ofKey(e.key) || e.status !== 'running' || !e.record) continue;
    for (const w of e.record.waiting) {
      const row = nested(tokens, `${e.key}@${e.version}`, w.elementId, () => ({
        key: e.key,
        version: e.version,
        elementId: w.elementId,
        count: 0,
      }));
      row.count++;
    }
  }

  // tasks ended in the period: SLA per process, directorate and province; time per element
  const periodFacts = facts.between(from, to).filter((f) => f.outcome === 'completed' && ofKey(f.key));
  let completedLate = 0;
  let completedOnTime = 0;
  const slaKey = new Map<string, { onTime: number; late: number }>();
  const slaDirectorate = new Map<string, { onTime: number; late: number }>();
  const slaProvince = new Map<string, { onTime: number; late: number }>();
  const durations = new Map<string, Map<string, { key: string; elementId: string; ms: number[] }>>();
  const tally = (map: Map<string, { onTime: number; late: number }>, k: string, late: boolean) => {
    const row = map.get(k) ?? { onTime: 0, late: 0 };
    if (late) row.late++;
    else row.onTime++;
    map.set(k, row);
  };
  // a call sees a few dozen groups and tens of thousands of facts naming them
  const groups = new Map<string, { directorate: boolean; province?: string }>();
  const groupOf = (id: string) => {
    let g = groups.get(id);
    if (!g) {
      const info = input.group(id);
      groups.set(id, (g = { directorate: info?.kind === 'directorate', province: provinceOf(id, info) }));
    }
    return g;
  };
  for (const f of periodFacts) {
    const span = factSpan(f);
    nested(durations, f.key, f.elementId, () => ({
      key: f.key,
      elementId: f.elementId,
      ms: [] as number[],
    })).ms.push(span.ms);
    if (span.late === undefined) continue;
    const late = span.late;
    if (late) completedLate++;
    else completedOnTime++;
    tally(slaKey, f.key, late);
    if (f.groups.length === 1) {
      // most tasks go to one group: no sets needed to count it once
      const g = groupOf(f.groups[0]!);
      if (g.directorate) tally(slaDirectorate, f.groups[0]!, late);
      if (g.province) tally(slaProvince, g.province, late);
      continue;
    }
    const directorates = new Set<string>();
    const provinces = new Set<string>();
    for (const id of f.groups) {
      const g = groupOf(id);
      if (g.directorate) directorates.add(id);
      if (g.province) provinces.add(g.province);
    }
    for (const g of directorates) tally(slaDirectorate, g, late);
    for (const p of provinces) tally(slaProvince, p, late);
  }

  // instances ended in the period: cycle time (average, percentiles) and SLA (no task completed late)
  const cycles = new Map<string, number[]>();
  const slaInstances = new Map<string, { within: number; late: number }>();
  const ended = index.endedInOrder();
  for (let i = lowerBound(ended, from); i < ended.length; i++) {
    const e = ended[i]!;
    if (e.endedAt! > to) break;
    if (e.status !== 'completed' || !ofKey(e.key)) continue;
    const { ms } = spanOf(e, e.startedAt, e.endedAt!);
    if (Number.isFinite(ms)) {
      const list = cycles.get(e.key) ?? [];
      list.push(ms);
      cycles.set(e.key, list);
    }
    const row = slaInstances.get(e.key) ?? { within: 0, late: 0 };
    if (facts.hadLateTask(e.id)) row.late++;
    else row.within++;
    slaInstances.set(e.key, row);
  }

  // weekly started and ended over the year up to `to` (counted by binary search in the index's time lists)
  const end = Date.parse(to);
  const weeks: Metrics['weekly'] = [];
  for (let w = 51; w >= 0; w--) {
    const start = end - (w + 1) * WEEK;
    weeks.push({ weekStart: new Date(start).toISOString(), started: 0, ended: 0 });
  }
  weeks.forEach((week, w) => {
    const last = w === weeks.length - 1;
    const until = last ? to : weeks[w + 1]!.weekStart;
    week.started = index.countBetween('started', week.weekStart, until, last, key);
    week.ended = index.countBetween('ended', week.weekStart, until, last, key);
  });

  const processKeys = new Set([...slaKey.keys(), ...slaInstances.keys()]);
  return {
    at: nowIso,
    period: { from, to },
    instances: sortBy(
      counts,
      (r) => r.key,
      (r) => r.status,
    ),
    tasksByGroup: sortBy(
      [...byGroup].map(([group, v]) => ({ group, ...v })),
      (r) => r.group,
    ),
    tasksByProvince: sortBy(
      [...byProvince].map(([province, v]) => ({ province, ...v })),
      (r) => r.province,
    ),
    sla: { openOverdue, completedLate, completedOnTime },
    cycleTime: sortBy(
      [...cycles].map(([k, ms]) => ({
        key: k,
        completed: ms.length,
        averageMs: Math.round(ms.reduce((a, b) => a + b, 0) / ms.length),
      })),
      (r) => r.key,
    ),
    waitingTokens: sortBy(
      [...tokens.values()].flatMap((m) => [...m.values()]),
      (r) => r.key,
      (r) => r.version,
      (r) => r.elementId,
    ),
    slaByProcess: sortBy(
      [...processKeys].map((k) => ({
        key: k,
        tasksOnTime: slaKey.get(k)?.onTime ?? 0,
        tasksLate: slaKey.get(k)?.late ?? 0,
        instancesWithin: slaInstances.get(k)?.within ?? 0,
        instancesLate: slaInstances.get(k)?.late ?? 0,
      })),
      (r) => r.key,
    ),
    slaByDirectorate: sortBy(
      [...slaDirectorate].map(([group, v]) => ({ group, ...v })),
      (r) => r.group,
    ),
    slaByProvince: sortBy(
      [...slaProvince].map(([province, v]) => ({ province, ...v })),
      (r) => r.province,
    ),
    weekly: weeks,
    cycleTimePercentiles: sortBy(
      [...cycles].map(([k, ms]) => {
        const sorted = Float64Array.from(ms).sort();
        return {
          key: k,
          completed: sorted.length,
          p50Ms: percentile(sorted, 50),
          p90Ms: percentile(sorted, 90),
          p95Ms: percentile(sorted, 95),
        };
      }),
      (r) => r.key,
    ),
    elementDurations: sortBy(
      [...durations.values()]
        .flatMap((m) => [...m.values()])
        .map((d) => {
          const sorted = Float64Array.from(d.ms).sort();
          return {
            key: d.key,
            elementId: d.elementId,
            count: sorted.length,
            averageMs: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
            p90Ms: percentile(sorted, 90),
          };
        }),
      (r) => r.key,
      (r) => r.elementId,
    ),
  };
}

function lowerBound(list: readonly { endedAt?: string }[], at: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]!.endedAt ?? '') < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
