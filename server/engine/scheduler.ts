import { log } from '../logger.js';
import { systemClock, type Clock } from './clock.js';
import type { JobRecord, JobStore } from './stores.js';
import { WakeTimer } from './wake-timer.js';

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
  /** Jobs read per page. */
  batch?: number;
  /** Delay before a job that failed (or was not consumed) is tried again. */
  retryMs?: number;
  /** Most jobs firing at once, each in its own instance's queue (default 8). */
  concurrency?: number;
  /**
   * Jobs due more than this apart fire strictly in due order (the later starts once the earlier has fired);
   * jobs due closer together may fire at once. Default 1 s.
   */
  orderMs?: number;
}

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

interface Firing {
  instanceId: string;
  dueAt: number;
}

/**
 * Fires durable timer jobs in `dueAt` order, on time. Jobs live in the database (the job store keeps them in
 * memory too), so a restart loses none: `start()` fires the overdue ones at once; then one Node timer is armed
 * for the next due job (at most `maxSleepMs` ahead, far below Node's 24.8-day limit) and `notify(dueAt)`
 * re-arms it when a checkpoint writes an earlier job. A pass launches the due jobs in due order, up to
 * `concurrency` at once, never two of one instance at once, and never one due more than `orderMs` after a job
 * still firing; while some fire, it wakes for each one that ends and for the next due time.
 */
