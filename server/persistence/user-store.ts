import { Schema, type Connection, type Model } from 'mongoose';
import type { Role } from '../engine/types.js';
import type { NewUser, UserPatch, UserRecord, UsersPort } from '../ports/users-port.js';
import { isDuplicateKey } from './bulk-writes.js';

export type { NewUser, UserRecord } from '../ports/users-port.js';

interface UserDoc {
  _id: string;
  name: { fa: string; en: string };
  passwordHash: string;
  roles: Role[];
  groups: string[];
  language: 'fa' | 'en';
  active: boolean;
  createdAt: Date;
  passwordChangedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    name: { fa: { type: String, required: true }, en: { type: String, required: true } },
    passwordHash: { type: String, required: true },
    roles: { type: [String], default: [] },
    groups: { type: [String], default: [] },
    language: { type: String, default: 'fa' },
    active: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
    passwordChangedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false },
);

/** Users live in `users`, keyed by login name (the only fast lookup on FerretDB is by `_id`). */
export function userModel(conn: Connection): Model<UserDoc> {
  return (conn.models.User as Model<UserDoc> | undefined) ?? conn.model<UserDoc>('User', userSchema);
}

function toRecord(doc: UserDoc): UserRecord {
  return {
    id: doc._id,
    name: { fa: doc.name.fa, en: doc.name.en },
    roles: [...doc.roles],
    groups: [...doc.groups],
    language: doc.language,
    active: doc.active,
    createdAt: doc.createdAt.toISOString(),
    passwordChangedAt: doc.passwordChangedAt.toISOString(),
  };
}

/** Reads and writes accounts; returns plain records, never mongoose documents. */
export class UserStore implements UsersPort {
  private readonly model: Model<UserDoc>;

  constructor(conn: Connection) {
    this.model = userModel(conn);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const doc = await this.model.findById(id).lean<UserDoc>();
    return doc ? toRecord(doc) : undefined;
  }

  /** The record plus its hash, for sign-in and password change only. */
  async getWithHash(id: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    const doc = await this.model.findById(id).lean<UserDoc>();
    return doc ? { ...toRecord(doc), passwordHash: doc.passwordHash } : undefined;
  }

  /** Inserts a user; false when the id is taken (existing users are never overwritten). */
  async create(user: NewUser, now = new Date()): Promise<boolean> {
    try {
      await this.model.create({
        _id: user.id,
        name: user.name,
        passwordHash: user.passwordHash,
        roles: user.roles,
        groups: user.groups,
        language: user.language ?? 'fa',
        active: true,
        createdAt: now,
        passwordChangedAt: now,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async setPasswordHash(id: string, passwordHash: string, now = new Date()): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { passwordHash, passwordChangedAt: now } });
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) set[k] = v;
    if (Object.keys(set).length > 0) await this.model.updateOne({ _id: id }, { $set: set });
    return this.get(id);
  }

  async list(): Promise<UserRecord[]> {
    const docs = await this.model.find().sort({ _id: 1 }).lean<UserDoc[]>();
    return docs.map(toRecord);
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }
}
