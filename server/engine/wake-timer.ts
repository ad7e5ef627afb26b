import type { Clock } from './clock.js';

/**
 * One unref'd Node timer towards a moment on the clock, never sleeping more than `maxMs` at a time; arming
 * it again replaces the earlier one. The scheduler and the timer pre-warmer each keep one to wake their loop.
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly maxMs: number,
    private readonly wake: () => void,
  ) {}

  /** When the armed timer will fire (epoch ms on the clock), or undefined when none is armed. */
  get at(): number | undefined {
    return this.wakeAt;
  }

  arm(at: number): void {
    this.disarm();
    const now = this.clock.now().getTime();
    const delay = Math.min(Math.max(at - now, 0), this.maxMs);
    this.wakeAt = now + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = undefined;
      this.wake();
    }, delay);
    this.timer.unref?.();
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
  }
}
