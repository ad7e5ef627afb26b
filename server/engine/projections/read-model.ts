import { log } from '../../logger.js';
import type { InstanceRecord } from '../stores.js';
import type { I18nText, TaskRecord } from '../types.js';
import type { Metrics } from '../../../schemas/events.js';
import { entryOf, type InstanceEntry } from './instance-entry.js';
import { InstanceIndex, type InstanceQuery } from './instance-index.js';
import { computeFigures, type GroupInfo } from './leadership-figures.js';
import type { ProjectionStore } from './projection-store.js';
import { TaskFacts, type TaskFact } from './task-facts.js';

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
 * load; writes apply at once (the index's `supersedes` and the facts' once-only rule make the order moot).
 */
export class ReadModel {
  readonly index: InstanceIndex;
  readonly facts = new TaskFacts();
  private readonly names = new Map<string, I18nText>();
  private loading: Promise<void> | undefined;
  /** Milliseconds the last load took, and what it loaded (for the log and the bench). */
  loadStats: { ms: number; instances: number; facts: number } | undefined;

  constructor(
    private readonly store: ProjectionStore,
    private readonly source: ReadModelSource,
  ) {
    this.index = new InstanceIndex((key) => this.names.get(key));
  }

  /** Loads once (again after a failed load); resolves when reads may use the projections. */
  ready(): Promise<void> {
    return (this.loading ??= this.load().catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    }));
  }

  private async load(): Promise<void> {
    const t0 = Date.now();
    const [ended, facts, active, names] = await Promise.all([
      this.store.loadEnded(),
      this.store.loadFacts(),
      this.source.active(),
      this.source.processNames(),
    ]);
    for (const n of names) this.names.set(n.key, n.name);
    for (const e of ended) this.index.apply(e);
    for (const rec of active) this.index.apply(entryOf(rec));
    for (const f of facts) this.facts.apply(f);
    this.loadStats = { ms: Date.now() - t0, instances: this.index.size, facts: this.facts.size };
    log.info('read model loaded', this.loadStats);
  }

  /** Applies durable instance records (checkpoints, moves to history). */
  applyRecords(recs: readonly InstanceRecord[]): void {
    for (const rec of recs) this.applyEntry(entryOf(rec));
  }

  applyEntry(e: InstanceEntry): void {
    this.index.apply(e);
    if (!this.names.has(e.key)) void this.refreshNames();
  }

  applyFacts(facts: readonly TaskFact[]): void {
    for (const f of facts) this.facts.apply(f);
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

  /** A page of instances matching `q`, once the projections are loaded. */
  async search(q: InstanceQuery) {
    await this.ready();
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
