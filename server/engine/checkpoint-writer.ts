import { AppError } from '../app-error.js';
import type { AuditDraft, AuditWriter } from './audit-chain.js';
import type { CheckpointBatcher } from './checkpoint-batcher.js';
import type { Clock } from './clock.js';
import { diffById } from './diff-by-id.js';
import type { RuntimeHooks } from './hooks.js';
import type { Live } from './live.js';
import type { LiveEngines } from './live-engines.js';
import type { InstanceRecord, JobRecord, RuntimeMeta, RuntimeStores } from './stores.js';
import type { TaskRecord } from './types.js';

export interface CheckpointWriterOptions {
  stores: RuntimeStores;
  audit: AuditWriter;
  batcher: CheckpointBatcher;
  engines: LiveEngines;
  hooks: RuntimeHooks;
  clock: Clock;
}

/**
 * Persists checkpoints: the rev-guarded instance document with its open tasks, task history and audit entries
 * (group-committed by the batcher), then jobs and what features materialise; and the unclean-run marker that
 * makes the next start reconcile after a crash.
 */
export class CheckpointWriter {
  private markedRunning: Promise<void> | undefined;
  /** The meta the last run left, as `markRunning` found it before start-up recovery (`null`: there was none). */
  private leftByLastRun: RuntimeMeta | null | undefined;
  /** True once startup recovery has appended the audit entries a crash cut off. */
  private auditReconciled = false;
  /** Instances whose last checkpoint write failed: its audit entries may be missing. */
  private readonly auditPending = new Set<string>();
  /** Deletes of retired jobs on their way (see `syncJobs`). */
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly options: CheckpointWriterOptions) {}

  /** Startup recovery appended what a crash cut off: a later `markRunning` keeps this run's own floor. */
  markReconciled(): void {
    this.auditReconciled = true;
  }

  isAuditPending(instanceId: string): boolean {
    return this.auditPending.has(instanceId);
  }

  get auditPendingIds(): string[] {
    return [...this.auditPending];
  }

  clearAuditPending(): void {
    this.auditPending.clear();
  }

  /**
   * How the last run ended (`runtime_meta` as it left it), also when this run marked itself running before
   * start-up recovery read it (a process deployed at start): that mark must not pass a clean stop for a crash.
   */
  async metaLeftByLastRun(): Promise<RuntimeMeta | undefined> {
    await this.markedRunning?.catch(() => undefined);
    if (this.leftByLastRun !== undefined) return this.leftByLastRun ?? undefined;
    return this.options.stores.meta.get();
  }

  /**
   * Marks this run unclean before its first write. The audit floor is the chain's end now; a crashed run not
   * yet reconciled keeps its lower floor, so the reconciliation at the next start still covers its commands.
   */
  markRunning(): Promise<void> {
    return (this.markedRunning ??= (async () => {
      const { audit, stores, clock } = this.options;
      const floor = await audit.lastSeq();
      const before = this.auditReconciled ? undefined : await stores.meta.get();
      if (!this.auditReconciled) this.leftByLastRun = before ?? null;
      const auditFloor = before && !before.clean ? Math.min(before.auditFloor ?? 0, floor) : floor;
      // a clean stop or this start's full crash repair left no active copy beside a history copy; else as before
      const endedFirst = !before || before.clean || this.auditReconciled || before.endedFirst === true;
      await stores.meta.set({ clean: false, startedAt: clock.now().toISOString(), auditFloor, endedFirst });
    })());
  }

  /**
   * The checkpoint (one rev-guarded instance document) with its open tasks, task history and audit entries,
   * group-committed with other instances' checkpoints; then jobs and subscriptions (rare, written directly).
   */
  async write(
    live: Live,
    next: InstanceRecord,
    prev: InstanceRecord,
    audit: AuditDraft[] = [],
  ): Promise<void> {
    const { batcher, engines } = this.options;
    // before the first write of this run: a crash from here on must make the next start reconcile
    await this.markRunning();
    // the command's audit entries ride on its checkpoint (crash repair appends them if the kill comes between)
    next.auditDrafts = audit;
    next.auditAfterSeq = await this.options.audit.lastSeq();
    // earlier checkpoints of this instance whose derived records are still on their way: this one carries
    // their audit entries and task history too, so that it can stand in for them after a crash
    const history = next.pendingHistory ?? [];
    const behind = batcher.behindFor(prev.id);
    if (behind.length) {
      next.carriedAudit = behind.flatMap((u) =>
        u.instance.auditDrafts?.length
          ? [{ rev: u.instance.rev, after: u.instance.auditAfterSeq ?? 0, drafts: u.instance.auditDrafts }]
          : [],
      );
      next.pendingHistory = [...behind.flatMap((u) => u.history), ...history];
    } else delete next.carriedAudit;
    // an earlier command of this instance whose audit append failed: its entries first (idempotent by key)
    if (this.auditPending.has(prev.id)) {
      await this.options.audit.appendMissing([prev]);
      this.auditPending.delete(prev.id);
    }
    const tasks = diffById(prev.openTasks, next.openTasks);
    const ok = await batcher
      .write({
        instance: next,
        expectedRev: prev.rev,
        taskInserts: tasks.added,
        taskReplaces: tasks.changed,
        taskRemoves: tasks.removed,
        history,
      })
      .catch((err: unknown) => {
        // the checkpoint may be in without its audit entries: the next command of this instance, or the next
        // start (this run no longer counts as clean), appends them from the checkpoint
        this.auditPending.add(next.id);
        throw err;
      });
    if (!ok) {
      await engines.stopEngine(live);
      engines.evict(live);
      throw new AppError('RV_ERR_CONFLICT', { instanceId: next.id });
    }
    live.rec = next;
    await this.syncJobs(prev.jobs, next.jobs);
    await this.options.hooks.run('records.materialise', { record: next });
  }

  /**
   * Jobs (timers) are written directly, not behind the checkpoint: the scheduler reads them. New and moved
   * ones are durable before the command ends; the ones the checkpoint dropped (a timer that fired) are
   * retired: out of the scheduler's view at once, deleted with the next job writes. The checkpoint already
   * says they are gone, and a row a crash leaves is dropped, not fired, when it falls due.
   */
  private async syncJobs(prev: JobRecord[], next: JobRecord[], waitForRetired = false): Promise<void> {
    const jobs = diffById(prev, next);
    await this.options.stores.jobs.upsert([...jobs.added, ...jobs.changed]);
    if (!jobs.removed.length) return;
    const retired = this.options.stores.jobs.retire(jobs.removed);
    this.retiring.add(retired);
    void retired.finally(() => this.retiring.delete(retired));
    if (waitForRetired) await retired;
  }

  /** Resolves once the records behind every checkpoint written so far are in (before startup recovery). */
  recordsSettled(): Promise<void> {
    return this.options.batcher.flush();
  }

  /** Resolves once the deletes of retired jobs are in (idle, shutdown). */
  async jobsSettled(): Promise<void> {
    while (this.retiring.size) await Promise.all([...this.retiring]);
  }

  /**
   * Brings `tasks`, `jobs` and task history in line with a checkpoint: new tasks inserted, changed ones
   * replaced, gone ones deleted. Idempotent, so startup recovery can run it again after a crash.
   */
  async materialise(rec: InstanceRecord, prevTasks: TaskRecord[], prevJobs: JobRecord[]): Promise<void> {
    const { stores } = this.options;
    await stores.taskHistory.insert(rec.pendingHistory ?? []);
    const tasks = diffById(prevTasks, rec.openTasks);
    await stores.tasks.insert(tasks.added);
    await stores.tasks.upsert(tasks.changed);
    await stores.tasks.remove(tasks.removed);
    await this.syncJobs(prevJobs, rec.jobs, true);
    await this.options.hooks.run('records.materialise', { record: rec });
  }
}
