import { systemClock, type Clock } from './scheduler.js';

/** What bpmn-elements' TimerEventDefinition passes as the timer's owner (its timer content). */
interface TimerOwner {
  id?: string;
  executionId?: string;
  expireAt?: Date | string;
  timerType?: string;
  timeDuration?: string;
  timeDate?: string;
  timeCycle?: string;
  repeat?: number;
  isRecovered?: boolean;
}

/** One timer the engine asked for; it fires only when the runtime says so (see `fire`, `fireDue`). */
export interface EngineTimerRef {
  owner: TimerOwner | null;
  timerId: string;
  callback: (...args: unknown[]) => void;
  delay: number;
  args: unknown[];
  expireAt: Date;
  timerRef: null;
}

/** A pending timer as a job needs it. */
export interface PendingTimer {
  /** The timer event's element id (a boundary or catch event). */
  elementId: string;
  executionId: string;
  dueAt: string;
  timer: Record<string, unknown>;
}

/**
 * bpmn-engine's `timers` option for one engine: it records each `setTimeout` with its `expireAt` and never arms a
 * Node timer, so a wait of 90 days costs nothing and survives restarts. The runtime turns `pending()` into jobs at
 * checkpoint, and the scheduler fires a due job by calling `fire(executionId)` inside the instance queue. On
 * recover, bpmn-elements re-registers each timer from its saved `expireAt` (an overdue one completes at resume).
 */
export class EngineTimers {
  private readonly refs = new Set<EngineTimerRef>();
  private count = 0;

  constructor(private readonly clock: Clock = systemClock) {
    this.setTimeout = this.setTimeout.bind(this);
    this.clearTimeout = this.clearTimeout.bind(this);
  }

  /** bpmn-engine clears these on stop. */
  get executing(): EngineTimerRef[] {
    return [...this.refs];
  }

  register(owner: unknown): {
    owner: unknown;
    setTimeout: EngineTimers['setTimeout'];
    clearTimeout: EngineTimers['clearTimeout'];
  } {
    return {
      owner,
      setTimeout: (callback, delay, ...args) => this.add(owner as TimerOwner, callback, delay, args),
      clearTimeout: (ref) => this.clearTimeout(ref),
    };
  }

  setTimeout(callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]): EngineTimerRef {
    return this.add(null, callback, delay, args);
  }

  clearTimeout(ref: unknown): undefined {
    if (ref) this.refs.delete(ref as EngineTimerRef);
    return undefined;
  }

  /** Timers waiting now, earliest first. */
  pending(): PendingTimer[] {
    return [...this.refs]
      .filter((r) => r.owner?.executionId)
      .sort((a, b) => a.expireAt.getTime() - b.expireAt.getTime())
      .map((r) => {
        const o = r.owner!;
        const timer: Record<string, unknown> = {};
        for (const k of ['timerType', 'timeDuration', 'timeDate', 'timeCycle', 'repeat'] as const)
          if (o[k] !== undefined) timer[k] = o[k];
        return {
          elementId: o.id ?? '',
          executionId: o.executionId!,
          dueAt: r.expireAt.toISOString(),
          timer,
        };
      });
  }

  /** Fires the timer of `executionId` if it is still waiting; false when it is not (already fired or gone). */
  fire(executionId: string): boolean {
    for (const ref of this.refs) {
      if (ref.owner?.executionId !== executionId) continue;
      this.refs.delete(ref);
      ref.callback(...ref.args);
      return true;
    }
    return false;
  }

  /** Fires every timer due at `now` (engine clock by default), earliest first; returns how many fired. */
  fireDue(now: Date = this.clock.now()): number {
    let fired = 0;
    for (;;) {
      const next = [...this.refs]
        .filter((r) => r.expireAt.getTime() <= now.getTime())
        .sort((a, b) => a.expireAt.getTime() - b.expireAt.getTime())[0];
      if (!next) return fired;
      this.refs.delete(next);
      next.callback(...next.args);
      fired++;
    }
  }

  private add(
    owner: TimerOwner | null,
    callback: (...args: unknown[]) => void,
    delay: number,
    args: unknown[],
  ): EngineTimerRef {
    // bpmn-elements computed expireAt with `new Date()`; prefer it so a recovered timer keeps its due time
    const saved = owner?.expireAt ? new Date(owner.expireAt) : undefined;
    const expireAt =
      saved && !Number.isNaN(saved.getTime())
        ? saved
        : new Date(this.clock.now().getTime() + Math.max(delay, 0));
    const ref: EngineTimerRef = {
      owner,
      timerId: `timer_${this.count++}`,
      callback,
      delay,
      args,
      expireAt,
      timerRef: null,
    };
    this.refs.add(ref);
    return ref;
  }
}
