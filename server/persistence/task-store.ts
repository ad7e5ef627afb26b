import { Schema, type Connection, type Model } from 'mongoose';
import type { TaskStore } from '../engine/stores.js';
import type { Page, TaskFilter, TaskRecord } from '../engine/types.js';
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

const SORTS: Record<NonNullable<TaskFilter['sort']>, Record<string, 1 | -1>> = {
  dueAt: { dueAt: 1, _id: 1 },
  '-dueAt': { dueAt: -1, _id: 1 },
  priority: { priority: 1, _id: 1 },
  '-priority': { priority: -1, _id: 1 },
  createdAt: { createdAt: 1, _id: 1 },
  '-createdAt': { createdAt: -1, _id: 1 },
};

/** The open user tasks (runtime collection, small and hot). */
export class MongoTaskStore implements TaskStore {
  private readonly model: Model<TaskDoc>;

  constructor(conn: Connection) {
    this.model = taskModel(conn);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const d = await this.model.collection.findOne({ _id: id } as never);
    return d ? taskFromDoc(d as unknown as TaskDoc) : undefined;
  }

  async list(filter: TaskFilter): Promise<Page<TaskRecord>> {
    const and: Record<string, unknown>[] = [];
    const a = filter.visibleTo;
    if (a)
      and.push({
        $or: [{ assignee: a.id }, { candidateUsers: a.id }, { candidateGroups: { $in: a.groups } }],
      });
    if (filter.assignee !== undefined) and.push({ assignee: filter.assignee });
    if (filter.candidateGroup) and.push({ candidateGroups: filter.candidateGroup });
    if (filter.unclaimed) and.push({ assignee: null });
    if (filter.overdueAt) and.push({ dueAt: { $lt: filter.overdueAt } });
    if (filter.key) and.push({ definitionKey: filter.key });
    if (filter.instanceId) and.push({ instanceId: filter.instanceId });
    const q = and.length ? { $and: and } : {};
    const skip = Math.max(0, filter.skip ?? 0);
    const limit = Math.min(Math.max(1, filter.limit ?? 50), 500);
    const [docs, total] = await Promise.all([
      this.model
        .find(q)
        .sort(SORTS[filter.sort ?? 'createdAt'])
        .skip(skip)
        .limit(limit)
        .lean<TaskDoc[]>(),
      this.model.countDocuments(q),
    ]);
    return { items: docs.map(taskFromDoc), total, skip, limit };
  }

  async byInstance(instanceId: string): Promise<TaskRecord[]> {
    const docs = await this.model.find({ instanceId }).sort({ createdAt: 1, _id: 1 }).lean<TaskDoc[]>();
    return docs.map(taskFromDoc);
  }

  async all(): Promise<TaskRecord[]> {
    const docs = await this.model.find({}).lean<TaskDoc[]>();
    return docs.map(taskFromDoc);
  }

  async insert(tasks: TaskRecord[]): Promise<void> {
    // a replay after a crash inserts the same ids again: those are already there
    await insertNew(this.model.collection as never, tasks.map(taskToDoc));
  }

  async upsert(tasks: TaskRecord[]): Promise<void> {
    if (!tasks.length) return;
    await this.model.collection.bulkWrite(
      tasks.map((t) => {
        const { _id, ...rest } = taskToDoc(t);
        return { replaceOne: { filter: { _id } as never, replacement: rest as never, upsert: true } };
      }),
      { ordered: true },
    );
  }

  async remove(ids: string[]): Promise<void> {
    await deleteByIds(this.model.collection as never, ids);
  }
}
