import { log } from '../logger.js';
import { errorText } from './error-text.js';
import { systemClock, type Clock } from './clock.js';
import type { LiveEngines } from './live-engines.js';
import type { InstanceRecord, JobRecord, JobStore } from './stores.js';
import { WakeTimer } from './wake-timer.js';

export interface TimerPrewarmerOptions {
  jobs: Pick<JobStore, 'due'>;
  engines: Pick<LiveEngines, 'warm' | 'unpin'>;
  clock?: Clock;
  /**
   * How far ahead of its due time a timer's engine is restored. Default 150 ms: what an engine costs the
   * collector depends on how long it lives. Restored 3 s ahead, then 1 s ahead and kept by an LRU of 100,
   * every engine (about 0.8 MB) outlived the young generation and died in the old one: at 100 firings a second
   * the heap grew by about 100 MB a second and each old-generation pass (every 4 s, 420 MB freed) made the
   * bench's tail (p99 126–184 ms, up to 530 MB heap). Warmed just ahead and evicted soon after
   * (`RuntimeOptions.maxLiveEngines`), p99 62–90 ms in most runs, the heap under 280 MB (README, Timers).
   */
  lookaheadMs?: number;
  /**
   * The longest look-ahead, for timers due together: a job is warmed `lookaheadMs` ahead, or earlier when the
   * cold jobs due up to it need longer to restore (their count times `restoreMs`). 200 timers due at one
   * instant (`bench:timers` with `BENCH_TIMERS=200 BENCH_WINDOW_MS=1`) fired by p99 1.0 s, against 1.8 s with
   * a fixed 150 ms and 0.86 s with a fixed 1 s. Default 1 s.
   */
  horizonMs?: number;
  /**
   * What one restore is reckoned to cost, for how early a burst starts. Default 5 ms (3–4 ms measured for the
   * office's processes). A constant on purpose: a measured one, queue waits and all, grew on a busy server and
   * warmed engines a second ahead again, which is what made the collector the tail (p99 205 ms in a run).
   */
  restoreMs?: number;
  /** Most instances kept warm at once (each engine holds about 0.8 MB). Default 200. */
  maxWarm?: number;
  /** Restores at once. Default 2. */
  concurrency?: number;
  /** A timer due sooner than this is left to its firing (its resume could already complete it). Default 50 ms. */
  marginMs?: number;
}

/** Longest sleep between passes while timers wait within the look-ahead but could not be warmed yet. */
const RETRY_MS = 250;
/** A timer that could not be warmed (its instance is not at rest) is not tried again before this. */
const REFUSED_MS = 5000;

const keyOf = (j: JobRecord) => `${j.id}@${j.dueAt}`;

/** The smallest of the times given (undefined when none is). */
function earliest(...times: (number | undefined)[]): number | undefined {
  const given = times.filter((t): t is number => t !== undefined && !Number.isNaN(t));
  return given.length ? Math.min(...given) : undefined;
}

/**
 * Pre-warms the engines of instances whose timers fall due within the next few seconds, so that the firing
 * itself only signals the timer, runs to the next wait and checkpoints. Restoring an engine from its state
 * (read the record, build the engine, recover, resume) is most of a firing's work when only the most recent
 * engines stay in memory; done ahead, a burst of timers due together fires on time.
 *
 * Safe by construction: the restore runs inside the instance's queue, exactly as a command's would, and the
 * warmed engine is simply the instance's live engine. A command that reaches the instance first (a task
 * completed, the instance cancelled or migrated) uses it or drops it as it would any live engine, and the
 * firing checks its job against the checkpoint as always. An instance is only warmed when nothing can move
 * during its resume (running, no service call in flight, every timer still ahead by `marginMs`); one whose
 * resume moved anyway is dropped unsaved (`LiveEngines.warm`). Bounded: at most `maxWarm` instances are
 * pinned in memory beyond the LRU; a pin ends when the timer fires or its job goes.
 */
export class TimerPrewarmer {
  private readonly clock: Clock;
  private readonly lookaheadMs: number;
  private readonly horizonMs: number;
  private readonly restoreMs: number;
  private readonly maxWarm: number;
  private readonly concurrency: number;
  private readonly marginMs: number;
  /** Warmed instances → the keys of their jobs that were due within the look-ahead. */
  private readonly warmed = new Map<string, Set<string>>();
  private readonly warming = new Set<string>();
  private readonly refused = new Map<string, number>();
  private readonly wakeTimer: WakeTimer;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private warmedCount = 0;

