import type { Connection, Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { CheckpointStore, CheckpointUnit } from '../engine/stores.js';
import { instanceHistoryModel, instanceModel, instanceToDoc } from './instance-store.js';
import { taskHistoryModel, taskHistoryToDoc } from './task-history-store.js';
import type { MongoTaskStore } from './task-store.js';
import { deleteByIds, insertNew } from './bulk-writes.js';

/** Inserts into a model's collection; the indexes of the documents refused as duplicates. */
function insertMany(model: Model<never>, docs: object[]): Promise<Set<number>> {
  return insertNew(model.collection as never, docs);
}

/**
 * Writes the checkpoints of many commands in a few bulk statements (group commit). `write` puts the instance
 * documents in, side by side; `materialise` then writes the open tasks, task history and audit entries of
 * the written checkpoints, side by side, and after the audit entries removes the active copies of instances
 * that ended. Updates and deletes filter on `_id` alone where they can: FerretDB's SQLite backend uses no
 * index otherwise.
 */
export class MongoCheckpointStore implements CheckpointStore {
  private readonly active: Model<never>;
  private readonly history: Model<never>;
  private readonly taskHistory: Model<never>;
  private readonly lane: UpdateLane;

  /**
   * `tasks`: open tasks are written through their store, which keeps the inbox's mirror of them.
   * `revGuard`: checkpoints replace the stored instance only while it still has the expected rev. On MongoDB
   * that guard is atomic and cheap. FerretDB's update is read-modify-write (not atomic across connections) and
   * scans the whole table for any filter other than `{ _id }`, so there the guard is the per-instance queue of
   * the one server process that owns the database, and the filter stays `{ _id }`.
   */
  constructor(
    conn: Connection,
    private readonly tasks: MongoTaskStore,
    private readonly revGuard = true,
  ) {
    this.active = instanceModel(conn) as unknown as Model<never>;
    this.history = instanceHistoryModel(conn) as unknown as Model<never>;
    this.taskHistory = taskHistoryModel(conn) as unknown as Model<never>;
    this.lane = updateLane(conn);
  }

  async write(units: CheckpointUnit[]): Promise<boolean[]> {
    const ok = units.map(() => true);
    const born = (u: CheckpointUnit) => u.expectedRev < 0;
    const indexes = (pick: (u: CheckpointUnit, i: number) => boolean) =>
      units.map((u, i) => (pick(u, i) ? i : -1)).filter((i) => i >= 0);

    // side by side: new instances (rev 0) into the active collection, also those that ended in their first
    // command (their active copy marks the move to history as unfinished until their audit entries are in:
    // crash repair); checkpoints of active instances, and of those that ended: their active copy becomes the
    // ended checkpoint first, and only then goes into history, so an active copy that has a history copy is
    // always an ended one (crash repair looks up only those, see `RuntimeMeta.endedFirst`)
    const inserts = indexes(born);
    const replaces = indexes((u) => !born(u));
    const [dupNew, replaced] = await Promise.all([
      insertMany(
        this.active,
        inserts.map((i) => instanceToDoc(units[i]!.instance)),
      ),
      this.replaceActive(replaces.map((i) => units[i]!)),
    ]);
    for (const d of dupNew) ok[inserts[d]!] = false;
    replaces.forEach((i, n) => (ok[i] = replaced[n]!));
    // ended instances into history once their active copy says so (a rev guard that failed writes neither)
    const moves = indexes((u, i) => !born(u) && ended(u) && ok[i]!);
    const dupMoved = await insertMany(
      this.history,
      moves.map((i) => instanceToDoc(units[i]!.instance)),
    );
    for (const d of dupMoved) ok[moves[d]!] = false;

    // born and ended in one command (rare): into history once its active copy is known to be its own; a copy
    // inserted here whose history insert lost goes at once (the one in history is the instance)
    const bornEnded = indexes((u, i) => born(u) && ended(u) && ok[i]!);
    const dupBornEnded = await insertMany(
      this.history,
      bornEnded.map((i) => instanceToDoc(units[i]!.instance)),
    );
    for (const d of dupBornEnded) ok[bornEnded[d]!] = false;
    const strays = [...dupBornEnded].map((d) => units[bornEnded[d]!]!.instance.id);
    if (strays.length) await this.lane.run(() => deleteByIds(this.active.collection, strays));
    return ok;
  }

  async materialise(units: CheckpointUnit[], appendAudit: () => Promise<unknown>): Promise<void> {
    const replacedTasks = units.flatMap((u) => u.taskReplaces);
    await Promise.all([
      (async () => {
        await appendAudit();
        // ended instances leave the active collection once their audit entries are in
        const gone = units.filter(ended).map((u) => u.instance.id);
        if (gone.length) await this.lane.run(() => deleteByIds(this.active.collection, gone));
      })(),
      insertMany(
        this.taskHistory,
        units.flatMap((u) => u.history.map(taskHistoryToDoc)),
      ),
      (async () => {
        // units come in the order their checkpoints were written, and a task is inserted before it is
        // replaced or removed and never comes back: inserts, then replaces (in order), then removals
        await this.tasks.insert(units.flatMap((u) => u.taskInserts));
        await this.tasks.upsert(replacedTasks);
        await this.tasks.remove(units.flatMap((u) => u.taskRemoves));
      })(),
    ]);
  }

  /** Replaces active instance documents; per unit, false when the stored rev moved (MongoDB only). */
  private async replaceActive(units: CheckpointUnit[]): Promise<boolean[]> {
    if (!units.length) return [];
    const res = await this.lane.run(() =>
      this.active.collection.bulkWrite(
        units.map((u) => {
          const { _id, ...rest } = instanceToDoc(u.instance);
          const filter = this.revGuard ? { _id, rev: u.expectedRev } : { _id };
          return { replaceOne: { filter: filter as never, replacement: rest as never } };
        }),
        { ordered: false },
      ),
    );
    if (res.matchedCount === units.length) return units.map(() => true);
    // someone else wrote first for some of them (or the document is gone): find which by reading back
    return Promise.all(
      units.map(async (u) => {
        const doc = (await this.active.collection.findOne({ _id: u.instance.id } as never)) as {
          rev?: number;
        } | null;
        return doc?.rev === u.instance.rev;
      }),
    );
  }
}

function ended(u: CheckpointUnit): boolean {
  return u.instance.status === 'completed' || u.instance.status === 'cancelled';
}
