import { Schema, type Connection, type Model } from 'mongoose';
import type { TaskHistoryStore } from '../engine/stores.js';
import type { TaskHistoryRecord } from '../engine/types.js';
import { insertNew } from './bulk-writes.js';

/** Ended tasks (append-only): `data` (the submitted form) as a JSON string, since its keys are user-chosen. */
interface TaskHistoryDoc {
  _id: string;
  instanceId: string;
  endedAt: string;
  record: string;
}

const taskHistorySchema = new Schema<TaskHistoryDoc>(
  {
    _id: { type: String, required: true },
    instanceId: { type: String, required: true },
    endedAt: { type: String, required: true },
    record: { type: String, required: true },
  },
  { collection: 'task_history', versionKey: false },
);

export function taskHistoryModel(conn: Connection): Model<TaskHistoryDoc> {
  return (
    (conn.models.TaskHistory as Model<TaskHistoryDoc> | undefined) ??
    conn.model<TaskHistoryDoc>('TaskHistory', taskHistorySchema)
  );
}

/** The stored document of a history record. */
export function taskHistoryToDoc(rec: TaskHistoryRecord): TaskHistoryDoc {
  return { _id: rec.id, instanceId: rec.instanceId, endedAt: rec.endedAt, record: JSON.stringify(rec) };
}

export class MongoTaskHistoryStore implements TaskHistoryStore {
  private readonly model: Model<TaskHistoryDoc>;

  constructor(conn: Connection) {
    this.model = taskHistoryModel(conn);
  }

  async insert(recs: TaskHistoryRecord[]): Promise<void> {
    // a replay after a crash writes the same records again: the first one stays, nothing is duplicated
    await insertNew(this.model.collection as never, recs.map(taskHistoryToDoc));
  }

  async byInstance(instanceId: string): Promise<TaskHistoryRecord[]> {
    const docs = await this.model.find({ instanceId }).sort({ endedAt: 1, _id: 1 }).lean<TaskHistoryDoc[]>();
    return docs.map((d) => JSON.parse(d.record) as TaskHistoryRecord);
  }
}
