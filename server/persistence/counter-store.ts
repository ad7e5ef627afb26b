import { Schema, type Connection, type Model } from 'mongoose';
import type { CounterStore } from '../engine/stores.js';

interface CounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);

export function counterModel(conn: Connection): Model<CounterDoc> {
  return (
    (conn.models.Counter as Model<CounterDoc> | undefined) ?? conn.model<CounterDoc>('Counter', counterSchema)
  );
}

/** Named durable counters (letter numbers …). Serialised in-process: FerretDB's update is read-modify-write. */
export class MongoCounterStore implements CounterStore {
  private readonly model: Model<CounterDoc>;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(conn: Connection) {
    this.model = counterModel(conn);
  }

  next(name: string): Promise<number> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const run = prev.then(async () => {
      const doc = await this.model.collection.findOneAndUpdate(
        { _id: name } as never,
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return (doc as unknown as CounterDoc).seq;
    });
    const tail = run.catch(() => undefined);
    this.locks.set(name, tail);
    void tail.then(() => {
      if (this.locks.get(name) === tail) this.locks.delete(name);
    });
    return run;
  }
}
