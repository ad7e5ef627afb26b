import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './bulk-writes.js';

interface LedgerDoc {
  _id: string;
  at: string;
}

const ledgerSchema = new Schema<LedgerDoc>(
  { _id: { type: String, required: true }, at: { type: String, required: true } },
  { collection: 'notification_keys', versionKey: false },
);

/**
 * The keys of notifications already given (bell and mail), read only by `_id`. Due-soon and overdue notices
 * are worked out again from the open tasks at every start; this keeps them from being given twice.
 */
export class NotificationLedgerStore {
  private readonly model: Model<LedgerDoc>;

  constructor(conn: Connection) {
    this.model =
      (conn.models.NotificationKey as Model<LedgerDoc> | undefined) ??
      conn.model<LedgerDoc>('NotificationKey', ledgerSchema);
  }

  async has(key: string): Promise<boolean> {
    return (await this.model.collection.findOne({ _id: key } as never)) !== null;
  }

  async record(key: string, at: string): Promise<void> {
    try {
      await this.model.collection.insertOne({ _id: key, at } as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
