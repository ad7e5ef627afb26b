import { log } from '../logger.js';
import type { MetricsPort } from '../ports/metrics-port.js';
import { rooms } from '../../schemas/events.js';
import type { EventLog } from './event-log.js';

/**
 * Recomputes the dashboard figures at most once per `intervalMs` after something changed, and sends them to
 * the `dashboard` room as `metrics:updated`: one computation for all dashboards, not one per viewer.
 */
export class MetricsPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly metrics: MetricsPort,
    private readonly eventLog: EventLog,
    private readonly intervalMs: number,
    /** False when no dashboard is connected: then nothing is computed. */
    private readonly watched: () => boolean = () => true,
  ) {}

  /** Something moved: schedule a recomputation (coalesced). */
  poke(): void {
    if (this.closed || !this.watched()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.publish().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async publish(): Promise<void> {
    try {
      const metrics = await this.metrics.compute();
      await this.eventLog.publish('metrics:updated', [rooms.dashboard], { metrics }, { replay: false });
    } catch (err) {
      log.warn('metrics: recomputation failed', { error: String(err) });
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
