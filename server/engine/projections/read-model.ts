import { log } from '../../logger.js';
import type { InstanceRecord } from '../stores.js';
import type { I18nText, TaskRecord } from '../types.js';
import type { Metrics } from '../../../schemas/events.js';
import { entryOf, isEnded, storedEntry, type InstanceEntry } from './instance-entry.js';
import { InstanceIndex, type InstanceQuery } from './instance-index.js';
import { computeFigures, type GroupInfo } from './leadership-figures.js';
import type { ProjectionStore, SnapshotHead } from './projection-store.js';
import { decodeParts, encodeParts, PART_FORMAT } from './snapshot-codec.js';
import { TaskFacts, type TaskFact } from './task-facts.js';

/** Ended instances and task facts since the last snapshot that make the next one worth writing. */
const SNAPSHOT_AFTER = 2000;
/** How often a running server checks whether a snapshot is due. */
const SNAPSHOT_CHECK_MS = 5 * 60_000;

/** Where the read model loads what is running and the process names from. */
export interface ReadModelSource {
  /** Active instances (running, suspended, failed): the small runtime collection. */
  active(): Promise<InstanceRecord[]>;
  /** The latest name of every process key. */
  processNames(): Promise<{ key: string; name: I18nText }[]>;
  /** The open tasks (the inbox's mirror), read only. */
  openTasks(): Promise<readonly TaskRecord[]>;
}

/**
 * The projections the server keeps in memory for reads a person waits for: every instance (searchable, see
 * `InstanceIndex`) and the facts of every ended task (dashboard figures). Loaded once, in the background, from
 * documents read by `_id` (ended instances and task facts, bucketed by day) and from the active instances;
 * kept exact by applying every durable checkpoint and every written task history record. Reads wait for the
 * load: instance searches for the instance index (`instancesReady`), the figures for the task facts too, which
 * load after it; writes apply at once (the index's `supersedes` and the facts' once-only rule make the order
 * moot).
 */
export class ReadModel {
  readonly index: InstanceIndex;
  readonly facts = new TaskFacts();
  private readonly names = new Map<string, I18nText>();
  private loading: Promise<void> | undefined;
  private instancesLoading: Promise<void> | undefined;
  /** Milliseconds the last load took, and what it loaded (for the log and the bench). */
  loadStats:
    | {
        ms: number;
        instances: number;
        facts: number;
        from: 'snapshot' | 'buckets';
        tailDays?: number;
        /** When each step ended, in ms from the load's start. */
        steps?: Record<string, number>;
      }
    | undefined;
  private head: SnapshotHead | undefined;
  private snapshotting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Ended instances and task facts applied since the last snapshot (or the load). */
  private sinceSnapshot = 0;

  constructor(
    private readonly store: ProjectionStore,
    private readonly source: ReadModelSource,
  ) {
    this.index = new InstanceIndex((key) => this.names.get(key));
  }

  /** Loads once (again after a failed load); resolves when reads may use every projection. */
  ready(): Promise<void> {
    if (!this.loading) {
      let instancesIn!: () => void;
      const instances = new Promise<void>((resolve) => (instancesIn = resolve));
      const load = this.load(instancesIn).catch((err: unknown) => {
        this.loading = undefined;
        this.instancesLoading = undefined;
        throw err;
      });
      this.loading = load;
      // a load that fails before the instances are in fails their readers too
      this.instancesLoading = Promise.race([instances, load]);
      this.instancesLoading.catch(() => undefined);
    }
    return this.loading;
  }

  /**
   * Resolves once the instance index is loaded (starting the load if need be): instance searches wait for this
   * only, not for the task facts that the dashboard figures need, which load after it (300,000 facts at ten
   * years of history, about as long to decode again).
   */
  instancesReady(): Promise<void> {
    this.ready().catch(() => undefined);
    return this.instancesLoading!;
  }

  /**
   * From the last snapshot and the day buckets its tail touched (a few `_id` reads), else from every day
   * bucket (a database without a snapshot yet: one is taken right after); then the active instances.
   */
  private async load(instancesIn: () => void): Promise<void> {
    const t0 = Date.now();
    const steps: Record<string, number> = {};
    const step = (name: string) => (steps[name] = Date.now() - t0);
    const activeRead = this.source.active().finally(() => step('activeRead'));
    // the open tasks the dashboard counts load after the active instances (not waited for: searches need
    // none); read beside them, both full reads shared the database's CPU and searches waited longer
    void activeRead.finally(() => this.source.openTasks().catch(() => undefined)).catch(() => undefined);
    const namesRead = this.source.processNames();
    activeRead.catch(() => undefined);
    namesRead.catch(() => undefined);
    // the snapshot is decoded while the active instances are still being read: the instances first, so that
    // searches can start before the task facts are in
    const snap = await this.store.readSnapshot().finally(() => step('snapshotRead'));
    const entries: InstanceEntry[] = [];
    let tailDays: number | undefined;
    let factsRead: Promise<TaskFact[]>;
    if (snap) {
      this.head = snap.head;
      for (const e of await decodeParts<InstanceEntry>(snap.ended)) entries.push(e);
      step('snapshotInstancesDecoded');
      // the tail: every day a bucket write named since the snapshot's generation, read whole
      const touched = await this.store.touchedSince(snap.head.replayFrom);
      const factsTail = this.store.loadFactsDays(touched.tasks);
      factsTail.catch(() => undefined);
      const endedTail = await this.store.loadEndedDays(touched.ended);
      for (const e of endedTail) entries.push(e);
      this.sinceSnapshot += endedTail.length;
      tailDays = touched.ended.length + touched.tasks.length;
      step('instancesTailRead');
      factsRead = (async () => {
        const all = await decodeParts<TaskFact>(snap.tasks);
        const tail = await factsTail;
        for (const f of tail) all.push(f);
        this.sinceSnapshot += tail.length;
        return all;
      })();
    } else {
      const [ended, loaded] = await Promise.all([this.store.loadEnded(), this.store.loadFacts()]);
      // a loop, not a spread: every bucket's entries are too many for one call's arguments
      for (const e of ended) entries.push(e);
      factsRead = Promise.resolve(loaded);
    }
    factsRead.catch(() => undefined);
    const [active, names] = await Promise.all([activeRead, namesRead]);
    for (const n of names) this.names.set(n.key, n.name);
    // everything in one go: one sort of each order instead of an insert per active instance
    for (const rec of active) entries.push(entryOf(rec));
    this.index.applyMany(entries);
    step('instancesApplied');
    instancesIn();
    this.facts.applyMany(await factsRead);
    step('applied');
    this.loadStats = {
      ms: Date.now() - t0,
      instances: this.index.size,
      facts: this.facts.size,
      from: snap ? 'snapshot' : 'buckets',
      ...(tailDays === undefined ? {} : { tailDays }),
      steps,
    };
    log.info('read model loaded', this.loadStats);
    // a long tail (or none at all) is folded into a new snapshot, so the next start reads little; a snapshot
    // of an older format is written again in the current one (read faster)
    if (!snap || this.sinceSnapshot >= SNAPSHOT_AFTER || (snap.head.format ?? 1) < PART_FORMAT)
      void this.snapshot().catch((err: unknown) =>
        log.warn('read model snapshot not written', { error: String(err) }),
      );
  }

