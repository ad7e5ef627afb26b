import mongoose, { type Collection, type Connection } from 'mongoose';
import { findByIds, inOrderOf } from './by-ids.js';
import { DayBucketFill, ListMembers } from './day-bucket-fill.js';
import { updateLane, type UpdateLane } from './update-lane.js';
import type { InstanceEntry } from '../engine/projections/instance-entry.js';
import type {
  InstanceTrail,
  ProjectionStore,
  SnapshotHead,
  StoredSnapshot,
  TrailAddition,
} from '../engine/projections/projection-store.js';
import type { TaskFact } from '../engine/projections/task-facts.js';
import type { AuditEvent, TaskHistoryRecord } from '../engine/types.js';
import { auditFromDoc, auditModel, type AuditDoc } from './audit-store.js';
import { taskHistoryModel } from './task-history-store.js';

const { Binary } = mongoose.mongo;
type Binary = InstanceType<typeof Binary>;

/** Collections of the projections: named documents and day buckets; one trail per instance. */
export const PROJECTION_COLLECTIONS = ['read_models', 'instance_trails'] as const;

interface BucketDoc<T> {
  _id: string;
  items: T[];
}

interface TrailDoc {
  _id: string;
  audit?: number[];
  tasks?: string[];
  comments?: string[];
}

/** Runs `work` over `items`, `width` at a time, keeping order. */
async function mapLimit<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * The projections on MongoDB or FerretDB, with `_id` filters only (the one filter FerretDB's SQLite backend
 * answers from an index): day buckets `ended:<yyyy-mm-dd>` and `tasks:<yyyy-mm-dd>` grown with `$push` (at most
 * `BUCKET_CAP` items each, see `day-bucket-fill.ts`; a busy day goes on in `<yyyy-mm-dd>~1`, …),
 * their day lists `days:ended` and `days:tasks` grown with `$addToSet`, one trail per instance grown with
 * `$addToSet`, and named documents `meta:<name>` replaced whole. On MongoDB the same documents serve.
 */
export class MongoProjectionStore implements ProjectionStore {
  private readonly models: Collection;
  private readonly trails: Collection;
  private readonly audit: Collection;
  private readonly taskHistory: Collection;
  private readonly lane: UpdateLane;
  /** Which bucket each day's next items go to. */
  private readonly fill: DayBucketFill;
  /** The generation bucket writes record their days under (found on first use). */
  private generation: Promise<number> | undefined;
  /** What the day lists and touched lists hold (a batch adds only what they lack). */
  private readonly members = new ListMembers();

  constructor(conn: Connection) {
    this.lane = updateLane(conn);
    this.models = conn.collection('read_models');
    this.fill = new DayBucketFill(this.models, this.members);
    this.trails = conn.collection('instance_trails');
    this.audit = auditModel(conn).collection;
    this.taskHistory = taskHistoryModel(conn).collection;
  }

  /** Creates the collections up front (parallel first writes must not race to create them). */
  static async ensureCollections(conn: Connection): Promise<void> {
    for (const name of PROJECTION_COLLECTIONS)
      await conn.createCollection(name).catch((err: { code?: number }) => {
        if (err.code !== 48) throw err; // 48: NamespaceExists
      });
  }

  private async addToBuckets<T>(kind: 'ended' | 'tasks', items: T[], at: (item: T) => string): Promise<void> {
    if (!items.length) return;
    const by = new Map<string, T[]>();
    for (const item of items) {
      const id = await this.fill.next(kind, day(at(item)));
      const list = by.get(id);
      if (list) list.push(item);
      else by.set(id, [item]);
    }
    const gen = await this.currentGeneration();
    const ids = [...by.keys()];
    const touchedList = `touched:${kind}:${gen}`;
    const daysList = `days:${kind}`;
    this.members.retain((listId) => !listId.startsWith(`touched:${kind}:`) || listId === touchedList);
    // the lists are only added to: what a batch before this one wrote to them is there
    const untouched = this.members.missing(touchedList, ids);
    const unlisted = this.members.missing(daysList, ids);
    const addToList = (listId: string, add: string[]) =>
      add.length
        ? [
            {
              updateOne: {
                filter: { _id: listId } as never,
                update: { $addToSet: { days: { $each: add } } } as never,
                upsert: true,
              },
            },
          ]
        : [];
    await this.lane.run(() =>
      this.models.bulkWrite(
        [
          // the bucket is named in the generation's touched list before it grows (a load replays it)
          ...addToList(touchedList, untouched),
          ...[...by].map(([id, list]) => ({
            updateOne: {
              filter: { _id: `${kind}:${id}` } as never,
              update: { $push: { items: { $each: list } } } as never,
              upsert: true,
            },
          })),
          ...addToList(daysList, unlisted),
        ],
        { ordered: true },
      ),
    );
    this.members.add(touchedList, untouched);
    this.members.add(daysList, unlisted);
  }

