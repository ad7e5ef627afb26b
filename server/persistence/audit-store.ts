import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditStore } from '../engine/stores.js';
import type { AuditEvent } from '../engine/types.js';

/** One audit entry; `_id` is its global sequence number. `data` is JSON (user-chosen keys). */
export interface AuditDoc {
  _id: number;
  at: string;
  actor: string;
  type: string;
  instanceId?: string;
  elementId?: string;
  taskId?: string;
  data?: string;
  prevHash: string;
  hash: string;
  /** The command draft this entry came from (`<instanceId>/<rev>/<index>`), for crash repair; not hashed. */
  cmd?: string;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: Number, required: true },
    at: String,
    actor: String,
    type: String,
    instanceId: String,
    elementId: String,
    taskId: String,
    data: String,
    prevHash: String,
    hash: String,
    cmd: String,
  },
  { collection: 'events', versionKey: false },
);

export function auditModel(conn: Connection): Model<AuditDoc> {
  return (
    (conn.models.AuditEvent as Model<AuditDoc> | undefined) ?? conn.model<AuditDoc>('AuditEvent', auditSchema)
  );
}

/** The stored document of an audit entry (`key`: its command draft, see `auditKey`). */
export function auditToDoc(e: AuditEvent, key?: string): AuditDoc {
  const d: AuditDoc = {
    _id: e.seq,
    at: e.at,
    actor: e.actor,
    type: e.type,
    prevHash: e.prevHash,
    hash: e.hash,
  };
  if (e.instanceId !== undefined) d.instanceId = e.instanceId;
  if (e.elementId !== undefined) d.elementId = e.elementId;
  if (e.taskId !== undefined) d.taskId = e.taskId;
  if (e.data !== undefined) d.data = JSON.stringify(e.data);
  if (key !== undefined) d.cmd = key;
  return d;
}

/** The audit entry of a stored document. */
export function auditFromDoc(d: AuditDoc): AuditEvent {
  const e: AuditEvent = {
    seq: d._id,
    at: d.at,
    actor: d.actor,
    type: d.type,
    prevHash: d.prevHash,
    hash: d.hash,
  };
  if (d.instanceId) e.instanceId = d.instanceId;
  if (d.elementId) e.elementId = d.elementId;
  if (d.taskId) e.taskId = d.taskId;
  if (d.data) e.data = JSON.parse(d.data) as Record<string, unknown>;
  return e;
}

/** The append-only, hash-chained audit trail (`events`). Nothing here updates or deletes. */
export class MongoAuditStore implements AuditStore {
  private readonly model: Model<AuditDoc>;

  constructor(conn: Connection) {
    this.model = auditModel(conn);
  }

  async last(): Promise<AuditEvent | undefined> {
    const d = await this.model.findOne({}).sort({ _id: -1 }).lean<AuditDoc>();
    return d ? auditFromDoc(d) : undefined;
  }

  async insertMany(events: AuditEvent[], keys?: (string | undefined)[]): Promise<void> {
    if (!events.length) return;
    await this.model.collection.insertMany(events.map((e, i) => auditToDoc(e, keys?.[i])) as never[], {
      ordered: true,
    });
  }

  async keysAfter(after: number): Promise<string[]> {
    const docs = await this.model.collection
      .find({ _id: { $gt: after } } as never, { projection: { cmd: 1 } })
      .batchSize(5000)
      .toArray();
    return docs.map((d) => (d as unknown as AuditDoc).cmd).filter((k): k is string => !!k);
  }

  async byInstance(instanceId: string): Promise<AuditEvent[]> {
    const docs = await this.model.find({ instanceId }).sort({ _id: 1 }).lean<AuditDoc[]>();
    return docs.map(auditFromDoc);
  }

  async *scan(): AsyncIterable<AuditEvent> {
    const cursor = this.model.collection.find({}).sort({ _id: 1 }).batchSize(2000);
    for await (const d of cursor) yield auditFromDoc(d as unknown as AuditDoc);
  }

  async page(after: number, limit: number): Promise<AuditEvent[]> {
    const docs = await this.model
      .find({ _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<AuditDoc[]>();
    return docs.map(auditFromDoc);
  }
}
