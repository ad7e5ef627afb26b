import { log } from './logger.js';

/**
 * The start-up's phases in the log, one line each: how long the phase took and when it ended, both in ms
 * (`at` counts from the process start, module loading included), so a slow start shows where it went.
 */
export class StartupPhases {
  private last = performance.now();

  /** Logs that `phase` has ended (info level), with what it did. */
  done(phase: string, fields: Record<string, unknown> = {}): void {
    const now = performance.now();
    log.info('start-up phase', { phase, ms: Math.round(now - this.last), at: Math.round(now), ...fields });
    this.last = now;
  }
}
