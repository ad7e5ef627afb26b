/**
 * What the runtime needs from persistence, as plain records. `server/persistence/runtime-stores.ts`
 * implements it on mongoose; the engine never imports the database driver.
 */
import type {
  AuditEvent,
  DefinitionSummary,
  InstanceFilter,
  InstanceSummary,
  Page,
  TaskFilter,
  TaskHistoryRecord,
  TaskRecord,
} from './types.js';
import type { SubscriptionStore } from './correlation.js';
import type { AuditCarrier, AuditDraft, CarriedAudit } from './audit-chain.js';

export interface DefinitionRecord extends DefinitionSummary {
  xml: string;
  /** Task and start forms deployed with this version (form key → JSON Schema); absent when none. */
  forms?: Record<string, Record<string, unknown>>;
}

/** A durable timer (or, later, a retry): the scheduler resumes the instance at `dueAt`. */
export interface JobRecord {
  /** `<instanceId>:<executionId>` */
  id: string;
  instanceId: string;
  elementId: string;
  executionId: string;
  type: 'timer';
  dueAt: string;
  /** The timer definition as the engine reported it (timeDuration/timeDate/timeCycle, repeat). */
  timer?: Record<string, unknown>;
}

/** The checkpoint document of an instance: the wire summary plus what only the engine needs. */
export interface InstanceRecord extends InstanceSummary {
  /** Checkpoint counter; every write is guarded by the previous value. */
  rev: number;
  /** JSON of the engine's getState() without the embedded source; absent before the first checkpoint. */
  state?: string;
  /** The start request's variables, to re-run a start that failed before its first wait. */
  startVariables?: Record<string, unknown>;
  /** Open tasks and jobs as of this checkpoint: the truth the `tasks`/`jobs` collections are repaired from. */
  openTasks: TaskRecord[];
  jobs: JobRecord[];
  /** Service executions in flight at this checkpoint: startup recovery resumes these instances. */
  inFlight: string[];
  /** Tasks ended by this checkpoint's command, written to task history when materialising. */
  pendingHistory: TaskHistoryRecord[];
  /**
   * The audit entries of the command that wrote this checkpoint (its identity: `id` + `rev`), carried by the
   * checkpoint itself so that a crash before they reach the chain cannot lose them: startup recovery appends
   * the ones the chain lacks. The next command's checkpoint carries them on while they are not yet in.
   */
  auditDrafts?: AuditDraft[];
  /** The audit writer's last seq when this checkpoint was built: the command's entries all come after it. */
  auditAfterSeq?: number;
  /**
   * The audit entries of earlier commands of this instance that were not yet in the chain when this
   * checkpoint was written (their records follow behind the commands): crash repair appends them from here.
   */
  carriedAudit?: CarriedAudit[];
}

/** Whether the last run shut down cleanly, and what it left in flight (`runtime_meta`). */
export interface RuntimeMeta {
  clean: boolean;
  startedAt?: string;
  /** Instances with a service call in flight at the clean shutdown. */
  resume?: string[];
  /**
   * The audit seq when this run began writing: commands checkpointed in earlier runs were reconciled (or shut
   * down cleanly), so after a crash only checkpoints with `auditAfterSeq >= auditFloor` can lack audit entries.
   */
  auditFloor?: number;
  /**
   * Every active copy whose instance also has a history copy is an ended one (its checkpoint is written to
   * the active copy before the history insert; a clean stop or a full crash repair leaves no such pair). Then
   * crash repair looks up history only for active copies that ended, not for every active instance.
   */
  endedFirst?: boolean;
}

export interface DefinitionStore {
  /**
   * `audit`: the deployment's audit entries as a checkpoint of rev 0, kept on the record so that a kill
   * between the insert and their append cannot lose them (see `auditCarriersSince`).
   */
  insert(def: DefinitionRecord, audit?: AuditCarrier): Promise<void>;
  /** Deployments whose audit entries were to follow `seq`, as checkpoints of rev 0 (crash repair). */
  auditCarriersSince(seq: number): Promise<AuditCarrier[]>;
  get(key: string, version: number): Promise<DefinitionRecord | undefined>;
  latest(key: string): Promise<DefinitionRecord | undefined>;
  /** Latest version of every key. */
  listLatest(): Promise<DefinitionSummary[]>;
  versions(key: string): Promise<DefinitionSummary[]>;
}

/**
 * Instances. Active ones (running, suspended, failed) live in a small, hot collection; an instance that ends
 * moves to an insert-only history collection. (FerretDB's SQLite update and delete scan the whole table, so
 * only small collections may be updated; inserts and `_id` reads stay cheap at any size.)
 */
export interface InstanceStore {
  /** Writes a new instance (rev 0). False when the id exists. */
  insert(doc: InstanceRecord): Promise<boolean>;
  get(id: string): Promise<InstanceRecord | undefined>;
  list(filter: InstanceFilter): Promise<Page<InstanceRecord>>;
  /**
   * Active instances (all, or only those with a service call in flight); `withoutState`: without their engine
   * state (for readers that only list, count or reconcile them).
   */
  active(options?: { inFlightOnly?: boolean; withoutState?: boolean }): Promise<InstanceRecord[]>;
  /** Ended instances by id (history); `withoutState` as for `active`. */
  ended(id: string, options?: { withoutState?: boolean }): Promise<InstanceRecord | undefined>;
  /** Ended instances by id, in one read (`_id` `$in`); ids not in history are left out. */
  endedMany(ids: readonly string[], options?: { withoutState?: boolean }): Promise<InstanceRecord[]>;
  /** Drops the active copy of an instance whose ended record is already in history (crash repair). */
  removeActive(id: string): Promise<void>;
}

