import { Schema, type Connection, type Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { RuntimeMeta, RuntimeMetaStore } from '../engine/stores.js';

interface MetaDoc {
  _id: string;
  meta: string;
}

const metaSchema = new Schema<MetaDoc>(
  { _id: { type: String, required: true }, meta: { type: String, required: true } },
  { collection: 'runtime_meta', versionKey: false },
);

export function runtimeMetaModel(conn: Connection): Model<MetaDoc> {
  return (
    (conn.models.RuntimeMeta as Model<MetaDoc> | undefined) ?? conn.model<MetaDoc>('RuntimeMeta', metaSchema)
  );
}

/** One small document: did the last run shut down cleanly (else startup reconciles everything active). */
export class MongoRuntimeMetaStore implements RuntimeMetaStore {
  private readonly model: Model<MetaDoc>;

  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    this.model = runtimeMetaModel(conn);
    this.lane = updateLane(conn);
  }

  async get(): Promise<RuntimeMeta | undefined> {
    const d = await this.model.collection.findOne({ _id: 'engine' } as never);
    return d ? (JSON.parse((d as unknown as MetaDoc).meta) as RuntimeMeta) : undefined;
  }

  async set(meta: RuntimeMeta): Promise<void> {
    await this.lane.run(() =>
      this.model.collection.replaceOne({ _id: 'engine' } as never, { meta: JSON.stringify(meta) } as never, {
        upsert: true,
      }),
    );
  }
}
