import { Schema, type Connection, type Model } from 'mongoose';
import { SeqTakenError, type EventLogEntry, type EventLogPort } from '../ports/event-log-port.js';
import { isDuplicateKey } from './bulk-writes.js';

export type { EventLogEntry } from '../ports/event-log-port.js';

interface EventLogDoc {
  _id: number;
  at: Date;
  event: string;
  rooms: string[];
  except?: string[];
  // a JSON string: payloads hold process variables whose keys may contain '.' or '$'
  payload: string;
}

const eventLogSchema = new Schema<EventLogDoc>(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    event: { type: String, required: true },
    rooms: { type: [String], default: [] },
    except: { type: [String], default: undefined },
    payload: { type: String, required: true },
  },
  { collection: 'event_log', versionKey: false },
);

export function eventLogModel(conn: Connection): Model<EventLogDoc> {
  return (
    (conn.models.EventLog as Model<EventLogDoc> | undefined) ??
    conn.model<EventLogDoc>('EventLog', eventLogSchema)
  );
}

/** The durable, bounded log behind `GET /api/events?after=<seq>`. */
export class EventLogStore implements EventLogPort {
  private readonly model: Model<EventLogDoc>;

  constructor(conn: Connection) {
    this.model = eventLogModel(conn);
  }

  /** The highest seq written so far (0 when empty). */
  async lastSeq(): Promise<number> {
    const doc = await this.model.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean<{ _id: number }>();
    return doc?._id ?? 0;
  }

  /** Appends entries in one insert (ordered: a duplicate seq stops the rest, code 11000). */
  async appendMany(entries: EventLogEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.model.insertMany(
      entries.map((entry) => ({
        _id: entry.seq,
        at: new Date(entry.at),
        event: entry.event,
        rooms: entry.rooms,
        ...(entry.except?.length ? { except: entry.except } : {}),
        payload: JSON.stringify(entry.payload),
      })),
      { ordered: true },
    );
  }

  /** `appendMany` with a taken seq (another server wrote it) reported as the port's `SeqTakenError`. */
  async append(entries: EventLogEntry[]): Promise<void> {
    try {
      await this.appendMany(entries);
    } catch (err) {
      throw isDuplicateKey(err) ? new SeqTakenError(err) : err;
    }
  }

  /** Entries after `seq` that went to any of `rooms` and were not kept from any of them, oldest first. */
  async after(seq: number, rooms: string[], limit: number): Promise<EventLogEntry[]> {
    const docs = await this.model
      .find({ _id: { $gt: seq }, rooms: { $in: rooms }, except: { $nin: rooms } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<EventLogDoc[]>();
    return docs.map((d) => ({
      seq: d._id,
      at: d.at.toISOString(),
      event: d.event,
      rooms: d.rooms,
      ...(d.except?.length ? { except: d.except } : {}),
      payload: JSON.parse(d.payload) as unknown,
    }));
  }

  /** The lowest seq still kept (0 when empty): a client behind it must reload instead of catching up. */
  async firstSeq(): Promise<number> {
    const doc = await this.model.findOne({}, { _id: 1 }).sort({ _id: 1 }).lean<{ _id: number }>();
    return doc?._id ?? 0;
  }

  /** Keeps the newest `keep` entries. */
  async trim(keep: number): Promise<number> {
    const last = await this.lastSeq();
    if (last <= keep) return 0;
    const res = await this.model.deleteMany({ _id: { $lte: last - keep } });
    return res.deletedCount ?? 0;
  }
}
