import { Schema, type Connection, type Model } from 'mongoose';
import type { GroupRecord, GroupsPort } from '../ports/groups-port.js';
import { isDuplicateKey } from './bulk-writes.js';

export type { GroupRecord } from '../ports/groups-port.js';

interface GroupDoc {
  _id: string;
  name: { fa: string; en: string };
  kind: string;
  province?: string;
}

const groupSchema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    name: { fa: { type: String, required: true }, en: { type: String, required: true } },
    kind: { type: String, required: true },
    province: { type: String },
  },
  { collection: 'groups', versionKey: false },
);

export function groupModel(conn: Connection): Model<GroupDoc> {
  return (conn.models.Group as Model<GroupDoc> | undefined) ?? conn.model<GroupDoc>('Group', groupSchema);
}

function toRecord(doc: GroupDoc): GroupRecord {
  const record: GroupRecord = { id: doc._id, name: { fa: doc.name.fa, en: doc.name.en }, kind: doc.kind };
  if (doc.province) record.province = doc.province;
  return record;
}

/** Reads and writes `groups`; plain records out. */
export class GroupStore implements GroupsPort {
  private readonly model: Model<GroupDoc>;

  constructor(conn: Connection) {
    this.model = groupModel(conn);
  }

  async get(id: string): Promise<GroupRecord | undefined> {
    const doc = await this.model.findById(id).lean<GroupDoc>();
    return doc ? toRecord(doc) : undefined;
  }

  async list(): Promise<GroupRecord[]> {
    const docs = await this.model.find().sort({ _id: 1 }).lean<GroupDoc[]>();
    return docs.map(toRecord);
  }

  /** Inserts the groups that do not exist yet; existing ones are left as they are. Returns how many were added. */
  async insertMissing(groups: GroupRecord[]): Promise<number> {
    if (groups.length === 0) return 0;
    const existing = new Set(
      (
        await this.model.find({ _id: { $in: groups.map((g) => g.id) } }, { _id: 1 }).lean<{ _id: string }[]>()
      ).map((d) => d._id),
    );
    let added = 0;
    for (const g of groups) {
      if (existing.has(g.id)) continue;
      try {
        await this.model.create({ _id: g.id, name: g.name, kind: g.kind, province: g.province });
        added++;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    return added;
  }
}
