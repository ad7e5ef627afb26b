import { AppError } from '../app-error.js';
import { log } from '../logger.js';
import { auditKey, type AuditDraft, type AuditWriter } from './audit-chain.js';
import { errorText } from './error-text.js';
import type { CheckpointStore, CheckpointUnit } from './stores.js';

interface Pending {
  unit: CheckpointUnit;
  resolve(ok: boolean): void;
  reject(err: unknown): void;
}

interface Behind {
  unit: CheckpointUnit;
  done(): void;
}

/** Most checkpoints whose derived records go out together. */
const MAX_BEHIND_BATCH = 256;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Group commit in two steps. A command's checkpoint (its instance document) goes out with the checkpoints of
 * other instances queued while a write was in flight; the command goes on once that is durable. The records
 * derived from it (open tasks, task history, audit entries, and the removal of an ended instance's active
 * copy) follow behind, in order, many commands at a time, while the commands go on.
 *
 * Why behind: on FerretDB (SQLite, one writer) every statement costs a few milliseconds, and a command that
 * waited for all five collections spent most of its time in that queue. Nothing is lost by it: the audit
 * drafts ride on the checkpoint, and every derived record can be rebuilt from the checkpoints (startup
 * reconciliation). What the rest of the runtime must keep to:
 * - the next checkpoint of an instance carries the audit entries and task history of its earlier ones that
 *   are still behind (`behindFor`), so its last checkpoint is all crash repair needs, as before;
 * - reads of derived records wait for what is queued (`settled`, `settledFor`), so a caller reads its own
 *   writes, and an instance that ended is not loaded from its active copy before that copy is gone.
 */
export class CheckpointBatcher {
  private queue: Pending[] = [];
  private readonly flushing = new Set<Promise<void>>();
  private behind: Behind[] = [];
  private draining: Promise<void> | undefined;
  /** Per instance: its checkpoints whose derived records are not in yet, and when the last one will be. */
  private readonly behindOf = new Map<string, { units: CheckpointUnit[]; done: Promise<void> }>();
  private lastBehind: Promise<void> = Promise.resolve();
  /**
   * When the last batch of records behind went out (`performance.now()`: a monotonic clock, which a faked
   * `Date` cannot stop, so the gathering always ends).
   */
  private lastBehindAt = -Infinity;
  /** How many wait for records behind now (see `gather`), and how to wake a gathering. */
  private hurry = 0;
  private wakeGather: (() => void) | undefined;
  private closing = false;
  /** The error of the last failed write of records behind, until one succeeds. */
  private failure: unknown;
  /** Readers waiting for records behind: told at once when writing them fails. */
  private readonly failureWaiters = new Set<() => void>();
  /** Derived records given up at close (the database was gone): the next start must reconcile. */
  lost = false;

  constructor(
    private readonly store: CheckpointStore,
    private readonly audit: AuditWriter,
    private readonly maxBatch = 64,
    /**
     * Checkpoint batches in flight at once. One: the records behind already keep a second writer busy, and
     * SQLite has a single writer (measured at c16: 99 inst/s with one lane, 86 with two, 81–89 with three).
     */
    private readonly lanes = 1,
    /**
     * Batches of records behind go out at most this often: during a burst they gather meanwhile and go out
     * in fewer, larger statements (at 100 timers a second they went out about three checkpoints at a time,
     * four statements each). A command after a quiet spell has its records written at once, as before.
     */
    private readonly gatherMs = 100,
  ) {}

  /** Resolves once the unit's checkpoint is durable; false when its rev guard failed. */
  write(unit: CheckpointUnit): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once the derived records of every checkpoint written so far are in. */
  settled(): Promise<void> {
    return this.guard(this.lastBehind);
  }

  /** Resolves once the derived records of the instance's last checkpoint are in. */
  settledFor(instanceId: string): Promise<void> {
    const entry = this.behindOf.get(instanceId);
    return entry ? this.guard(entry.done) : Promise.resolve();
  }

