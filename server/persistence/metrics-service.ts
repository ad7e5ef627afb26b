import type { Database } from './database.js';
import type { TaskRecord, WorkflowRuntime } from '../engine/types.js';
import type { GroupStore } from './group-store.js';
import type { Metrics } from '../../schemas/events.js';

const DAY = 86_400_000;
/** Caps so a dashboard request stays cheap however large the office's history grows. */
const MAX_OPEN_TASKS = 5_000;
const MAX_RUNNING = 5_000;
const MAX_COMPLETED = 5_000;
/** Where the engine's stores keep instances: active ones, and ended ones (insert-only). */
const INSTANCE_COLLECTIONS = ['instances', 'instance_history'];

export interface MetricsQuery {
  from?: string;
  to?: string;
  key?: string;
}

/**
 * Dashboard figures with FerretDB-safe queries only: a `$group` by (key, status) over `instances` and
 * `instance_history` (their filter fields are top-level), open tasks and running instances through the runtime (small, hot
 * collections), and completed instances of the period with a projection; averages are computed here
 * because FerretDB 1.x has no `$avg`/`$subtract` in `$group`.
 */
export class MetricsService {
  constructor(
    private readonly db: Database,
    private readonly groups: GroupStore,
    private readonly runtime: () => WorkflowRuntime,
  ) {}

  async compute(query: MetricsQuery = {}, now = new Date()): Promise<Metrics> {
    const to = query.to ?? now.toISOString();
    const from = query.from ?? new Date(new Date(to).getTime() - 30 * DAY).toISOString();
    const runtime = this.runtime();
    // the figures come partly straight from the collections: the records of the last commands first
    await runtime.settled();
    const [instances, tasks, waitingTokens, cycle, provinces] = await Promise.all([
      this.instanceCounts(query.key),
      this.openTasks(runtime, query.key),
      this.waitingTokens(runtime, query.key),
      this.cycleTime(from, to, query.key),
      this.provinceOfGroup(),
    ]);

    const nowIso = now.toISOString();
    const byGroup = new Map<string, { open: number; overdue: number }>();
    const byProvince = new Map<string, { open: number; overdue: number }>();
    let openOverdue = 0;
    for (const t of tasks) {
      const overdue = t.dueAt !== undefined && t.dueAt < nowIso;
      if (overdue) openOverdue++;
      const seenProvinces = new Set<string>();
      for (const g of t.candidateGroups) {
        bump(byGroup, g, overdue);
        const p = provinces(g);
        if (p && !seenProvinces.has(p)) {
          seenProvinces.add(p);
          bump(byProvince, p, overdue);
        }
      }
    }
    const late = await this.completedTaskSla(from, to, query.key);
    return {
      at: nowIso,
      period: { from, to },
      instances,
      tasksByGroup: [...byGroup]
        .map(([group, v]) => ({ group, ...v }))
        .sort((a, b) => a.group.localeCompare(b.group)),
      tasksByProvince: [...byProvince]
        .map(([province, v]) => ({ province, ...v }))
        .sort((a, b) => a.province.localeCompare(b.province)),
      sla: { openOverdue, ...late },
      cycleTime: cycle,
      waitingTokens,
    };
  }

  private async instanceCounts(key?: string): Promise<Metrics['instances']> {
    const pipeline: object[] = [];
    if (key) pipeline.push({ $match: { key } });
    pipeline.push({ $group: { _id: { key: '$key', status: '$status' }, count: { $sum: 1 } } });
    const counts = new Map<string, Metrics['instances'][number]>();
    // active instances and ended ones live apart (the engine moves ended instances to an insert-only collection)
    for (const collection of INSTANCE_COLLECTIONS) {
      const rows = (await this.db.conn.collection(collection).aggregate(pipeline).toArray()) as unknown as {
        _id: { key: string; status: Metrics['instances'][number]['status'] };
        count: number;
      }[];
      for (const r of rows) {
        const id = `${r._id.key}\u0000${r._id.status}`;
        const row = counts.get(id) ?? { key: r._id.key, status: r._id.status, count: 0 };
        row.count += r.count;
        counts.set(id, row);
      }
    }
    return [...counts.values()].sort(
      (a, b) => a.key.localeCompare(b.key) || a.status.localeCompare(b.status),
    );
  }

