import { Schema, type Connection, type Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { JobRecord, JobStore } from '../engine/stores.js';
import { log } from '../logger.js';
import { DueQueue } from './due-queue.js';

/** One statement's worth of job writes at most (FerretDB runs each op of a bulk write on its own anyway). */
const MAX_BATCH_WRITES = 256;
/** Retired jobs deleted in one statement. */
const RETIRE_CHUNK = 64;
/** How often waiting retires look for an idle lane. */
const RETIRE_POLL_MS = 20;
/** A retired job is deleted after this long even while the lane stays busy. */
const RETIRE_MAX_WAIT_MS = 10_000;

type JobOp =
  | { replaceOne: { filter: { _id: string }; replacement: Omit<JobDoc, '_id'>; upsert: true } }
  | { deleteOne: { filter: { _id: string } } };

interface QueuedWrite {
  ops: JobOp[];
  apply(mirror: DueQueue): void;
  /** Called as it lands or fails, before its caller goes on. */
  settled?: () => void;
  resolve(): void;
  reject(err: unknown): void;
}

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
  /** Job writes waiting for the statement in flight: the next one carries them all (group commit). */
  private queued: QueuedWrite[] = [];
  private flushing: Promise<void> | undefined;
  /** Retired job ids whose delete has not landed yet. */
  private readonly retiring = new Set<string>();
  /** Retired job ids not yet sent, oldest first: since when, and who waits for the delete. */
  private readonly retireWaiting = new Map<string, { since: number; done: (() => void)[] }>();
  private retireTimer: NodeJS.Timeout | undefined;

  constructor(conn: Connection) {
    this.model = jobModel(conn);
    this.lane = updateLane(conn);
  }

  async upsert(jobs: JobRecord[]): Promise<void> {
    if (!jobs.length) return;
    this.supersede(jobs.map((j) => j.id));
    await this.write(
      jobs.map((j) => ({
        replaceOne: {
          filter: { _id: j.id },
          replacement: { instanceId: j.instanceId, dueAt: j.dueAt, job: JSON.stringify(j) },
          upsert: true,
        },
      })),
      (m) => {
        for (const j of jobs) m.set(j);
      },
    );
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return;
    this.supersede(ids);
    await this.write(
      ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
      (m) => {
        for (const id of ids) m.delete(id);
      },
    );
  }

  /**
   * Retired jobs are deleted when the database has nothing else to write (the update lane is idle), a chunk
   * at a time, or once one has waited `RETIRE_MAX_WAIT_MS`: during a burst of timers the lane is what bounds
   * how fast they fire, and a delete nobody waits for should not stand in front of a checkpoint.
   */
  retire(ids: string[]): Promise<void> {
    if (!ids.length) return Promise.resolve();
    if (this.mirror) for (const id of ids) this.mirror.delete(id);
    const now = Date.now();
    const all = Promise.all(
      ids.map(
        (id) =>
          new Promise<void>((resolve) => {
            // until its delete lands, an id stays out of any mirror loaded meanwhile (see `load`)
            this.retiring.add(id);
            const waiting = this.retireWaiting.get(id);
            if (waiting) waiting.done.push(resolve);
            else this.retireWaiting.set(id, { since: now, done: [resolve] });
          }),
      ),
    ).then(() => undefined);
    this.retireLater();
    // settled by `retireSome` once the delete lands, or by `supersede` when a later write of the job decides
    return all;
  }

  /** A write of these jobs was queued: a retire of them still waiting is dropped (the write decides). */
  private supersede(ids: readonly string[]): void {
    for (const id of ids) {
      const waiting = this.retireWaiting.get(id);
      if (!waiting) continue;
      this.retireWaiting.delete(id);
      this.retiring.delete(id);
      for (const done of waiting.done) done();
    }
  }

  /** Sends a chunk of waiting retires when the lane is idle or one has waited too long; else looks again soon. */
  private retireSome(): void {
    this.retireTimer = undefined;
    if (!this.retireWaiting.size) return;
    const oldest = this.retireWaiting.values().next().value!.since;
    const idle = !this.flushing && !this.queued.length && this.lane.idle;
    if (!idle && Date.now() - oldest < RETIRE_MAX_WAIT_MS) {
      this.retireLater();
      return;
    }
    const chunk = [...this.retireWaiting].slice(0, RETIRE_CHUNK);
    for (const [id] of chunk) this.retireWaiting.delete(id);
    const ids = chunk.map(([id]) => id);
    const settled = () => {
      for (const id of ids) this.retiring.delete(id);
    };
    void this.write(
      ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
      (m) => {
        for (const id of ids) m.delete(id);
      },
      settled,
    )
      .catch((err: unknown) =>
        log.warn('could not delete fired timer jobs; each is dropped when it falls due', {
          jobs: ids.length,
          error: String(err),
        }),
      )
      .finally(() => {
        for (const [, waiting] of chunk) for (const done of waiting.done) done();
        this.retireLater();
      });
  }

  private retireLater(): void {
    if (this.retireTimer || !this.retireWaiting.size) return;
    this.retireTimer = setTimeout(() => this.retireSome(), RETIRE_POLL_MS);
    this.retireTimer.unref?.();
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
      // retired jobs whose delete is still on its way: read above, but no longer the scheduler's
      for (const id of this.retiring) mirror.delete(id);
      this.mirror = mirror;
    } finally {
      this.landed = undefined;
    }
  }

  /**
   * Group commit: a write joins the queue and resolves once the statement that carries it is durable. While
   * one statement is in flight the writes of other firings gather, and the next statement carries them all,
   * in the order they were made (one ordered `bulkWrite` of `replaceOne`/`deleteOne` by `_id`): a burst of
   * timers paid one statement a firing, each waiting in the update lane behind the others.
   */
  private write(ops: JobOp[], apply: (mirror: DueQueue) => void, settled?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ ops, apply, settled, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing || !this.queued.length) return;
    const batch = this.queued.splice(0, MAX_BATCH_WRITES);
    this.flushing = this.flush(batch).finally(() => {
      this.flushing = undefined;
      this.kick();
    });
  }

  /**
   * Writes a batch in one statement. If it fails, what landed is unknown: the mirror is dropped and each
   * write is tried once more on its own, so one that cannot be written fails alone and the others succeed
   * (every op is a replace or a delete by `_id`, the same twice).
   */
  private async flush(batch: QueuedWrite[]): Promise<void> {
    try {
      await this.run(batch.flatMap((w) => w.ops));
    } catch {
      this.spoil();
      for (const w of batch)
        await this.run(w.ops).then(
          () => this.landedOne(w),
          (err: unknown) => {
            this.spoil();
            w.settled?.();
            w.reject(err);
          },
        );
      return;
    }
    for (const w of batch) this.landedOne(w);
  }

  private run(ops: JobOp[]): Promise<unknown> {
    return this.lane.run(() => this.model.collection.bulkWrite(ops as never, { ordered: true }));
  }

  /** A write that succeeded: applied to the mirror (or to a load reading now), then its caller goes on. */
  private landedOne(w: QueuedWrite): void {
    if (this.mirror) w.apply(this.mirror);
    else this.landed?.push(w.apply);
    w.settled?.();
    w.resolve();
  }

  /** A write failed: what landed is unknown, so the mirror (and a load reading now) is thrown away. */
  private spoil(): void {
    this.mirror = undefined;
    this.spoiled = true;
  }
}