  /**
   * `done`, or RV_ERR_DB_UNAVAILABLE as soon as a write of the records behind fails: a read during a
   * database outage fails at once (503) instead of waiting for the retries to get through.
   */
  private guard(done: Promise<void>): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(unavailable());
    return this.hurried(
      new Promise<void>((resolve, reject) => {
        const fail = () => {
          this.failureWaiters.delete(fail);
          reject(unavailable());
        };
        this.failureWaiters.add(fail);
        void done.then(() => {
          this.failureWaiters.delete(fail);
          resolve();
        });
      }),
    );
  }

  /** The instance's written checkpoints whose derived records are not in yet, oldest first. */
  behindFor(instanceId: string): readonly CheckpointUnit[] {
    return this.behindOf.get(instanceId)?.units ?? [];
  }

  private kick(): void {
    if (this.flushing.size >= this.lanes || !this.queue.length) return;
    const batch = this.queue.splice(0, this.maxBatch);
    const run = (async () => {
      try {
        const ok = await this.store.write(batch.map((p) => p.unit));
        batch.forEach((p, i) => {
          if (ok[i]) this.follow(p.unit);
          p.resolve(ok[i] ?? false);
        });
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    })().finally(() => {
      this.flushing.delete(run);
      this.kick();
    });
    this.flushing.add(run);
  }

  /** Queues the derived records of a written checkpoint. */
  private follow(unit: CheckpointUnit): void {
    const id = unit.instance.id;
    const done = new Promise<void>((resolve) => this.behind.push({ unit, done: resolve }));
    const entry = this.behindOf.get(id) ?? { units: [], done };
    entry.units.push(unit);
    entry.done = done;
    this.behindOf.set(id, entry);
    this.lastBehind = done;
    void done.then(() => {
      entry.units.splice(entry.units.indexOf(unit), 1);
      if (!entry.units.length && this.behindOf.get(id) === entry) this.behindOf.delete(id);
    });
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      while (this.behind.length) {
        await this.gather();
        this.lastBehindAt = performance.now();
        const batch = this.behind.splice(0, MAX_BEHIND_BATCH);
        await this.materialise(batch.map((b) => b.unit));
        for (const b of batch) b.done();
      }
    })().finally(() => {
      this.draining = undefined;
      if (this.behind.length) this.drain();
    });
  }

  /**
   * Waits until `gatherMs` after the last batch of records behind went out, until a batch is full, or until
   * someone waits for them (a reader, `flush`, `close`): those never wait for the gathering.
   */
  private async gather(): Promise<void> {
    while (!this.closing && !this.hurry && this.behind.length < MAX_BEHIND_BATCH) {
      const left = this.lastBehindAt + this.gatherMs - performance.now();
      if (left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wakeGather = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.wakeGather = undefined;
    }
  }

  /** `done`, with the records behind sent at once while someone waits for it. */
  private async hurried<T>(done: Promise<T>): Promise<T> {
    this.hurry++;
    this.wakeGather?.();
    try {
      return await done;
    } finally {
      this.hurry--;
    }
  }

  /**
   * Writes derived records until they are in: everything here is idempotent, so a failed attempt is simply
   * repeated (audit entries then through `appendMissing`, which skips what the failed attempt stored). At
   * close, a last failure gives up: the run stays unclean and the next start rebuilds the records.
   */
  private async materialise(units: CheckpointUnit[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.materialise(units, () =>
          attempt === 0
            ? this.audit.append(...drafts(units))
            : this.audit.appendMissing(units.map((u) => u.instance)),
        );
        this.failure = undefined;
        return;
      } catch (err) {
        this.failure = err;
        for (const tell of [...this.failureWaiters]) tell();
        log.warn('derived records of checkpoints not written yet; retrying', {
          checkpoints: units.length,
          attempt: attempt + 1,
          error: errorText(err),
        });
        if (this.closing && attempt > 0) {
          this.lost = true;
          return;
        }
        await sleep(Math.min(5000, 100 * 2 ** attempt));
      }
    }
  }

  /** Waits for queued writes and the derived records behind them. */
  flush(): Promise<void> {
    return this.hurried(
      (async () => {
        while (this.flushing.size || this.draining) {
          await Promise.all([...this.flushing]);
          await this.draining;
        }
      })(),
    );
  }

  /** Like `flush`, but a database that stays gone makes it give up (see `materialise`). */
  close(): Promise<void> {
    this.closing = true;
    return this.flush();
  }
}

/** The audit entries of the units, each with its crash-repair key. */
function drafts(units: CheckpointUnit[]): [AuditDraft[], string[]] {
  const all: AuditDraft[] = [];
  const keys: string[] = [];
  for (const u of units) {
    const { id, rev, auditDrafts = [] } = u.instance;
    auditDrafts.forEach((d, n) => {
      all.push(d);
      keys.push(auditKey(id, rev, n));
    });
  }
  return [all, keys];
}

/** A reader's error; the cause is in the log (the retry's warning), not in the answer to a client. */
function unavailable(): AppError {
  return new AppError('RV_ERR_DB_UNAVAILABLE');
}
