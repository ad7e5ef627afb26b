import { Schema, type Connection, type Model } from 'mongoose';
import type { SessionRecord, SessionsPort } from '../ports/sessions-port.js';

export type { SessionRecord } from '../ports/sessions-port.js';

interface SessionDoc {
  _id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);

export function sessionModel(conn: Connection): Model<SessionDoc> {
  return (
    (conn.models.Session as Model<SessionDoc> | undefined) ?? conn.model<SessionDoc>('Session', sessionSchema)
  );
}

function toRecord(doc: SessionDoc): SessionRecord {
  return {
    id: doc._id,
    userId: doc.userId,
    csrfToken: doc.csrfToken,
    createdAt: doc.createdAt.toISOString(),
    expiresAt: doc.expiresAt.toISOString(),
  };
}

/** Sessions in `sessions`; FerretDB has no TTL indexes, so expired ones are removed by `sweep()`. */
export class SessionStore implements SessionsPort {
  private readonly model: Model<SessionDoc>;

  constructor(conn: Connection) {
    this.model = sessionModel(conn);
  }

  async create(session: SessionRecord): Promise<void> {
    await this.model.create({
      _id: session.id,
      userId: session.userId,
      csrfToken: session.csrfToken,
      createdAt: new Date(session.createdAt),
      expiresAt: new Date(session.expiresAt),
    });
  }

  /** The session when it exists and has not expired at `now`. */
  async getLive(id: string, now = new Date()): Promise<SessionRecord | undefined> {
    const doc = await this.model.findById(id).lean<SessionDoc>();
    if (!doc || doc.expiresAt.getTime() <= now.getTime()) return undefined;
    return toRecord(doc);
  }

  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }

  /** Ends every session of a user except `keepId` (after a password change). */
  async deleteForUser(userId: string, keepId?: string): Promise<number> {
    const filter = keepId ? { userId, _id: { $ne: keepId } } : { userId };
    const res = await this.model.deleteMany(filter);
    return res.deletedCount ?? 0;
  }

  /** Removes expired sessions; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const res = await this.model.deleteMany({ expiresAt: { $lte: now } });
    return res.deletedCount ?? 0;
  }
}