  private async openTasks(runtime: WorkflowRuntime, key?: string): Promise<TaskRecord[]> {
    const out: TaskRecord[] = [];
    while (out.length < MAX_OPEN_TASKS) {
      const page = await runtime.listTasks({ key, skip: out.length, limit: 200 });
      out.push(...page.items);
      if (page.items.length < 200) break;
    }
    return out;
  }

  private async waitingTokens(runtime: WorkflowRuntime, key?: string): Promise<Metrics['waitingTokens']> {
    const counts = new Map<string, { key: string; version: number; elementId: string; count: number }>();
    let skip = 0;
    while (skip < MAX_RUNNING) {
      const page = await runtime.listInstances({ key, status: 'running', skip, limit: 200 });
      for (const inst of page.items) {
        for (const w of inst.waiting) {
          const id = `${inst.key}\u0000${inst.version}\u0000${w.elementId}`;
          const row = counts.get(id) ?? {
            key: inst.key,
            version: inst.version,
            elementId: w.elementId,
            count: 0,
          };
          row.count++;
          counts.set(id, row);
        }
      }
      skip += page.items.length;
      if (page.items.length < 200) break;
    }
    return [...counts.values()].sort(
      (a, b) => a.key.localeCompare(b.key) || a.version - b.version || a.elementId.localeCompare(b.elementId),
    );
  }

  private async cycleTime(from: string, to: string, key?: string): Promise<Metrics['cycleTime']> {
    const filter: Record<string, unknown> = { status: 'completed', endedAt: { $gte: from, $lte: to } };
    if (key) filter.key = key;
    const docs: { key: string; startedAt: string; endedAt: string }[] = [];
    for (const collection of INSTANCE_COLLECTIONS) {
      docs.push(
        ...((await this.db.conn
          .collection(collection)
          .find(filter, { projection: { _id: 0, key: 1, startedAt: 1, endedAt: 1 } })
          .limit(MAX_COMPLETED)
          .toArray()) as unknown as { key: string; startedAt: string; endedAt: string }[]),
      );
    }
    const sums = new Map<string, { total: number; n: number }>();
    for (const d of docs) {
      const ms = Date.parse(d.endedAt) - Date.parse(d.startedAt);
      if (!Number.isFinite(ms)) continue;
      const s = sums.get(d.key) ?? { total: 0, n: 0 };
      s.total += ms;
      s.n++;
      sums.set(d.key, s);
    }
    return [...sums]
      .map(([k, s]) => ({ key: k, completed: s.n, averageMs: Math.round(s.total / s.n) }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Tasks completed in the period after (late) or by (on time) their due date; tasks without one are not counted. */
  private async completedTaskSla(
    from: string,
    to: string,
    key?: string,
  ): Promise<{ completedLate: number; completedOnTime: number }> {
    // task_history keeps the record as JSON (its form data has user-chosen keys); only endedAt is a field
    const docs = (await this.db.conn
      .collection('task_history')
      .find({ endedAt: { $gte: from, $lte: to } }, { projection: { _id: 0, record: 1 } })
      .limit(MAX_COMPLETED)
      .toArray()) as unknown as { record?: string }[];
    let completedLate = 0;
    let completedOnTime = 0;
    for (const d of docs) {
      let rec: { dueAt?: string; endedAt?: string; outcome?: string; definitionKey?: string };
      try {
        rec = JSON.parse(d.record ?? '{}') as typeof rec;
      } catch {
        continue;
      }
      if (rec.outcome !== 'completed' || !rec.dueAt || !rec.endedAt) continue;
      if (key && rec.definitionKey !== key) continue;
      if (Date.parse(rec.endedAt) > Date.parse(rec.dueAt)) completedLate++;
      else completedOnTime++;
    }
    return { completedLate, completedOnTime };
  }

  private async provinceOfGroup(): Promise<(groupId: string) => string | undefined> {
    const map = new Map<string, string>();
    for (const g of await this.groups.list()) if (g.province) map.set(g.id, g.province);
    return (id) => map.get(id) ?? (id.startsWith('province-') ? id.slice('province-'.length) : undefined);
  }
}

function bump(map: Map<string, { open: number; overdue: number }>, key: string, overdue: boolean): void {
  const row = map.get(key) ?? { open: 0, overdue: 0 };
  row.open++;
  if (overdue) row.overdue++;
  map.set(key, row);
}
