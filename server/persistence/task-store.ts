import { Schema, type Connection, type Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { TaskStore } from '../engine/stores.js';
import type { Page, TaskFilter, TaskRecord } from '../engine/types.js';
import { searchNeedle, taskHasText } from '../../schemas/records.js';
import { deleteByIds, insertNew } from './bulk-writes.js';

/** Open user tasks: `_id` = task id; `assignee` is null (not missing) when unassigned, so it can be queried. */
type TaskDoc = Omit<TaskRecord, 'id' | 'assignee'> & { _id: string; assignee: string | null };

const taskSchema = new Schema<TaskDoc>(
  {
    _id: { type: String, required: true },
    instanceId: { type: String, required: true },
    definitionKey: String,
    definitionVersion: Number,
    businessKey: String,
    elementId: String,
    executionId: String,
    name: { fa: String, en: String },
    processName: { fa: String, en: String },
    assignee: { type: String, default: null },
    candidateGroups: [String],
    candidateUsers: [String],
    dueAt: String,
    followUpAt: String,
    priority: Number,
    formKey: String,
    createdAt: String,
    claimedAt: String,
  },
  { collection: 'tasks', versionKey: false },
);

export function taskModel(conn: Connection): Model<TaskDoc> {
  return (conn.models.Task as Model<TaskDoc> | undefined) ?? conn.model<TaskDoc>('Task', taskSchema);
}

export function taskToDoc(t: TaskRecord): TaskDoc {
  const { id, assignee, ...rest } = t;
  return JSON.parse(JSON.stringify({ _id: id, ...rest, assignee: assignee ?? null })) as TaskDoc;
}

export function taskFromDoc(d: TaskDoc): TaskRecord {
  const { _id, assignee, ...rest } = d;
  const t: TaskRecord = { id: _id, ...rest };
  if (assignee) t.assignee = assignee;
  for (const k of Object.keys(t) as (keyof TaskRecord)[]) if (t[k] === null) delete t[k];
  return t;
}

/** The inbox sorts: a field, its direction, then `_id`; a missing value sorts first, as in MongoDB. */
const SORTS: Record<NonNullable<TaskFilter['sort']>, [keyof TaskRecord, 1 | -1]> = {
  dueAt: ['dueAt', 1],
  '-dueAt': ['dueAt', -1],
  priority: ['priority', 1],
  '-priority': ['priority', -1],
  createdAt: ['createdAt', 1],
  '-createdAt': ['createdAt', -1],
};

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return (a as string | number) < (b as string | number) ? -1 : 1;
}

/** The filter as a test of one task, with what it compares against worked out once. */
function matcher(f: TaskFilter): (t: TaskRecord) => boolean {
  const a = f.visibleTo;
  const needle = searchNeedle(f.text);
  const dueBy = f.dueBy ? Date.parse(f.dueBy) : undefined;
  const excluded = f.excludeIds?.length ? new Set(f.excludeIds) : undefined;
  return (t) => {
    if (excluded?.has(t.id)) return false;
    if (f.elementIds && !f.elementIds.includes(t.elementId)) return false;
    if (
      a &&
      t.assignee !== a.id &&
      !t.candidateUsers.includes(a.id) &&
      !t.candidateGroups.some((g) => a.groups.includes(g))
    )
      return false;
    if (f.assignee !== undefined && (t.assignee ?? null) !== f.assignee) return false;
    if (f.candidateGroup && !t.candidateGroups.includes(f.candidateGroup)) return false;
    if (f.unclaimed && t.assignee !== undefined) return false;
    if (f.overdueAt && !(t.dueAt !== undefined && t.dueAt < f.overdueAt)) return false;
    if (f.key && t.definitionKey !== f.key) return false;
    if (f.instanceId && t.instanceId !== f.instanceId) return false;
    if (f.minPriority !== undefined && t.priority < f.minPriority) return false;
    if (dueBy !== undefined && !(t.dueAt !== undefined && Date.parse(t.dueAt) <= dueBy)) return false;
    return !needle || taskHasText(t, needle);
  };
}

/**
 * The open user tasks (runtime collection, small and hot), with a mirror in memory for the inbox. FerretDB
 * can filter and sort on no field but `_id` without reading and decoding the whole collection, and the inbox
 * asks on every page (twice: the page and the total). Every write to the collection goes through this store
 * (the checkpoint store's too) and one server process owns the database, so the mirror, loaded on the first
 * list, stays exact: each write that succeeds is applied to it (and again to a load that was reading while it
 * landed), one that fails drops it (reloaded on the next list).
 */
