import { isAppError } from '../../app-error.js';
import { fireEngineTimer } from '../engine-timers.js';
import { Scheduler } from '../scheduler.js';
import { TimerPrewarmer } from '../timer-prewarmer.js';
import { engineTurns } from '../turns.js';
import type { JobRecord } from '../stores.js';
import { SYSTEM_ACTOR } from '../types.js';
import type { FeatureContext } from './feature-context.js';

/**
 * Durable timers: the jobs a checkpoint writes are fired by the scheduler, each inside its instance's queue;
 * a suspended instance holds its timer jobs (kept in its checkpoint) and resume releases them.
 */
export class Timers {
  readonly scheduler: Scheduler;
  /** Restores the engines of instances whose timers fall due within the next seconds (see its TSDoc). */
  readonly prewarmer: TimerPrewarmer;

  constructor(
    private readonly ctx: FeatureContext,
    options: { lookaheadMs?: number } = {},
  ) {
    this.scheduler = new Scheduler({
      jobs: ctx.stores.jobs,
      fire: (job) => this.fire(job),
      clock: ctx.clock,
    });
    this.prewarmer = new TimerPrewarmer({
      jobs: ctx.stores.jobs,
      engines: ctx.engines,
      clock: ctx.clock,
      lookaheadMs: options.lookaheadMs,
    });
    ctx.hooks.on('commit.after', ({ record }) => {
      for (const j of record.jobs) {
        this.scheduler.notify(j.dueAt);
        this.prewarmer.notify(j.dueAt);
      }
      // an instance that can move again (a retried incident) fires its overdue timers now, not after a deferral
      const now = ctx.clock.now().getTime();
      if (record.status === 'running' && record.jobs.some((j) => Date.parse(j.dueAt) <= now))
        void this.scheduler.poke();
    });
    ctx.hooks.on('status.changed', async ({ record }) => {
      if (record.status === 'suspended') await ctx.stores.jobs.remove(record.jobs.map((j) => j.id));
      if (record.status === 'running' && record.jobs.length) {
        await ctx.stores.jobs.upsert(record.jobs);
        // timers that fell due while suspended fire now, in order of due time
        void this.scheduler.poke();
      }
    });
    // the overdue ones fire now, in order of due time, then each at its time
    ctx.hooks.on('runtime.recover', async () => {
      await this.scheduler.start();
      this.prewarmer.start();
    });
    ctx.hooks.on('runtime.close', async () => {
      await this.prewarmer.stop();
      await this.scheduler.stop();
    });
  }

  /** Fires one due timer job inside its instance's queue; stale jobs (already fired) are dropped. */
  async fire(job: JobRecord): Promise<void> {
    try {
      await this.fireInQueue(job);
    } finally {
      this.prewarmer.fired(job);
    }
  }

  private async fireInQueue(job: JobRecord): Promise<void> {
    const { engines, committer, stores } = this.ctx;
    try {
      await engines.run(job.instanceId, SYSTEM_ACTOR, async (live) => {
        const rec = live.rec;
        const current = rec.jobs.find((j) => j.id === job.id);
        if (!current || rec.status === 'completed' || rec.status === 'cancelled') {
          // fired before a crash cut the job's removal short, or the instance ended: nothing fires twice
          await stores.jobs.remove([job.id]);
          return;
        }
        // a suspended instance holds its timers; a failed one waits for its retry
        if (rec.status !== 'running') return;
        // its own turn of the event loop: the checkpoints other firings wait for are read first
        await engineTurns.next();
        await engines.ensureEngine(live);
        const fired = !live.engineError && fireEngineTimer(live.engine, job.executionId);
        await committer.commit(live, {
          actor: SYSTEM_ACTOR,
          command: 'timer.fired',
          engineRan: true,
          elementId: job.elementId,
          data: { jobId: job.id, dueAt: job.dueAt, ...(fired ? {} : { firedOnResume: true }) },
        });
      });
    } catch (err) {
      if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return;
      if (isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND')) {
        await stores.jobs.remove([job.id]);
        return;
      }
      throw err;
    }
  }
}
