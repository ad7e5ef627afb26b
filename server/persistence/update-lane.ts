import type { Connection } from 'mongoose';

/**
 * Update statements (update, replace, upsert, delete) of one connection, one at a time. On FerretDB 1.24's
 * SQLite backend two of them running at once, even on different collections, can hang both for good
 * (reproduced: a bulk `$addToSet` upsert beside a bulk `replaceOne`, within a few rounds); inserts and reads
 * may run beside them. On MongoDB the lane lets everything through at once.
 */
export class UpdateLane {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private serial = true) {}

  /** Lets updates run side by side (MongoDB). */
  parallel(): void {
    this.serial = false;
  }

  run<T>(update: () => Promise<T>): Promise<T> {
    if (!this.serial) return update();
    this.pending++;
    const result = this.tail.then(update).finally(() => this.pending--);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** True when no update statement runs or waits (writes nobody waits for can go now). */
  get idle(): boolean {
    return this.pending === 0;
  }
}

const lanes = new WeakMap<Connection, UpdateLane>();

/** The connection's update lane (serial until `parallel()` is called for a MongoDB connection). */
export function updateLane(conn: Connection): UpdateLane {
  let lane = lanes.get(conn);
  if (!lane) lanes.set(conn, (lane = new UpdateLane()));
  return lane;
}
