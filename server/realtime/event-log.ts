import type { Server as SocketServer } from 'socket.io';
import { log } from '../logger.js';
import type { EventLogStore } from '../persistence/event-log-store.js';
import type { WireEvent, WireEventName } from '../../schemas/events.js';

/**
 * Gives every wire event the next `seq`, writes it to the durable log, and only then emits it to its rooms.
 * Publishing is serialised, so sockets see events in seq order.
 */
export class EventLog {
  private seq = 0;
  private chain: Promise<void>;
  private sinceTrim = 0;

  constructor(
    private readonly store: EventLogStore,
    private readonly io: SocketServer,
    private readonly keep = 10_000,
  ) {
    // the first publish waits for the newest seq on disk, so numbering continues across restarts
    this.chain = store.lastSeq().then(
      (seq) => {
        this.seq = Math.max(this.seq, seq);
      },
      (err: unknown) => log.error('event log: cannot read the last seq', { error: String(err) }),
    );
  }

  /** The newest seq handed out. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Logs then emits; resolves once emitted (or logged as failed: a lost event must not stop the next one).
   * `replay: false` numbers the event without keeping it for `GET /api/events`.
   */
  publish<E extends WireEventName>(
    event: E,
    rooms: string[],
    body: Omit<WireEvent<E>, 'seq' | 'at'>,
    options: { replay?: boolean } = {},
  ): Promise<void> {
    const run = async () => {
      const uniqueRooms = [...new Set(rooms)];
      if (uniqueRooms.length === 0) return;
      const at = new Date().toISOString();
      let seq = ++this.seq;
      try {
        // snapshots (metrics) are numbered but not replayed: a reconnecting dashboard reloads them instead
        if (options.replay !== false)
          await this.store.append({ seq, at, event, rooms: uniqueRooms, payload: body });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // another server wrote this seq: continue after the newest one
        this.seq = await this.store.lastSeq();
        seq = ++this.seq;
        await this.store.append({ seq, at, event, rooms: uniqueRooms, payload: body });
      }
      const payload = { ...body, seq, at } as WireEvent<E>;
      (this.io.to(uniqueRooms) as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
      if (++this.sinceTrim >= 500) {
        this.sinceTrim = 0;
        await this.store.trim(this.keep);
      }
    };
    const next = this.chain.then(run).catch((err: unknown) => {
      log.error('event log: publish failed', { event, error: String(err) });
    });
    this.chain = next;
    return next;
  }

  /** Resolves when everything published so far has been emitted. */
  drain(): Promise<void> {
    return this.chain;
  }
}