/** One command's durable effects: the instance checkpoint and its materialised tasks and task history. */
export interface CheckpointUnit {
  instance: InstanceRecord;
  /** The rev the stored instance must still have; -1 for a new instance. */
  expectedRev: number;
  taskInserts: TaskRecord[];
  taskReplaces: TaskRecord[];
  taskRemoves: string[];
  history: TaskHistoryRecord[];
}

/**
 * Group commit of checkpoints, in two steps. `write` makes the instance documents durable (new ones inserted,
 * active ones replaced, ended ones inserted into history) and says per unit whether it was written; false
 * when its rev guard failed, and then nothing of it is written. `materialise` then brings the records derived
 * from written checkpoints in line: open tasks, task history, the audit entries (`appendAudit`) and, only
 * after those, the removal of the active copies of instances that ended (a crash before that leaves the
 * instance where startup recovery looks, with its ended record in history). Everything `materialise` writes
 * is idempotent and can be rebuilt from the checkpoints, so it may run behind the commands.
 */
export interface CheckpointStore {
  write(units: CheckpointUnit[]): Promise<boolean[]>;
  materialise(units: CheckpointUnit[], appendAudit: () => Promise<unknown>): Promise<void>;
}

export interface RuntimeMetaStore {
  get(): Promise<RuntimeMeta | undefined>;
  set(meta: RuntimeMeta): Promise<void>;
}

export interface TaskStore {
  get(id: string): Promise<TaskRecord | undefined>;
  list(filter: TaskFilter): Promise<Page<TaskRecord>>;
  byInstance(instanceId: string): Promise<TaskRecord[]>;
  /** Every open task (startup reconciliation). */
  all(): Promise<TaskRecord[]>;
  /** New tasks (an id already there is left as it is). */
  insert(tasks: TaskRecord[]): Promise<void>;
  /** Changed tasks (claim, assign). */
  upsert(tasks: TaskRecord[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
}

export interface TaskHistoryStore {
  /** Idempotent by task id (a record already there is kept). */
  insert(recs: TaskHistoryRecord[]): Promise<void>;
  byInstance(instanceId: string): Promise<TaskHistoryRecord[]>;
}

export interface JobStore {
  upsert(jobs: JobRecord[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /**
   * Jobs that a durable checkpoint no longer lists (fired, or their element left): gone from `due` at once,
   * deleted from the collection behind, with the next writes. A row that a crash leaves behind is harmless:
   * its firing finds the job missing from the checkpoint and drops it. Resolves once the delete is durable;
   * callers need not wait for it.
   */
  retire(ids: string[]): Promise<void>;
  /**
   * Jobs due by `before`, earliest first; `skip` pages past jobs the scheduler is holding back. The jobs may
   * be the store's own frozen objects: read them, never change them.
   */
  due(before: string, limit: number, skip?: number): Promise<readonly JobRecord[]>;
  byInstance(instanceId: string): Promise<JobRecord[]>;
}

export interface AuditStore {
  /** The newest entry (highest seq), for continuing the chain. */
  last(): Promise<AuditEvent | undefined>;
  /**
   * Appends in seq order; `_id` = seq, so a second writer of the same seq fails. `keys[i]` (stored beside
   * the entry, outside its hash) names the command draft it came from: `<instanceId>/<rev>/<index>`.
   */
  insertMany(events: AuditEvent[], keys?: (string | undefined)[]): Promise<void>;
  /** The command keys of the entries with seq > `after` (crash recovery; an `_id` range read). */
  keysAfter(after: number): Promise<string[]>;
  byInstance(instanceId: string): Promise<AuditEvent[]>;
  /** Entries with seq > `after`, oldest first. */
  page(after: number, limit: number): Promise<AuditEvent[]>;
  /** Every entry in seq order, streamed (one query: FerretDB filters only `_id` equality in SQL). */
  scan(): AsyncIterable<AuditEvent>;
}

export interface CounterStore {
  next(name: string): Promise<number>;
}

export interface ServiceCallRecord {
  /** `<instanceId>:<executionId>` */
  id: string;
  service: string;
  result: Record<string, unknown>;
  at: string;
}

export interface ServiceCallStore {
  get(id: string): Promise<ServiceCallRecord | undefined>;
  put(rec: ServiceCallRecord): Promise<void>;
}

export interface RuntimeStores {
  definitions: DefinitionStore;
  instances: InstanceStore;
  tasks: TaskStore;
  taskHistory: TaskHistoryStore;
  jobs: JobStore;
  audit: AuditStore;
  counters: CounterStore;
  serviceCalls: ServiceCallStore;
  /** Message and signal waits, and the outbox of messages thrown inside processes. */
  subscriptions: SubscriptionStore;
  /** Clean-shutdown marker for startup recovery. */
  meta: RuntimeMetaStore;
  /** Batched checkpoint writes (the hot path). */
  checkpoints: CheckpointStore;
}
