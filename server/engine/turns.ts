/**
 * One CPU-heavy engine step per turn of the event loop. Engine work comes in synchronous bursts (restoring an
 * engine, running it to its next wait): eight timers launched together used to run back to back for tens of
 * milliseconds while the database's answers (the checkpoints they all wait for) sat unread, which kept the
 * update lane idle meanwhile. A step that waits for its turn here starts in a turn of its own
 * (`setImmediate`), after the I/O and timers that came in meanwhile. Measured on the timers bench (1,000
 * timers in 10 s): the longest event-loop stall went from 85–140 ms to 30–45 ms (`bench:timers` prints it). Giving firings priority over
 * pre-warming was tried and measured no better, so turns go in arrival order.
 */
export class Turns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves at the start of a turn of its own, in the order asked for. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.tick);
      }
    });
  }

  private readonly tick = (): void => {
    this.waiting.shift()?.();
    if (this.waiting.length) setImmediate(this.tick);
    else this.scheduled = false;
  };
}

/** The runtime's turns: timer firings, and the restores of engines pre-warmed for timers due soon. */
export const engineTurns = new Turns();
