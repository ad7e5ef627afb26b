import crypto from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

/** A comment of an instance, on one of its tasks (`taskId`) or on the instance; kept after the task ends. */
export interface CommentRecord {
  id: string;
  taskId?: string;
  instanceId: string;
  author: string;
  text: string;
  at: string;
}

interface CommentDoc {
  _id: string;
  taskId?: string | null;
  instanceId: string;
  author: string;
  text: string;
  at: Date;
}

const commentSchema = new Schema<CommentDoc>(
  {
    _id: { type: String, required: true },
    taskId: { type: String, default: null, index: true },
    instanceId: { type: String, required: true, index: true },
    author: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'task_comments', versionKey: false },
);

export function commentModel(conn: Connection): Model<CommentDoc> {
  return (
    (conn.models.TaskComment as Model<CommentDoc> | undefined) ??
    conn.model<CommentDoc>('TaskComment', commentSchema)
  );
}

function toRecord(d: CommentDoc): CommentRecord {
  return {
    id: d._id,
    ...(d.taskId ? { taskId: d.taskId } : {}),
    instanceId: d.instanceId,
    author: d.author,
    text: d.text,
    at: d.at.toISOString(),
  };
}

/** Instance and task comments in `task_comments`. */
export class CommentStore {
  private readonly model: Model<CommentDoc>;

  constructor(conn: Connection) {
    this.model = commentModel(conn);
  }

  async add(comment: Omit<CommentRecord, 'id' | 'at'>, now = new Date()): Promise<CommentRecord> {
    const doc: CommentDoc = { _id: crypto.randomUUID(), ...comment, taskId: comment.taskId ?? null, at: now };
    await this.model.create(doc);
    return toRecord(doc);
  }

  /** Every comment on the tasks of an instance, oldest first (they outlive the tasks). */
  async forInstance(instanceId: string): Promise<CommentRecord[]> {
    const docs = await this.model.find({ instanceId }).sort({ at: 1 }).lean<CommentDoc[]>();
    return docs.map(toRecord);
  }

  async forTask(taskId: string): Promise<CommentRecord[]> {
    const docs = await this.model.find({ taskId }).sort({ at: 1 }).lean<CommentDoc[]>();
    return docs.map(toRecord);
  }
}
