import { Schema, type Connection, type Model } from 'mongoose';
import type { InstanceRecord, InstanceStore } from '../engine/stores.js';
import type { InstanceFilter, InstanceStatus, Page } from '../engine/types.js';

/** Stored shape: filterable fields at the top, everything with user-chosen keys inside JSON strings. */
interface InstanceDoc {
  _id: string;
  definitionId: string;
  key: string;
  version: number;
  businessKey?: string | null;
  status: InstanceStatus;
  rev: number;
  state?: string | null;
  startedAt: string;
  startedBy: string;
  endedAt?: string | null;
  parentId?: string | null;
  dirty: boolean;
  /** True while a service call is in flight: startup recovery resumes the instance. */
  resume: boolean;
  /** JSON: variables, waiting, incident, cancelReason, startVariables, openTasks, jobs, inFlight. */
  data: string;
}

const instanceSchema = new Schema<InstanceDoc>(
  {
    _id: { type: String, required: true },
    definitionId: { type: String, required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    businessKey: { type: String, default: null },
    status: { type: String, required: true },
    rev: { type: Number, required: true },
    state: { type: String, default: null },
    startedAt: { type: String, required: true },
    startedBy: { type: String, required: true },
    endedAt: { type: String, default: null },
    parentId: { type: String, default: null },
    dirty: { type: Boolean, default: false },
    resume: { type: Boolean, default: false },
    data: { type: String, required: true },
  },
  { collection: 'instances', versionKey: false },
);

export function instanceModel(conn: Connection): Model<InstanceDoc> {
  return (
    (conn.models.Instance as Model<InstanceDoc> | undefined) ??
    conn.model<InstanceDoc>('Instance', instanceSchema)
  );
}

function toDoc(r: InstanceRecord): InstanceDoc {
  return {
    _id: r.id,
    definitionId: r.definitionId,
    key: r.key,
    version: r.version,
    businessKey: r.businessKey ?? null,
    status: r.status,
    rev: r.rev,
    state: r.state ?? null,
    startedAt: r.startedAt,
    startedBy: r.startedBy,
    endedAt: r.endedAt ?? null,
    parentId: r.parentId ?? null,
    dirty: r.dirty,
    resume: r.inFlight.length > 0,
    data: JSON.stringify({
      variables: r.variables,
      waiting: r.waiting,
      incident: r.incident,
      cancelReason: r.cancelReason,
      startVariables: r.startVariables,
      openTasks: r.openTasks,
      jobs: r.jobs,
      inFlight: r.inFlight,
      pendingHistory: r.pendingHistory,
    }),
  };
}

function toRecord(d: InstanceDoc): InstanceRecord {
  const data = JSON.parse(d.data) as Pick<
    InstanceRecord,
    | 'variables'
    | 'waiting'
    | 'incident'
    | 'cancelReason'
    | 'startVariables'
    | 'openTasks'
    | 'jobs'
    | 'inFlight'
    | 'pendingHistory'
  >;
  const r: InstanceRecord = {
    id: d._id,
    definitionId: d.definitionId,
    key: d.key,
    version: d.version,
    status: d.status,
    rev: d.rev,
    startedAt: d.startedAt,
    startedBy: d.startedBy,
    dirty: d.dirty,
    variables: data.variables ?? {},
    waiting: data.waiting ?? [],
    openTasks: data.openTasks ?? [],
    jobs: data.jobs ?? [],
    inFlight: data.inFlight ?? [],
    pendingHistory: data.pendingHistory ?? [],
  };
  if (d.businessKey) r.businessKey = d.businessKey;
  if (d.state) r.state = d.state;
  if (d.endedAt) r.endedAt = d.endedAt;
  if (d.parentId) r.parentId = d.parentId;
  if (data.incident) r.incident = data.incident;
  if (data.cancelReason) r.cancelReason = data.cancelReason;
  if (data.startVariables) r.startVariables = data.startVariables;
  return r;
}

/** Process instances: one document each, replaced whole at every checkpoint under a `rev` guard. */
export class MongoInstanceStore implements InstanceStore {
  private readonly model: Model<InstanceDoc>;

  constructor(conn: Connection) {
    this.model = instanceModel(conn);
  }

  async insert(rec: InstanceRecord): Promise<void> {
    await this.model.collection.insertOne(toDoc(rec) as never);
  }

  async get(id: string): Promise<InstanceRecord | undefined> {
    const d = await this.model.collection.findOne({ _id: id } as never);
    return d ? toRecord(d as unknown as InstanceDoc) : undefined;
  }

  async checkpoint(rec: InstanceRecord, expectedRev: number): Promise<boolean> {
    const { _id, ...rest } = toDoc(rec);
    const res = await this.model.collection.replaceOne({ _id, rev: expectedRev } as never, rest as never);
    return res.matchedCount === 1;
  }

  async markClean(id: string, rev: number): Promise<void> {
    await this.model.collection.updateOne({ _id: id, rev } as never, { $set: { dirty: false } });
  }

  async list(filter: InstanceFilter): Promise<Page<InstanceRecord>> {
    const q: Record<string, unknown> = {};
    if (filter.key) q.key = filter.key;
    if (filter.version !== undefined) q.version = filter.version;
    if (filter.status) q.status = filter.status;
    if (filter.businessKey) q.businessKey = filter.businessKey;
    if (filter.startedAfter || filter.startedBefore)
      q.startedAt = {
        ...(filter.startedAfter ? { $gte: filter.startedAfter } : {}),
        ...(filter.startedBefore ? { $lt: filter.startedBefore } : {}),
      };
    const skip = Math.max(0, filter.skip ?? 0);
    const limit = Math.min(Math.max(1, filter.limit ?? 50), 500);
    const [docs, total] = await Promise.all([
      this.model
        .find(q, { state: 0 })
        .sort({ startedAt: -1, _id: 1 })
        .skip(skip)
        .limit(limit)
        .lean<InstanceDoc[]>(),
      this.model.countDocuments(q),
    ]);
    return { items: docs.map(toRecord), total, skip, limit };
  }

  async needingRecovery(): Promise<InstanceRecord[]> {
    const docs = await this.model.find({ $or: [{ dirty: true }, { resume: true }] }).lean<InstanceDoc[]>();
    return docs.map(toRecord);
  }
}