  /**
   * Writes the ended instances and task facts as a compact snapshot (compressed parts read by `_id`), so that
   * a start reads it and the tail after it instead of every day bucket. The generation of touched days moves
   * on first: whatever a write in flight adds is in the tail the next load replays.
   */
  snapshot(): Promise<void> {
    return (this.snapshotting ??= (async () => {
      await this.ready();
      const t0 = Date.now();
      const replayFrom = await this.store.nextGeneration();
      this.sinceSnapshot = 0;
      const ended = this.index.endedInOrder().map(storedEntry);
      const facts = [...this.facts.all()];
      const [endedParts, taskParts] = [await encodeParts(ended), await encodeParts(facts)];
      const head: SnapshotHead = {
        id: (this.head?.id ?? 0) + 1,
        parts: { ended: endedParts.length, tasks: taskParts.length },
        replayFrom,
        format: PART_FORMAT,
        at: new Date().toISOString(),
        instances: ended.length,
        facts: facts.length,
      };
      await this.store.writeSnapshot(head, endedParts, taskParts);
      this.head = head;
      const bytes = [...endedParts, ...taskParts].reduce((n, b) => n + b.length, 0);
      log.info('read model snapshot written', { ms: Date.now() - t0, ...head.parts, bytes });
    })().finally(() => (this.snapshotting = undefined)));
  }

  /** Takes a snapshot when enough has changed since the last one (called now and then, and at a clean stop). */
  async snapshotIfDue(min = SNAPSHOT_AFTER): Promise<void> {
    if (this.loading && this.loadStats && this.sinceSnapshot >= min) await this.snapshot();
  }

  /** Checks every `ms` whether a snapshot is due, until `close`. */
  snapshotEvery(ms = SNAPSHOT_CHECK_MS): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.snapshotIfDue().catch((err: unknown) =>
        log.warn('read model snapshot not written', { error: String(err) }),
      );
    }, ms);
    this.timer.unref();
  }

  /** At a clean stop: the snapshot if one is due (so that the next start reads little), then no more. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.snapshotting?.catch(() => undefined);
    await this.snapshotIfDue();
  }

  /** Applies durable instance records (checkpoints, moves to history). */
  applyRecords(recs: readonly InstanceRecord[]): void {
    for (const rec of recs) this.applyEntry(entryOf(rec));
  }

  applyEntry(e: InstanceEntry): void {
    if (this.index.apply(e) && isEnded(e.status)) this.sinceSnapshot++;
    if (!this.names.has(e.key)) void this.refreshNames();
  }

  applyFacts(facts: readonly TaskFact[]): void {
    for (const f of facts) if (this.facts.apply(f)) this.sinceSnapshot++;
  }

  /** Process names may have changed (a deployment): read again once the load (which read them) is done. */
  namesChanged(): void {
    void (this.loading ?? Promise.resolve()).then(
      () => this.refreshNames(),
      () => undefined,
    );
  }

  private refreshing: Promise<void> | undefined;
  private refreshNames(): Promise<void> {
    return (this.refreshing ??= this.source
      .processNames()
      .then((names) => {
        for (const n of names) this.names.set(n.key, n.name);
      })
      .catch((err: unknown) => log.warn('read model: process names not read', { error: String(err) }))
      .finally(() => (this.refreshing = undefined)));
  }

  /** A page of instances matching `q`, once the instance index is loaded. */
  async search(q: InstanceQuery) {
    await this.instancesReady();
    return this.index.search(q);
  }

  /** The dashboard figures, once the projections are loaded. */
  async figures(input: {
    group(id: string): GroupInfo | undefined;
    from: string;
    to: string;
    key?: string;
    now: Date;
  }): Promise<Metrics> {
    await this.ready();
    const openTasks = await this.source.openTasks();
    return computeFigures({ ...input, openTasks, index: this.index, facts: this.facts });
  }
}