export class Scheduler {
  private readonly clock: Clock;
  private readonly maxSleepMs: number;
  private readonly batch: number;
  private readonly retryMs: number;
  private readonly concurrency: number;
  private readonly orderMs: number;
  private readonly wakeTimer: WakeTimer;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  /** `<jobId>@<dueAt>` → epoch ms before which the job is not tried again. */
  private readonly deferred = new Map<string, number>();
  /** `<jobId>@<dueAt>` → the job firing now. */
  private readonly firing = new Map<string, Firing>();
  /** Something changed (a job ended, a job was written) since the pass last looked. */
  private changed = false;
  private wake: (() => void) | undefined;
  private firedCount = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxSleepMs = Math.min(options.maxSleepMs ?? 3_600_000, MAX_NODE_DELAY);
    this.batch = options.batch ?? 100;
    this.retryMs = options.retryMs ?? 30_000;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.orderMs = options.orderMs ?? 1000;
    this.wakeTimer = new WakeTimer(this.clock, this.maxSleepMs, () => void this.poke());
  }

  /** Starts the loop; resolves after the first pass, so overdue jobs have fired. */
  async start(): Promise<void> {
    this.started = true;
    await this.poke();
  }

  /** Stops arming timers and waits for a running pass (and the jobs it fires). */
  async stop(): Promise<void> {
    this.started = false;
    this.wakeTimer.disarm();
    this.signal();
    await this.running;
  }

  /** A job was written with `dueAt`: wake earlier if needed. */
  notify(dueAt: string): void {
    if (!this.started) return;
    const at = Date.parse(dueAt);
    if (Number.isNaN(at)) return;
    if (this.running) this.signal();
    else if (this.wakeTimer.at === undefined || at < this.wakeTimer.at) this.wakeTimer.arm(at);
  }

  /** Runs a pass now (after the clock moved, or a held instance was released); clears deferrals. */
  async poke(): Promise<void> {
    this.deferred.clear();
    if (this.running) {
      this.again = true;
      this.signal();
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
    return this.wakeTimer.at;
  }

  /** Jobs fired since construction. */
  get fired(): number {
    return this.firedCount;
  }

  private async loop(): Promise<void> {
    this.wakeTimer.disarm();
    do {
      this.again = false;
      await this.pass();
    } while (this.again && this.started);
    if (this.started) await this.armNext();
  }

  /** Launches what is due, waits while jobs fire, and ends when none fires and none more can start. */
  private async pass(): Promise<void> {
    for (;;) {
      this.changed = false;
      if (this.started) await this.launchDue();
      if (!this.firing.size) return;
      const wait = this.started ? await this.untilNext() : undefined;
      if (!this.changed) await this.sleep(wait);
    }
  }

  /**
   * Starts the due jobs that may start now, in due order. It stops at the first that must wait for a free slot
   * or for an earlier job (`orderMs`); a job whose instance is busy waits, and later jobs pass it only while
   * they are due within `orderMs` of it.
   */
  private async launchDue(): Promise<void> {
    const now = this.clock.now().getTime();
    let waiting: number | undefined;
    for (let skip = 0; ;) {
      const due = await this.options.jobs.due(new Date(now).toISOString(), this.batch, skip);
      for (const job of due) {
        const key = `${job.id}@${job.dueAt}`;
        if (this.firing.has(key) || (this.deferred.get(key) ?? 0) > now) continue;
        const dueAt = Date.parse(job.dueAt);
        if (this.firing.size >= this.concurrency) return;
        if (waiting !== undefined && waiting < dueAt - this.orderMs) return;
        let busy = false;
        for (const f of this.firing.values()) {
          if (f.dueAt < dueAt - this.orderMs) return;
          if (f.instanceId === job.instanceId) busy = true;
        }
        if (busy) waiting ??= dueAt;
        else this.launch(key, job);
      }
      if (due.length < this.batch) return;
      skip += due.length;
    }
  }

  private launch(key: string, job: JobRecord): void {
    this.firing.set(key, { instanceId: job.instanceId, dueAt: Date.parse(job.dueAt) });
    void this.options
      .fire(job)
      .then(
        () => this.firedCount++,
        (err: unknown) => log.warn('timer job failed', { job: job.id, error: String(err) }),
      )
      .finally(() => {
        // whatever happened, this job at this dueAt is not retried before retryMs (a consumed job is gone)
        this.deferred.set(key, this.clock.now().getTime() + this.retryMs);
        this.firing.delete(key);
        this.prune();
        this.signal();
      });
  }

  /** Milliseconds until the next job not firing or deferred falls due (undefined: none waits). */
  private async untilNext(): Promise<number | undefined> {
    const at = await this.nextAt();
    return at === undefined ? undefined : Math.max(0, at - this.clock.now().getTime());
  }

  /** Epoch ms when the earliest job that is not firing may be tried. */
  private async nextAt(): Promise<number | undefined> {
    let at: number | undefined;
    for (let skip = 0; ;) {
      const page = await this.options.jobs.due(FAR_FUTURE, this.batch, skip);
      for (const job of page) {
        const key = `${job.id}@${job.dueAt}`;
        if (this.firing.has(key)) continue;
        const when = Math.max(Date.parse(job.dueAt), this.deferred.get(key) ?? 0);
        if (at === undefined || when < at) at = when;
        // later pages are due later still; a deferred job may hide an earlier one behind it
        if (when === Date.parse(job.dueAt)) return at;
      }
      if (page.length < this.batch) return at;
      skip += page.length;
    }
  }

  /** Waits for a change (a job ended or was written) or `ms`, whichever comes first. */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer =
        ms === undefined ? undefined : setTimeout(() => this.signal(), Math.min(ms, this.maxSleepMs));
      this.wake = () => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private signal(): void {
    this.changed = true;
    this.wake?.();
  }

  private prune(): void {
    if (this.deferred.size < 10_000) return;
    const now = this.clock.now().getTime();
    for (const [k, until] of this.deferred) if (until <= now) this.deferred.delete(k);
  }

  private async armNext(): Promise<void> {
    let at: number | undefined;
    try {
      at = await this.nextAt();
    } catch (err) {
      log.warn('scheduler could not read jobs', { error: String(err) });
      this.wakeTimer.arm(this.clock.now().getTime() + this.retryMs);
      return;
    }
    if (at === undefined) this.wakeTimer.disarm();
    else this.wakeTimer.arm(at);
  }
}
