import type {
  AuditStore,
  CheckpointStore,
  CheckpointUnit,
  InstanceRecord,
  InstanceStore,
  RuntimeStores,
  TaskHistoryStore,
} from '../stores.js';
import type { AuditEvent, InstanceFilter, Page, TaskHistoryRecord, TaskRecord } from '../types.js';
import { entryOf, isEnded, storedEntry } from './instance-entry.js';
import type { InstanceQuery } from './instance-index.js';
import type { ProjectionStore, TrailAddition } from './projection-store.js';
import { ReadModel } from './read-model.js';
import { factOf } from './task-facts.js';

/** The audit chain's end as last written (`getMeta('audit-head')`); entries after it are found by probing. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** How often the chain's head document is written at most (see `audit.last`). */
const HEAD_EVERY_MS = 1000;

/** Trail additions of task history records, one per instance. */
function taskTrails(recs: readonly TaskHistoryRecord[]): TrailAddition[] {
  const by = new Map<string, string[]>();
  for (const h of recs) by.set(h.instanceId, [...(by.get(h.instanceId) ?? []), h.id]);
  return [...by].map(([instanceId, tasks]) => ({ instanceId, tasks }));
}

function byEndThenId(a: TaskHistoryRecord, b: TaskHistoryRecord): number {
  return a.endedAt < b.endedAt ? -1 : a.endedAt > b.endedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** An instance store without searches: `withProjections` answers them from the instance index. */
export type InstanceRecordStore = Omit<InstanceStore, 'list'>;

/** The runtime's stores as the database keeps them, before `withProjections`. */
export type RecordStores = Omit<RuntimeStores, 'instances'> & { instances: InstanceRecordStore };

/**
 * The runtime's stores with the projections kept in the same writes: every store the runtime writes derived
 * records through is wrapped, so that the live path (checkpoint batches) and the crash-repair path (startup
 * reconciliation) both keep them, and the runtime itself needs no change. Reads that used to scan history
 * (instance lists, an instance's task history and audit trail, the chain's end) go to the projections.
 */
export function withProjections(
  inner: RecordStores,
  store: ProjectionStore,
  openTasks: () => Promise<readonly TaskRecord[]> = () => inner.tasks.all(),
): { stores: RuntimeStores; readModel: ReadModel } {
  // the active instances (without engine state) as the read model's load read them: the start-up's crash
  // repair takes the same read instead of a second one, unless an instance was written through these stores
  // since (then it reads again); one server owns the database, so nothing else writes meanwhile
  let loadRead: Promise<InstanceRecord[]> | undefined;
  const written = () => (loadRead = undefined);
  const readModel = new ReadModel(store, {
    openTasks,
    active: () => (loadRead = inner.instances.active({ withoutState: true })),
    processNames: async () =>
      (await inner.definitions.listLatest()).map((d) => ({ key: d.key, name: d.name })),
  });

  /** Writes ended entries (their day buckets) and applies them. */
  async function ended(recs: InstanceRecord[]): Promise<void> {
    const entries = recs.filter((r) => isEnded(r.status)).map(entryOf);
    if (!entries.length) return;
    await store.addEnded(entries.map(storedEntry));
    for (const e of entries) readModel.applyEntry(e);
  }

  /** Task history with its trail and facts: trail and facts first (idempotent), then the records. */
  async function history(recs: TaskHistoryRecord[], write: () => Promise<unknown>): Promise<void> {
    if (!recs.length) {
      await write();
      return;
    }
    const facts = recs.map(factOf);
    await Promise.all([store.addTrail(taskTrails(recs)), store.addFacts(facts)]);
    await write();
    readModel.applyFacts(facts);
  }

  const instances: InstanceStore = {
    insert: async (rec) => {
      written();
      const ok = await inner.instances.insert(rec);
      if (ok) readModel.applyRecords([rec]);
      return ok;
    },
    get: (id) => inner.instances.get(id),
    ended: (id, options) => inner.instances.ended(id, options),
    endedMany: (ids, options) => inner.instances.endedMany(ids, options),
    async removeActive(id) {
      written();
      // crash repair of an instance that ended: its bucket entry before its active copy goes
      const rec = await inner.instances.ended(id);
      if (rec) await ended([rec]);
      await inner.instances.removeActive(id);
    },
    async active(options) {
      const shared = options?.withoutState && !options.inFlightOnly ? loadRead : undefined;
      loadRead = undefined;
      const recs = (await shared?.catch(() => undefined)) ?? (await inner.instances.active(options));
      if (!options?.inFlightOnly) readModel.applyRecords(recs);
      return recs;
    },
    async list(filter: InstanceFilter): Promise<Page<InstanceRecord>> {
      const page = await readModel.search(filter as InstanceQuery);
      // a page shows summaries: the ended ones are read without their engine state, all in one read
      const endedIds = page.items.filter((e) => !e.record).map((e) => e.id);
      const ended = new Map(
        (await inner.instances.endedMany(endedIds, { withoutState: true })).map((r) => [r.id, r]),
      );
      const items = page.items.map((e) => e.record ?? ended.get(e.id));
      return { ...page, items: items.filter((r): r is InstanceRecord => !!r) };
    },
  };

  const checkpoints: CheckpointStore = {
    async write(units) {
      written();
      const ok = await inner.checkpoints.write(units);
      readModel.applyRecords(units.filter((_, i) => ok[i]).map((u) => u.instance));
      return ok;
    },
    materialise(units: CheckpointUnit[], appendAudit) {
      written();
      const recs = units.flatMap((u) => u.history);
      return history(recs, () =>
        // the ended instances' bucket entries after their audit entries, before their active copies go
        inner.checkpoints.materialise(units, async () => {
          await appendAudit();
          await ended(units.map((u) => u.instance));
        }),
      );
    },
  };

  const taskHistory: TaskHistoryStore = {
    insert: (recs) => history(recs, () => inner.taskHistory.insert(recs)),
    async byInstance(instanceId) {
      const trail = await store.trail(instanceId);
      if (!trail) return [];
      const recs = await store.readTaskHistory(trail.tasks);
      return recs.filter((h) => h.instanceId === instanceId).sort(byEndThenId);
    },
  };

  /** `performance.now()` of the last head write (monotonic: a faked `Date` does not stop it). */
  let headWrittenAt = -Infinity;
  const audit: AuditStore = {
    ...bind(inner.audit),
    async insertMany(events: AuditEvent[], keys?: (string | undefined)[]) {
      if (!events.length) return;
      // the trail first: an entry in the chain is always reachable from its instance (a trail seq whose
      // entry never got in, or later belongs to another instance, is left out when read)
      const by = new Map<string, number[]>();
      for (const e of events)
        if (e.instanceId) by.set(e.instanceId, [...(by.get(e.instanceId) ?? []), e.seq]);
      await store.addTrail([...by].map(([instanceId, audit]) => ({ instanceId, audit })));
      await inner.audit.insertMany(events, keys);
      // the head is a place to start looking from (`last` gallops on from it), so once a second is enough:
      // one statement per batch of entries was a tenth of the database's statements during a burst of timers
      const now = performance.now();
      if (now - headWrittenAt >= HEAD_EVERY_MS) {
        headWrittenAt = now;
        const last = events[events.length - 1]!;
        await store.setMeta('audit-head', { seq: last.seq, hash: last.hash } satisfies AuditHead);
      }
    },
    // crash repair's look at the chain's tail: `_id` reads from `after` on, not a range that FerretDB scans
    keysAfter: (after) => store.auditKeysAfter(after),
    async byInstance(instanceId) {
      const trail = await store.trail(instanceId);
      if (!trail) return [];
      const events = await store.readAudit(trail.audit);
      return events.filter((e) => e.instanceId === instanceId).sort((a, b) => a.seq - b.seq);
    },
    async last() {
      // the head document lags the chain by up to a second of entries (and a kill between the writes): the
      // chain has no gaps, so its end is the first seq missing after the head, found by galloping on from
      // the head and then halving (about 2·log2(lag) reads by `_id`)
      const head = await store.getMeta<AuditHead>('audit-head');
      if (!head) return inner.audit.last();
      const [atHead] = await store.readAudit([head.seq]);
      if (!atHead) return inner.audit.last();
      const stored = async (seq: number) => (await store.readAudit([seq])).length > 0;
      let present = head.seq;
      let missing = head.seq + 1;
      for (let step = 1; await stored(missing); step *= 2) {
        present = missing;
        missing = present + step;
      }
      while (missing - present > 1) {
        const mid = Math.floor((present + missing) / 2);
        if (await stored(mid)) present = mid;
        else missing = mid;
      }
      if (present === head.seq) return atHead;
      const [end] = await store.readAudit([present]);
      return end ?? inner.audit.last();
    },
  };

  return {
    stores: { ...inner, instances, checkpoints, taskHistory, audit },
    readModel,
  };
}

/** The store's methods bound to it (to spread into a wrapper). */
function bind(s: AuditStore): AuditStore {
  return {
    last: () => s.last(),
    insertMany: (e, k) => s.insertMany(e, k),
    keysAfter: (a) => s.keysAfter(a),
    byInstance: (id) => s.byInstance(id),
    page: (a, l) => s.page(a, l),
    scan: () => s.scan(),
  };
}
