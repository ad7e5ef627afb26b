import { Schema, type Connection, type Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { JobRecord, JobStore } from '../engine/stores.js';
import { DueQueue } from './due-queue.js';
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

/**
 * Durable timers (and later retries), with a mirror in memory for the scheduler. FerretDB answers a filter or a
 * sort on anything but `_id` by reading and decoding the whole collection, and the scheduler asks for the due
 * jobs on every pass (measured: 200 timers due within 5 s fired 0.8–1.5 s late at p50). As with the open tasks
 * (task-store.ts), every write to the collection goes through this store and one server process owns the
 * database, so the mirror, loaded on the first read, stays exact: each write that succeeds is applied to it (and
 * again to a load that was reading while it landed), one that fails drops it (reloaded on the next read).
 */
export class MongoJobStore implements JobStore {
  private readonly model: Model<JobDoc>;
  private mirror: DueQueue | undefined;
  private loading: Promise<void> | undefined;
  /** While a load reads: the writes that landed meanwhile, replayed on what it read, in order. */
  private landed: ((mirror: DueQueue) => void)[] | undefined;
  /** A write failed while a load read: what it left is unknown, so that load is thrown away. */
  private spoiled = false;

  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    this.model = jobModel(conn);
    this.lane = updateLane(conn);
  }

  async upsert(jobs: JobRecord[]): Promise<void> {
    if (!jobs.length) return;
    await this.write(
      () =>
        this.lane.run(() =>
          this.model.collection.bulkWrite(
            jobs.map((j) => ({
              replaceOne: {
                filter: { _id: j.id } as never,
                replacement: { instanceId: j.instanceId, dueAt: j.dueAt, job: JSON.stringify(j) } as never,
                upsert: true,
              },
            })),
            { ordered: true },
          ),
        ),
      (m) => {
        for (const j of jobs) m.set(j);
      },
    );
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.write(
      () => this.lane.run(() => deleteByIds(this.model.collection as never, ids)),
      (m) => {
        for (const id of ids) m.delete(id);
      },
    );
  }

  async due(before: string, limit: number, skip = 0): Promise<JobRecord[]> {
    return (await this.loaded()).due(before, limit, skip);
  }

  async byInstance(instanceId: string): Promise<JobRecord[]> {
    return (await this.loaded()).byInstance(instanceId);
  }

  private async loaded(): Promise<DueQueue> {
    while (!this.mirror) {
      // one load at a time, shared by the reads that wait for it
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.mirror;
  }

  /**
   * Reads the collection into a new mirror. A write that lands while it reads may or may not be in what it
   * read: each such write is applied again on top, in order (applying one twice is harmless: a replace and a
   * delete are the same twice), so a steady stream of writes never starves it.
   */
  private async load(): Promise<void> {
    this.landed = [];
    this.spoiled = false;
    try {
      const docs = await this.model.find({}).lean<JobDoc[]>();
      if (this.spoiled) return;
      const mirror = new DueQueue();
      for (const d of docs) mirror.set(JSON.parse(d.job) as JobRecord);
      for (const apply of this.landed) apply(mirror);
      this.mirror = mirror;
    } finally {
      this.landed = undefined;
    }
  }

  /** Runs a write; on success applies it to the mirror, on failure (what landed is unknown) drops the mirror. */
  private async write(run: () => Promise<unknown>, apply: (mirror: DueQueue) => void): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.mirror = undefined;
      this.spoiled = true;
      throw err;
    }
    if (this.mirror) apply(this.mirror);
    else this.landed?.push(apply);
  }
}