  private async loadBuckets<T>(kind: 'ended' | 'tasks'): Promise<T[]> {
    const list = (await this.models.findOne({ _id: `days:${kind}` } as never)) as { days?: string[] } | null;
    return this.loadDays<T>(kind, list?.days ?? []);
  }

  private async loadDays<T>(kind: 'ended' | 'tasks', list: string[]): Promise<T[]> {
    const days = [...list].sort();
    const docs = await mapLimit(
      days,
      8,
      async (d) => (await this.models.findOne({ _id: `${kind}:${d}` } as never)) as BucketDoc<T> | null,
    );
    return docs.flatMap((d) => d?.items ?? []);
  }

  addEnded(entries: InstanceEntry[]): Promise<void> {
    return this.addToBuckets('ended', entries, (e) => e.endedAt ?? e.startedAt);
  }

  addFacts(facts: TaskFact[]): Promise<void> {
    return this.addToBuckets('tasks', facts, (f) => f.endedAt);
  }

  loadEnded(): Promise<InstanceEntry[]> {
    return this.loadBuckets<InstanceEntry>('ended');
  }

  loadFacts(): Promise<TaskFact[]> {
    return this.loadBuckets<TaskFact>('tasks');
  }

  loadEndedDays(days: string[]): Promise<InstanceEntry[]> {
    return this.loadDays<InstanceEntry>('ended', days);
  }

  loadFactsDays(days: string[]): Promise<TaskFact[]> {
    return this.loadDays<TaskFact>('tasks', days);
  }

  private async touched(kind: 'ended' | 'tasks', gen: number): Promise<string[] | undefined> {
    const d = (await this.models.findOne({ _id: `touched:${kind}:${gen}` } as never)) as {
      days?: string[];
    } | null;
    return d ? (d.days ?? []) : undefined;
  }

  /** Makes both touched lists of `gen` (empty), so that a load walking the generations finds it. */
  private async openGeneration(gen: number): Promise<void> {
    await this.lane.run(() =>
      this.models.bulkWrite(
        (['ended', 'tasks'] as const).map((kind) => ({
          updateOne: {
            filter: { _id: `touched:${kind}:${gen}` } as never,
            update: { $addToSet: { days: { $each: [] } } } as never,
            upsert: true,
          },
        })),
        { ordered: true },
      ),
    );
  }

  /** The last generation there is from the snapshot's on (made when there is none). */
  private currentGeneration(): Promise<number> {
    return (this.generation ??= (async () => {
      const head = await this.getMeta<SnapshotHead>('snapshot');
      let gen = head?.replayFrom ?? 0;
      if ((await this.touched('ended', gen)) === undefined) {
        await this.openGeneration(gen);
        return gen;
      }
      while ((await this.touched('ended', gen + 1)) !== undefined) gen++;
      return gen;
    })().catch((err: unknown) => {
      this.generation = undefined;
      throw err;
    }));
  }

  async nextGeneration(): Promise<number> {
    const gen = await this.currentGeneration();
    await this.openGeneration(gen + 1);
    this.generation = Promise.resolve(gen + 1);
    return gen;
  }

  async touchedSince(from: number): Promise<{ ended: string[]; tasks: string[] }> {
    const ended = new Set<string>();
    const tasks = new Set<string>();
    for (let gen = from; ; gen++) {
      const [e, t] = await Promise.all([this.touched('ended', gen), this.touched('tasks', gen)]);
      if (e === undefined && t === undefined) break;
      for (const d of e ?? []) ended.add(d);
      for (const d of t ?? []) tasks.add(d);
    }
    return { ended: [...ended], tasks: [...tasks] };
  }

  private async parts(id: number, kind: 'ended' | 'tasks', count: number): Promise<Buffer[] | undefined> {
    const docs = await mapLimit(
      Array.from({ length: count }, (_, n) => `snap:${id}:${kind}:${n}`),
      4,
      async (_id) => (await this.models.findOne({ _id } as never)) as { data?: Binary } | null,
    );
    if (docs.some((d) => !d?.data)) return undefined;
    return docs.map((d) => Buffer.from(d!.data!.buffer));
  }

  async readSnapshot(): Promise<StoredSnapshot | undefined> {
    const head = await this.getMeta<SnapshotHead>('snapshot');
    if (!head) return undefined;
    const [ended, tasks] = await Promise.all([
      this.parts(head.id, 'ended', head.parts.ended),
      this.parts(head.id, 'tasks', head.parts.tasks),
    ]);
    return ended && tasks ? { head, ended, tasks } : undefined;
  }

