import { Schema, type Connection, type Model } from 'mongoose';
import type { OutboxStore, SubscriptionRecord, SubscriptionStore } from '../engine/correlation.js';
import { MongoOutboxStore } from './outbox-store.js';
import { deleteByIds } from './bulk-writes.js';
import { updateLane, type UpdateLane } from './update-lane.js';

interface SubscriptionDoc {
  _id: string;
  instanceId: string;
  kind: string;
  name: string;
  correlationValue: string | null;
  createdAt: string;
  record: string;
}

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    instanceId: { type: String, required: true },
    kind: { type: String, required: true },
    name: { type: String, required: true },
    correlationValue: { type: String, default: null },
    createdAt: { type: String, required: true },
    record: { type: String, required: true },
  },
  { collection: 'subscriptions', versionKey: false },
);

export function subscriptionModel(conn: Connection): Model<SubscriptionDoc> {
  return (
    (conn.models.Subscription as Model<SubscriptionDoc> | undefined) ??
    conn.model<SubscriptionDoc>('Subscription', subscriptionSchema)
  );
}

export class MongoSubscriptionStore implements SubscriptionStore {
  private readonly model: Model<SubscriptionDoc>;
  readonly outbox: OutboxStore;
  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    this.model = subscriptionModel(conn);
    this.outbox = new MongoOutboxStore(conn);
    this.lane = updateLane(conn);
  }

  async upsert(subs: SubscriptionRecord[]): Promise<void> {
    if (!subs.length) return;
    await this.lane.run(() =>
      this.model.collection.bulkWrite(
        subs.map((s) => ({
          replaceOne: {
            filter: { _id: s.id } as never,
            replacement: {
              instanceId: s.instanceId,
              kind: s.kind,
              name: s.name,
              correlationValue: s.correlationValue ?? null,
              createdAt: s.createdAt,
              record: JSON.stringify(s),
            } as never,
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

  async find(
    kind: 'message' | 'signal',
    name: string,
    correlationValue?: string,
  ): Promise<SubscriptionRecord[]> {
    const filter: Record<string, unknown> = { kind, name };
    if (correlationValue !== undefined) filter.correlationValue = correlationValue;
    const docs = await this.model.find(filter).sort({ createdAt: 1, _id: 1 }).lean<SubscriptionDoc[]>();
    return docs.map((d) => JSON.parse(d.record) as SubscriptionRecord);
  }

  async byInstance(instanceId: string): Promise<SubscriptionRecord[]> {
    const docs = await this.model.find({ instanceId }).lean<SubscriptionDoc[]>();
    return docs.map((d) => JSON.parse(d.record) as SubscriptionRecord);
  }
}
