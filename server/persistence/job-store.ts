import { Schema, type Connection, type Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { JobRecord, JobStore } from '../engine/stores.js';
import { deleteByIds } from './bulk-writes.js';

interface JobDoc {
  _id: string;
  instanceId: string;
  dueAt: string;
  job: string;
}

const jobSchema = new Schema<JobDoc>(
  {
    _id: { type: String, required: true },
    instanceId: { type: String, required: true },
    dueAt: { type: String, required: true },
    job: { type: String, required: true },
  },
  { collection: 'jobs', versionKey: false },
);

export function jobModel(conn: Connection): Model<JobDoc> {
  return (conn.models.Job as Model<JobDoc> | undefined) ?? conn.model<JobDoc>('Job', jobSchema);
}

/** Durable timers (and later retries): the scheduler reads the due ones by `dueAt`. */
export class MongoJobStore implements JobStore {
  private readonly model: Model<JobDoc>;

  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    this.model = jobModel(conn);
    this.lane = updateLane(conn);
  }

  async upsert(jobs: JobRecord[]): Promise<void> {
    if (!jobs.length) return;
    const model = this.model;
    await this.lane.run(() =>
      model.collection.bulkWrite(
        jobs.map((j) => ({
          replaceOne: {
            filter: { _id: j.id } as never,
            replacement: { instanceId: j.instanceId, dueAt: j.dueAt, job: JSON.stringify(j) } as never,
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

  async due(before: string, limit: number, skip = 0): Promise<JobRecord[]> {
    const docs = await this.model
      .find({ dueAt: { $lte: before } })
      .sort({ dueAt: 1, _id: 1 })
      .skip(skip)
      .limit(limit)
      .lean<JobDoc[]>();
    return docs.map((d) => JSON.parse(d.job) as JobRecord);
  }

  async byInstance(instanceId: string): Promise<JobRecord[]> {
    const docs = await this.model.find({ instanceId }).sort({ dueAt: 1 }).lean<JobDoc[]>();
    return docs.map((d) => JSON.parse(d.job) as JobRecord);
  }
}
