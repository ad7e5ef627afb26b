import { Schema, type Connection, type Model } from 'mongoose';
import type { ServiceCallRecord, ServiceCallStore } from '../engine/stores.js';
import { isDuplicateKey } from './bulk-writes.js';

interface ServiceCallDoc {
  _id: string;
  service: string;
  result: string;
  at: string;
}

const serviceCallSchema = new Schema<ServiceCallDoc>(
  {
    _id: { type: String, required: true },
    service: String,
    result: String,
    at: String,
  },
  { collection: 'service_calls', versionKey: false },
);

export function serviceCallModel(conn: Connection): Model<ServiceCallDoc> {
  return (
    (conn.models.ServiceCall as Model<ServiceCallDoc> | undefined) ??
    conn.model<ServiceCallDoc>('ServiceCall', serviceCallSchema)
  );
}

/** Memoised service results by `<instanceId>:<executionId>`: a service re-run after a crash is not repeated. */
export class MongoServiceCallStore implements ServiceCallStore {
  private readonly model: Model<ServiceCallDoc>;

  constructor(conn: Connection) {
    this.model = serviceCallModel(conn);
  }

  async get(id: string): Promise<ServiceCallRecord | undefined> {
    const d = await this.model.collection.findOne({ _id: id } as never);
    if (!d) return undefined;
    const doc = d as unknown as ServiceCallDoc;
    return {
      id: doc._id,
      service: doc.service,
      at: doc.at,
      result: JSON.parse(doc.result) as Record<string, unknown>,
    };
  }

  async put(rec: ServiceCallRecord): Promise<void> {
    try {
      await this.model.collection.insertOne({
        _id: rec.id,
        service: rec.service,
        at: rec.at,
        result: JSON.stringify(rec.result),
      } as never);
    } catch (err) {
      // insert-only (cheap at any size on FerretDB); a second result for the same execution keeps the first
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