  constructor(private readonly options: TimerPrewarmerOptions) {
    this.clock = options.clock ?? systemClock;
    this.lookaheadMs = options.lookaheadMs ?? 150;
    this.horizonMs = Math.max(this.lookaheadMs, options.horizonMs ?? 1000);
    this.restoreMs = options.restoreMs ?? 5;
    this.maxWarm = Math.max(1, options.maxWarm ?? 200);
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.marginMs = options.marginMs ?? 50;
    this.wakeTimer = new WakeTimer(this.clock, 3_600_000, () => this.kick());
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  /** Stops warming, waits for a pass, and releases every pin. */
  async stop(): Promise<void> {
    this.started = false;
    this.wakeTimer.disarm();
    await this.running;
    for (const id of this.warmed.keys()) this.options.engines.unpin(id);
    this.warmed.clear();
  }

  /** A job was written with `dueAt`: wake in time to warm it. */
  notify(dueAt: string): void {
    if (!this.started) return;
    const at = Date.parse(dueAt) - this.horizonMs;
    if (Number.isNaN(at)) return;
    if (this.running) this.again = true;
    else if (this.wakeTimer.at === undefined || at < this.wakeTimer.at) this.wakeTimer.arm(at);
  }

  /** The job fired (or was found stale): its instance's pin ends once none of its warmed jobs waits. */
  fired(job: JobRecord): void {
    const keys = this.warmed.get(job.instanceId);
    if (!keys) return;
    keys.delete(keyOf(job));
    if (!keys.size) this.release(job.instanceId);
    if (this.started) this.kick();
  }

  /** Instances warmed since construction (diagnostics and tests). */
  get count(): number {
    return this.warmedCount;
  }

  /** Instances pinned now. */
  get size(): number {
    return this.warmed.size;
  }

  private release(instanceId: string): void {
    this.warmed.delete(instanceId);
    this.options.engines.unpin(instanceId);
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.wakeTimer.disarm();
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass().catch((err: unknown) =>
          log.warn('timer pre-warm pass failed', { error: errorText(err) }),
        );
      } while (this.again && this.started);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Releases pins of jobs gone, warms what falls due within the look-ahead, and arms the next pass. */
  private async pass(): Promise<void> {
    if (!this.started) return;
    const now = this.clock.now().getTime();
    const soon = await this.options.jobs.due(new Date(now + this.horizonMs).toISOString(), this.maxWarm * 2);
    const present = new Set(soon.map(keyOf));
    for (const [id, keys] of [...this.warmed]) {
      for (const k of keys) if (!present.has(k)) keys.delete(k);
      if (!keys.size) this.release(id);
    }
    for (const [k, until] of this.refused) if (until <= now || !present.has(k)) this.refused.delete(k);

    // each job from `lookaheadMs` before it is due, or earlier by the restores of the cold jobs due before it
    const todo: JobRecord[] = [];
    let later: number | undefined;
    let cold = 0;
    for (const j of soon) {
      const due = Date.parse(j.dueAt);
      if (
        due <= now + this.marginMs ||
        this.warmed.get(j.instanceId)?.has(keyOf(j)) ||
        this.warming.has(j.instanceId) ||
        this.refused.has(keyOf(j))
      )
        continue;
      cold++;
      const from = due - Math.max(this.lookaheadMs, cold * this.restoreMs);
      if (from <= now) todo.push(j);
      else later = Math.min(later ?? from, from);
    }
    let next = 0;
    const worker = async () => {
      while (this.started && next < todo.length && this.warmed.size + this.warming.size < this.maxWarm) {
        const job = todo[next++]!;
        if (this.warming.has(job.instanceId)) continue;
        await this.warmOne(job);
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    if (!this.started) return;
    // what is left waits for a pin to end (`fired` kicks a pass) or for the retry; else the next job's turn
    if (next < todo.length) this.wakeTimer.arm(this.clock.now().getTime() + RETRY_MS);
    else {
      // the earliest of: a job here whose warming starts later, the first job beyond the horizon, a retry
      const after = await this.options.jobs.due('9999-12-31T23:59:59.999Z', 1, soon.length);
      const beyond = after[0] ? Date.parse(after[0].dueAt) - this.horizonMs : undefined;
      const retry = this.refused.size || this.warmed.size ? this.clock.now().getTime() + RETRY_MS : undefined;
      const at = earliest(later, beyond, retry);
      if (at !== undefined) this.wakeTimer.arm(at);
    }
  }

  private async warmOne(job: JobRecord): Promise<void> {
    const key = keyOf(job);
    this.warming.add(job.instanceId);
    try {
      const ok = await this.options.engines.warm(job.instanceId, (rec) => this.atRest(rec));
      if (!ok || !this.started) {
        if (ok) this.options.engines.unpin(job.instanceId);
        this.refused.set(key, this.clock.now().getTime() + REFUSED_MS);
        return;
      }
      let keys = this.warmed.get(job.instanceId);
      if (!keys) this.warmed.set(job.instanceId, (keys = new Set()));
      keys.add(key);
      this.warmedCount++;
    } catch (err) {
      // the instance is gone or the runtime closes: the firing handles it as always
      this.refused.set(key, this.clock.now().getTime() + REFUSED_MS);
      log.debug('timer pre-warm skipped', { instanceId: job.instanceId, error: errorText(err) });
    } finally {
      this.warming.delete(job.instanceId);
    }
  }

  /** Nothing can move while its engine resumes: running, no service in flight, every timer still ahead. */
  private atRest(rec: InstanceRecord): boolean {
    if (rec.status !== 'running' || rec.inFlight.length) return false;
    const soonest = Math.max(this.clock.now().getTime(), Date.now()) + this.marginMs;
    return rec.jobs.every((j) => Date.parse(j.dueAt) > soonest);
  }
}
