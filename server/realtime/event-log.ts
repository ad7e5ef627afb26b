import type { Server as SocketServer } from 'socket.io';
import { log } from '../logger.js';
import { SeqTakenError, type EventLogPort } from '../ports/event-log-port.js';
import type { WireEvent, WireEventName } from '../../schemas/events.js';

/**
 * Gives every wire event the next `seq`, writes it to the durable log, and only then emits it to its rooms.
 * Publishing is serialised, so sockets see events in seq order.
 */
export class EventLog {
  private seq = 0;
  private chain: Promise<void>;
  private sinceTrim = 0;
  private scheduled = false;
  private pending: {
    event: WireEventName;
    rooms: string[];
    body: object;
    replay: boolean;
    except: Promise<string[] | undefined>;
    resolve(): void;
  }[] = [];

  constructor(
    private readonly store: EventLogPort,
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
   * `replay: false` numbers the event without keeping it for `GET /api/events`. Events published while a
   * write is in flight go out together in the next one (group commit): one insert for many events. `except`
   * names rooms (`user:<id>`) whose sockets must not hear it even when they are in one of `rooms`; a promise
   * of them is awaited in publish order, so events still go out in seq order.
   */
  publish<E extends WireEventName>(
    event: E,
    rooms: string[],
    body: Omit<WireEvent<E>, 'seq' | 'at'>,
    options: { replay?: boolean; except?: string[] | Promise<string[]> } = {},
  ): Promise<void> {
    const uniqueRooms = [...new Set(rooms)];
    if (uniqueRooms.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.pending.push({
        event,
        rooms: uniqueRooms,
        body,
        replay: options.replay !== false,
        // handled at once: a rejection waiting for the flush would be an unhandled one
        except: exceptRooms(options.except, event),
        resolve,
      });
      if (this.scheduled) return;
      this.scheduled = true;
      this.chain = this.chain.then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const pending = this.pending.splice(0);
    const at = new Date().toISOString();
    const audiences = await Promise.all(pending.map((p) => p.except));
    // an event whose audience cannot be told goes to no one (the client's next reload shows what it holds)
    const batch = pending.filter((_, i) => audiences[i] !== undefined);
    const except = audiences.filter((a): a is string[] => a !== undefined);
    for (const p of pending) if (!batch.includes(p)) p.resolve();
    const number = () => batch.map((p, i) => ({ p, seq: ++this.seq, except: except[i]! }));
    let numbered = number();
    const entries = () =>
      numbered
        .filter((n) => n.p.replay)
        .map(({ p, seq, except }) => ({
          seq,
          at,
          event: p.event,
          rooms: p.rooms,
          ...(except.length ? { except } : {}),
          payload: p.body,
        }));
    try {
      try {
        await this.store.append(entries());
      } catch (err) {
        if (!(err instanceof SeqTakenError)) throw err;
        // another server wrote these seqs: continue after the newest one
        this.seq = await this.store.lastSeq();
        numbered = number();
        await this.store.append(entries());
      }
      for (const { p, seq, except } of numbered) {
        const to = except.length ? this.io.to(p.rooms).except(except) : this.io.to(p.rooms);
        (to as unknown as { emit(e: string, payload: unknown): void }).emit(p.event, {
          ...p.body,
          seq,
          at,
        });
      }
      this.sinceTrim += batch.length;
      if (this.sinceTrim >= 500) {
        this.sinceTrim = 0;
        await this.store.trim(this.keep);
      }
    } catch (err) {
      log.error('event log: publish failed', { events: batch.map((p) => p.event), error: String(err) });
    } finally {
      for (const p of batch) p.resolve();
    }
  }

  /** Resolves when everything published so far has been emitted. */
  drain(): Promise<void> {
    return this.chain;
  }
}

/** The rooms an event is kept from; undefined when they cannot be told (then it goes to no one). */
async function exceptRooms(
  except: string[] | Promise<string[]> | undefined,
  event: string,
): Promise<string[] | undefined> {
  try {
    return (await except) ?? [];
  } catch (err) {
    log.warn('event log: audience not worked out, event not sent', { event, error: String(err) });
    return undefined;
  }
}