export class MongoTaskStore implements TaskStore {
  private readonly model: Model<TaskDoc>;
  private mirror: Map<string, TaskRecord> | undefined;
  private loading: Promise<void> | undefined;
  /** While a load reads: the writes that landed meanwhile, replayed on what it read, in order. */
  private landed: ((mirror: Map<string, TaskRecord>) => void)[] | undefined;
  /** A write failed while a load read: what it left is unknown, so that load is thrown away. */
  private spoiled = false;

  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    this.model = taskModel(conn);
    this.lane = updateLane(conn);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const d = await this.model.collection.findOne({ _id: id } as never);
    return d ? taskFromDoc(d as unknown as TaskDoc) : undefined;
  }

  async list(filter: TaskFilter): Promise<Page<TaskRecord>> {
    const tasks = await this.loaded();
    const skip = Math.max(0, filter.skip ?? 0);
    const limit = Math.min(Math.max(1, filter.limit ?? 50), 500);
    const [field, dir] = SORTS[filter.sort ?? 'createdAt'];
    const hits = [...tasks.values()].filter(matcher(filter));
    hits.sort((a, b) => dir * compareValues(a[field], b[field]) || compareValues(a.id, b.id));
    // copies: a caller that changes a task must not change the mirror
    const items = hits.slice(skip, skip + limit).map((t) => structuredClone(t));
    return { items, total: hits.length, skip, limit };
  }

  private async loaded(): Promise<Map<string, TaskRecord>> {
    while (!this.mirror) {
      // one load at a time, shared by the lists that wait for it
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.mirror;
  }

  /**
   * Reads the collection into a new mirror. A write that lands while it reads may or may not be in what it
   * read: each such write is applied again on top, in order (applying one twice is harmless: an insert keeps
   * what is there, a replace and a delete are the same twice), so a steady stream of writes never starves it.
   */
  private async load(): Promise<void> {
    this.landed = [];
    this.spoiled = false;
    try {
      // large batches: a few round trips instead of one per 101 documents
      const docs = await this.model.find({}).batchSize(10_000).lean<TaskDoc[]>();
      if (this.spoiled) return;
      const mirror = new Map(docs.map((d) => [d._id, taskFromDoc(d)]));
      for (const apply of this.landed) apply(mirror);
      this.mirror = mirror;
    } finally {
      this.landed = undefined;
    }
  }

  /** Runs a write; on success applies it to the mirror, on failure (what landed is unknown) drops the mirror. */
  private async write(run: () => Promise<unknown>, apply: (mirror: Map<string, TaskRecord>) => void) {
    try {
      await run();
    } catch (err) {
      this.mirror = undefined;
      this.spoiled = true;
      throw err;
    }
    if (this.mirror) apply(this.mirror);
    else this.landed?.push(apply);
  }

  async byInstance(instanceId: string): Promise<TaskRecord[]> {
    const docs = await this.model.find({ instanceId }).sort({ createdAt: 1, _id: 1 }).lean<TaskDoc[]>();
    return docs.map(taskFromDoc);
  }

  /** From the mirror: startup reconciliation reads every open task once, and that read loads the inbox too. */
  async all(): Promise<TaskRecord[]> {
    return [...(await this.loaded()).values()].map((t) => structuredClone(t));
  }

  /** The open tasks as the mirror holds them, not copied: for readers that only count (the dashboard). */
  async snapshot(): Promise<readonly Readonly<TaskRecord>[]> {
    return [...(await this.loaded()).values()];
  }

  async insert(tasks: TaskRecord[]): Promise<void> {
    if (!tasks.length) return;
    // a replay after a crash inserts the same ids again: those are already there, and stay as they are
    const docs = tasks.map(taskToDoc);
    await this.write(
      () => insertNew(this.model.collection as never, docs),
      (m) => {
        for (const d of docs) if (!m.has(d._id)) m.set(d._id, taskFromDoc(d));
      },
    );
  }

  async upsert(tasks: TaskRecord[]): Promise<void> {
    if (!tasks.length) return;
    const docs = tasks.map(taskToDoc);
    await this.write(
      () =>
        this.lane.run(() =>
          this.model.collection.bulkWrite(
            docs.map(({ _id, ...rest }) => ({
              replaceOne: { filter: { _id } as never, replacement: rest as never, upsert: true },
            })),
            { ordered: true },
          ),
        ),
      (m) => {
        for (const d of docs) m.set(d._id, taskFromDoc(d));
      },
    );
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.write(
      () => this.lane.run(() => deleteByIds(this.model.collection as never, ids)),
      (m) => {
        for (const id of ids) m.delete(id);
      },
    );
  }
}
