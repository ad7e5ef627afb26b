import type { Connection, Model } from 'mongoose';
import type { CheckpointStore, CheckpointUnit } from '../engine/stores.js';
import { instanceHistoryModel, instanceModel, instanceToDoc } from './instance-store.js';
import { taskHistoryModel, taskHistoryToDoc } from './task-history-store.js';
import { taskModel, taskToDoc } from './task-store.js';

type WriteError = { code?: number; writeErrors?: { index: number; code?: number }[] };

/** Indexes of the ops an unordered insertMany refused as duplicates; rethrows anything else. */
function duplicates(err: unknown): Set<number> {
  const e = err as WriteError;
  if (e.writeErrors?.length && e.writeErrors.every((w) => w.code === 11000))
    return new Set(e.writeErrors.map((w) => w.index));
  if (e.code === 11000 && !e.writeErrors) return new Set([0]);
  throw err;
}

async function insertMany(model: Model<never>, docs: object[]): Promise<Set<number>> {
  if (!docs.length) return new Set();
  try {
    await model.collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (err) {
    return duplicates(err);
  }
}

/**
 * Writes the checkpoints of many commands in a few bulk statements (group commit): instances first, then
 * for the ones that were written, their open tasks and task history. FerretDB on SQLite slows down badly
 * under concurrent writers; one writer with batches keeps it fast.
 */
export class MongoCheckpointStore implements CheckpointStore {
  private readonly active: Model<never>;
  private readonly history: Model<never>;
  private readonly tasks: Model<never>;
  private readonly taskHistory: Model<never>;

  constructor(conn: Connection) {
    this.active = instanceModel(conn) as unknown as Model<never>;
    this.history = instanceHistoryModel(conn) as unknown as Model<never>;
    this.tasks = taskModel(conn) as unknown as Model<never>;
    this.taskHistory = taskHistoryModel(conn) as unknown as Model<never>;
  }

  async write(units: CheckpointUnit[], alongside?: (ok: boolean[]) => Promise<unknown>): Promise<boolean[]> {
    const ok = units.map(() => true);
    const ended = (u: CheckpointUnit) =>
      u.instance.status === 'completed' || u.instance.status === 'cancelled';

    // new instances (rev 0) go to the active collection, also those that ended in their first command: their
    // active copy marks the move to history as unfinished until their audit entries are in (crash repair)
    const inserts = units.map((u, i) => (u.expectedRev < 0 ? i : -1)).filter((i) => i >= 0);
    const dupNew = await insertMany(
      this.active,
      inserts.map((i) => instanceToDoc(units[i]!.instance)),
    );
    for (const d of dupNew) ok[inserts[d]!] = false;

    // checkpoints of active instances, each guarded by its previous rev
    const replaces = units.map((u, i) => (u.expectedRev >= 0 && !ended(u) ? i : -1)).filter((i) => i >= 0);
    if (replaces.length) {
      const res = await this.active.collection.bulkWrite(
        replaces.map((i) => {
          const { _id, ...rest } = instanceToDoc(units[i]!.instance);
          return {
            replaceOne: { filter: { _id, rev: units[i]!.expectedRev } as never, replacement: rest as never },
          };
        }),
        { ordered: false },
      );
      if (res.matchedCount < replaces.length) {
        // someone else wrote first for some of them: find which by reading their rev back
        for (const i of replaces) {
          const doc = (await this.active.collection.findOne({ _id: units[i]!.instance.id } as never)) as {
            rev?: number;
          } | null;
          if (doc?.rev !== units[i]!.instance.rev) ok[i] = false;
        }
      }
    }

    // instances that ended: history first; the active copy goes once their audit entries are in, so a crash
    // in between leaves both and startup recovery (history wins) appends the entries from the history record
    const moves = units.map((u, i) => (ended(u) && ok[i] ? i : -1)).filter((i) => i >= 0);
    const leaving: string[] = [];
    if (moves.length) {
      const dup = await insertMany(
        this.history,
        moves.map((i) => instanceToDoc(units[i]!.instance)),
      );
      moves.forEach((i, d) => {
        const born = units[i]!.expectedRev < 0;
        if (dup.has(d)) ok[i] = false;
        // a first-command copy inserted above goes in any case; an older active copy only when this won
        if (born || ok[i]) leaving.push(units[i]!.instance.id);
      });
    }

    // materialised records of the written checkpoints: different collections, written side by side
    const written = units.filter((_, i) => ok[i]);
    const replaced = written.flatMap((u) => u.taskReplaces);
    const removed = written.flatMap((u) => u.taskRemoves);
    await Promise.all([
      (async () => {
        await alongside?.(ok);
        if (leaving.length === 1) await this.active.collection.deleteOne({ _id: leaving[0] } as never);
        else if (leaving.length) await this.active.collection.deleteMany({ _id: { $in: leaving } } as never);
      })(),
      insertMany(
        this.taskHistory,
        written.flatMap((u) => u.history.map(taskHistoryToDoc)),
      ),
      (async () => {
        await insertMany(
          this.tasks,
          written.flatMap((u) => u.taskInserts.map(taskToDoc)),
        );
        if (replaced.length)
          await this.tasks.collection.bulkWrite(
            replaced.map((t) => {
              const { _id, ...rest } = taskToDoc(t);
              return { replaceOne: { filter: { _id } as never, replacement: rest as never, upsert: true } };
            }),
            { ordered: true },
          );
        if (removed.length === 1) await this.tasks.collection.deleteOne({ _id: removed[0] } as never);
        else if (removed.length) await this.tasks.collection.deleteMany({ _id: { $in: removed } } as never);
      })(),
    ]);
    return ok;
  }
}
