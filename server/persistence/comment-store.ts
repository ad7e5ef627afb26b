import crypto from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { CommentRecord, CommentsPort } from '../ports/comments-port.js';
import { MongoProjectionStore } from './mongo-projection-store.js';

export type { CommentRecord } from '../ports/comments-port.js';

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

/**
 * Instance and task comments in `task_comments`, reached from their instance's trail (`instance_trails`, by `_id`): any
 * other filter would make FerretDB read the whole collection.
 */
export class CommentStore implements CommentsPort {
  private readonly model: Model<CommentDoc>;
  private readonly trails: MongoProjectionStore;

  constructor(conn: Connection) {
    this.model = commentModel(conn);
    this.trails = new MongoProjectionStore(conn);
  }

  async add(comment: Omit<CommentRecord, 'id' | 'at'>, now = new Date()): Promise<CommentRecord> {
    const doc: CommentDoc = { _id: crypto.randomUUID(), ...comment, taskId: comment.taskId ?? null, at: now };
    // the trail first: a comment that is in is always reachable (an id whose insert failed is skipped)
    await this.trails.addTrail([{ instanceId: comment.instanceId, comments: [doc._id] }]);
    await this.model.create(doc);
    return toRecord(doc);
  }

  /** Every comment on the tasks of an instance, oldest first (they outlive the tasks). */
  async forInstance(instanceId: string): Promise<CommentRecord[]> {
    const ids = (await this.trails.trail(instanceId))?.comments ?? [];
    const docs = await Promise.all(ids.map((_id) => this.model.collection.findOne({ _id } as never)));
    return docs
      .map((d) => d as unknown as CommentDoc | null)
      .filter((d): d is CommentDoc => !!d && d.instanceId === instanceId)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || (a._id < b._id ? -1 : 1))
      .map(toRecord);
  }

  /** The comments on one task (`<instanceId>:<executionId>`), oldest first. */
  async forTask(taskId: string): Promise<CommentRecord[]> {
    const i = taskId.indexOf(':');
    if (i <= 0) return [];
    return (await this.forInstance(taskId.slice(0, i))).filter((c) => c.taskId === taskId);
  }
}
