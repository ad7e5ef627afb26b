import { Schema, type Connection, type Model } from 'mongoose';
import type { OutboxEntry, OutboxStore } from '../engine/correlation.js';
import { deleteByIds } from './bulk-writes.js';
import { updateLane, type UpdateLane } from './update-lane.js';

interface OutboxDoc {
  _id: string;
  entry: string;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    entry: { type: String, required: true },
  },
  { collection: 'outbox', versionKey: false },
);

export function outboxModel(conn: Connection): Model<OutboxDoc> {
  return (
    (conn.models.Outbox as Model<OutboxDoc> | undefined) ?? conn.model<OutboxDoc>('Outbox', outboxSchema)
  );
}

/** Messages and signals thrown by processes, kept until delivered (a small collection: entries live for ms). */
export class MongoOutboxStore implements OutboxStore {
  private readonly model: Model<OutboxDoc>;
  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    this.model = outboxModel(conn);
    this.lane = updateLane(conn);
  }

  async insert(entries: OutboxEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.lane.run(() =>
      this.model.collection.bulkWrite(
        entries.map((e) => ({
          replaceOne: {
            filter: { _id: e.id } as never,
            replacement: { entry: JSON.stringify(e) } as never,
            upsert: true,
          },
        })),
        { ordered: true },
      ),
    );
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.lane.run(() => deleteByIds(this.model.collection as never, ids));
  }

  async all(): Promise<OutboxEntry[]> {
    const docs = await this.model.find({}).sort({ _id: 1 }).lean<OutboxDoc[]>();
    return docs.map((d) => JSON.parse(d.entry) as OutboxEntry);
  }
}
