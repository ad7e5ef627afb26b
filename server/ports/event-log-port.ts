/** One wire event as written before it is emitted: `seq` is its `_id`, so catch-up reads stay on `_id`. */
export interface EventLogEntry {
  seq: number;
  at: string;
  event: string;
  /** Socket rooms the event went to (`user:<id>`, `group:<id>`, `dashboard`, `instance:<id>`). */
  rooms: string[];
  /** Rooms (`user:<id>`) kept from the event although one of `rooms` holds them (the four-eyes rule). */
  except?: string[];
  payload: unknown;
}

/** Another server already wrote one of the seqs `EventLogPort.append` was given. */
export class SeqTakenError extends Error {
  constructor(cause?: unknown) {
    super('an event log seq is taken', { cause });
    this.name = 'SeqTakenError';
  }
}

/** The durable, bounded log behind `GET /api/events?after=<seq>` (`server/persistence/event-log-store.ts`). */
export interface EventLogPort {
  /** The highest seq written so far (0 when empty). */
  lastSeq(): Promise<number>;
  /** Appends entries in order; rejects with `SeqTakenError` when a seq is taken (the entries before it are in). */
  append(entries: EventLogEntry[]): Promise<void>;
  /** Entries after `seq` that went to any of `rooms`, oldest first. */
  after(seq: number, rooms: string[], limit: number): Promise<EventLogEntry[]>;
  /** The lowest seq still kept (0 when empty): a client behind it must reload instead of catching up. */
  firstSeq(): Promise<number>;
  /** Keeps the newest `keep` entries; returns how many went. */
  trim(keep: number): Promise<number>;
}