  async writeSnapshot(head: SnapshotHead, ended: Buffer[], tasks: Buffer[]): Promise<void> {
    const previous = await this.getMeta<SnapshotHead>('snapshot');
    const docs = [
      ...ended.map((b, n) => ({ _id: `snap:${head.id}:ended:${n}`, data: new Binary(b) })),
      ...tasks.map((b, n) => ({ _id: `snap:${head.id}:tasks:${n}`, data: new Binary(b) })),
    ];
    // a part left by a snapshot that a crash cut off has the same id: replaced
    await this.deleteIds(docs.map((d) => d._id));
    for (const d of docs) await this.models.insertOne(d as never);
    await this.setMeta('snapshot', head);
    if (!previous || previous.id === head.id) return;
    const stale = [
      ...Array.from({ length: previous.parts.ended }, (_, n) => `snap:${previous.id}:ended:${n}`),
      ...Array.from({ length: previous.parts.tasks }, (_, n) => `snap:${previous.id}:tasks:${n}`),
    ];
    for (let gen = previous.replayFrom; gen < head.replayFrom; gen++)
      stale.push(`touched:ended:${gen}`, `touched:tasks:${gen}`);
    await this.deleteIds(stale);
  }

  /** Deletes by exact `_id`, one statement each (`$in` would make FerretDB read every day bucket). */
  private async deleteIds(ids: string[]): Promise<void> {
    for (const _id of ids) await this.lane.run(() => this.models.deleteOne({ _id } as never));
  }

  async addTrail(additions: TrailAddition[]): Promise<void> {
    const ops = additions
      .map((a) => {
        const add: Record<string, { $each: unknown[] }> = {};
        if (a.audit?.length) add.audit = { $each: a.audit };
        if (a.tasks?.length) add.tasks = { $each: a.tasks };
        if (a.comments?.length) add.comments = { $each: a.comments };
        return Object.keys(add).length
          ? {
              updateOne: {
                filter: { _id: a.instanceId } as never,
                update: { $addToSet: add } as never,
                upsert: true,
              },
            }
          : undefined;
      })
      .filter((op) => op !== undefined);
    if (!ops.length) return;
    await this.lane.run(() => this.trails.bulkWrite(ops, { ordered: false }));
  }

  async trail(instanceId: string): Promise<InstanceTrail | undefined> {
    const d = (await this.trails.findOne({ _id: instanceId } as never)) as TrailDoc | null;
    return d ? { audit: d.audit ?? [], tasks: d.tasks ?? [], comments: d.comments ?? [] } : undefined;
  }

  async readTaskHistory(ids: string[]): Promise<TaskHistoryRecord[]> {
    const docs = await mapLimit(
      ids,
      16,
      async (id) => (await this.taskHistory.findOne({ _id: id } as never)) as { record?: string } | null,
    );
    return docs.flatMap((d) => (d?.record ? [JSON.parse(d.record) as TaskHistoryRecord] : []));
  }

  async readAudit(seqs: number[]): Promise<AuditEvent[]> {
    return inOrderOf(seqs, await findByIds<AuditDoc>(this.audit, seqs)).map(auditFromDoc);
  }

  async auditKeysAfter(after: number): Promise<string[]> {
    const keys: string[] = [];
    for (let from = after + 1; ; from += 64) {
      const docs = await mapLimit(
        Array.from({ length: 64 }, (_, i) => from + i),
        16,
        async (seq) =>
          (await this.audit.findOne({ _id: seq } as never, { projection: { cmd: 1 } })) as {
            cmd?: string;
          } | null,
      );
      for (const d of docs) {
        // the chain has no gaps: the first seq missing is its end
        if (!d) return keys;
        if (d.cmd) keys.push(d.cmd);
      }
    }
  }

  /** Every audit entry in the order the database keeps them (no sort: FerretDB would sort all in memory). */
  async *scanAudit(): AsyncIterable<AuditEvent> {
    const cursor = this.audit.find({}).batchSize(2000);
    for await (const d of cursor) yield auditFromDoc(d as unknown as AuditDoc);
  }

  async getMeta<T extends object>(id: string): Promise<T | undefined> {
    const d = (await this.models.findOne({ _id: `meta:${id}` } as never)) as { value?: T } | null;
    return d?.value;
  }

  async setMeta(id: string, value: object): Promise<void> {
    await this.lane.run(() =>
      this.models.replaceOne({ _id: `meta:${id}` } as never, { value } as never, { upsert: true }),
    );
  }
}
