import { log } from '../logger.js';
import { systemClock, type Clock } from './clock.js';
import type { JobRecord, JobStore } from './stores.js';

/** Node timers overflow past 2^31-1 ms (~24.8 days) and then fire at once: never arm one that far out. */
export const MAX_NODE_DELAY = 2_147_483_647;

export interface SchedulerOptions {
  jobs: Pick<JobStore, 'due'>;
  /**
   * Fires one due job through the instance queue. It consumes the job by removing or replacing it (a
   * checkpoint rewrites the instance's jobs); a job left unchanged is deferred for `retryMs`.
   */
  fire(job: JobRecord): Promise<void>;
  clock?: Clock;
  /** Longest single Node timer; the scheduler wakes, re-reads the jobs and re-arms. Default one hour. */
  maxSleepMs?: number;
  /** Jobs read per pass. */
  batch?: number;
  /** Delay before a job that failed (or was not consumed) is tried again. */
  retryMs?: number;
}

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/**
 * Fires durable timer jobs in `dueAt` order. Jobs live in the database, so a restart loses none: `start()`
 * fires the overdue ones at once, then sleeps until the next one (at most `maxSleepMs`, far below Node's
 * 24.8-day limit) and re-reads. `notify(dueAt)` re-arms when a checkpoint writes an earlier job.
 */
export class Scheduler {
  private readonly clock: Clock;
  private readonly maxSleepMs: number;
  private readonly batch: number;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  /** `<jobId>@<dueAt>` → epoch ms before which the job is not tried again. */
  private readonly deferred = new Map<string, number>();
  private firedCount = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxSleepMs = Math.min(options.maxSleepMs ?? 3_600_000, MAX_NODE_DELAY);
    this.batch = options.batch ?? 100;
    this.retryMs = options.retryMs ?? 30_000;
  }

  /** Starts the loop; resolves after the first pass, so overdue jobs have fired. */
  async start(): Promise<void> {
    this.started = true;
    await this.poke();
  }

  /** Stops arming timers and waits for a running pass. */
  async stop(): Promise<void> {
    this.started = false;
    this.disarm();
    await this.running;
  }

  /** A job was written with `dueAt`: wake earlier if needed. */
  notify(dueAt: string): void {
    if (!this.started) return;
    const at = Date.parse(dueAt);
    if (Number.isNaN(at)) return;
    if (this.wakeAt === undefined || at < this.wakeAt) this.arm(at);
  }

  /** Runs a pass now (after the clock moved, or a held instance was released); clears deferrals. */
  async poke(): Promise<void> {
    this.deferred.clear();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves once no pass is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** When the armed Node timer will wake the scheduler (epoch ms), for diagnostics and tests. */
  get nextWakeAt(): number | undefined {
    return this.wakeAt;
  }

  /** Jobs fired since construction. */
  get fired(): number {
    return this.firedCount;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && this.started);
    if (this.started) await this.armNext();
  }

  private async pass(): Promise<void> {
    const tried = new Set<string>();
    // jobs held back (tried, or deferred after a failure) stay in the collection: page past them, or a full
    // page of them would hide every later due job
    let skip = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = await this.options.jobs.due(new Date(now).toISOString(), this.batch, skip);
      const todo = due.filter((j) => {
        const key = `${j.id}@${j.dueAt}`;
        return !tried.has(key) && (this.deferred.get(key) ?? 0) <= now;
      });
      if (!todo.length) {
        if (due.length < this.batch) return;
        skip += due.length;
        continue;
      }
      for (const job of todo) {
        if (!this.started) return;
        const key = `${job.id}@${job.dueAt}`;
        tried.add(key);
        try {
          await this.options.fire(job);
          this.firedCount++;
        } catch (err) {
          log.warn('timer job failed', { job: job.id, error: String(err) });
        }
        // whatever happened, this job at this dueAt is not retried before retryMs (a consumed job is gone)
        this.deferred.set(key, this.clock.now().getTime() + this.retryMs);
      }
      this.prune();
    }
  }

  private prune(): void {
    if (this.deferred.size < 10_000) return;
    const now = this.clock.now().getTime();
    for (const [k, until] of this.deferred) if (until <= now) this.deferred.delete(k);
  }

  private async armNext(): Promise<void> {
    let next: JobRecord[];
    try {
      next = await this.options.jobs.due(FAR_FUTURE, this.batch);
    } catch (err) {
      log.warn('scheduler could not read jobs', { error: String(err) });
      this.arm(this.clock.now().getTime() + this.retryMs);
      return;
    }
    let at: number | undefined;
    for (const job of next) {
      const dueAt = Date.parse(job.dueAt);
      const when = Math.max(dueAt, this.deferred.get(`${job.id}@${job.dueAt}`) ?? 0);
      if (at === undefined || when < at) at = when;
    }
    if (at === undefined) this.disarm();
    else this.arm(at);
  }

  private arm(at: number): void {
    this.disarm();
    const delay = Math.min(Math.max(at - this.clock.now().getTime(), 0), this.maxSleepMs);
    this.wakeAt = this.clock.now().getTime() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = undefined;
      void this.poke();
    }, delay);
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
  }
}
