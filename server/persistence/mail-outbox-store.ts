import { Schema, type Connection, type Model } from 'mongoose';
import type { NotificationItem } from '../../schemas/notifications.js';
import { deleteByIds, isDuplicateKey } from './bulk-writes.js';
import { updateLane, type UpdateLane } from './update-lane.js';

/**
 * One mail waiting in the outbox. `id` is its idempotency key (one per notification and user, or per digest
 * and day) and the source of its Message-ID.
 * - `pending`: to be sent at `nextAt`;
 * - `held`: waits for the user's daily digest;
 * - `batched`: taken into the digest `batch` (a crash between batching and the digest's insert is repaired);
 * - `sending`: handed to the SMTP server; found after a crash it may have gone out, so it is never sent again.
 */
export interface MailEntry {
  id: string;
  userId: string;
  to: string;
  lang: 'fa' | 'en';
  state: 'pending' | 'held' | 'batched' | 'sending';
  /** A digest of several notifications (rendered as a list) rather than one notification. */
  digest: boolean;
  items: NotificationItem[];
  attempts: number;
  nextAt: string;
  createdAt: string;
  batch?: string;
  lastError?: string;
}

/** How a mail left the outbox, kept by id so the same mail is never queued again. */
export type MailOutcome = 'sent' | 'failed' | 'uncertain' | 'in-digest';

interface OutboxDoc {
  _id: string;
  entry: string;
}

interface SentDoc {
  _id: string;
  outcome: MailOutcome;
  at: string;
}

const outboxSchema = new Schema<OutboxDoc>(
  { _id: { type: String, required: true }, entry: { type: String, required: true } },
  { collection: 'mail_outbox', versionKey: false },
);
const sentSchema = new Schema<SentDoc>(
  {
    _id: { type: String, required: true },
    outcome: { type: String, required: true },
    at: { type: String, required: true },
  },
  { collection: 'mail_sent', versionKey: false },
);

function models(conn: Connection) {
  return {
    outbox:
      (conn.models.MailOutbox as Model<OutboxDoc> | undefined) ??
      conn.model<OutboxDoc>('MailOutbox', outboxSchema),
    sent: (conn.models.MailSent as Model<SentDoc> | undefined) ?? conn.model<SentDoc>('MailSent', sentSchema),
  };
}

/**
 * The durable mail outbox. `mail_outbox` holds only mail not yet done (small: read whole once at start);
 * `mail_sent` keeps the id of every mail done, read only by `_id` (FerretDB's one indexed lookup), never scanned.
 * A mail is done by writing its `mail_sent` record first and deleting it from the outbox second: a crash
 * between the two leaves an outbox entry whose `mail_sent` record says it is done.
 */
export class MailOutboxStore {
  private readonly outbox: Model<OutboxDoc>;
  private readonly sent: Model<SentDoc>;
  private readonly lane: UpdateLane;

  constructor(conn: Connection) {
    ({ outbox: this.outbox, sent: this.sent } = models(conn));
    this.lane = updateLane(conn);
  }

  /** Every entry not done yet, oldest first. */
  async open(): Promise<MailEntry[]> {
    const docs = await this.outbox.find({}).lean<OutboxDoc[]>();
    return docs
      .map((d) => JSON.parse(d.entry) as MailEntry)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** How the mail `id` left the outbox, if it did. */
  async outcome(id: string): Promise<MailOutcome | undefined> {
    const doc = await this.sent.collection.findOne({ _id: id } as never);
    return (doc as unknown as SentDoc | null)?.outcome;
  }

  /**
   * Queues a mail; false when one with its id is queued or done already. Insert first, then look for a record
   * of it done: `finish` records before it deletes, so whatever the interleaving with a `finish` of the same id,
   * either the insert meets the entry still there (duplicate) or the check meets the record (and takes the
   * insert back). Checking first could miss a record written between the check and the insert.
   */
  async insert(entry: MailEntry): Promise<boolean> {
    try {
      await this.outbox.collection.insertOne({ _id: entry.id, entry: JSON.stringify(entry) } as never);
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    if (await this.outcome(entry.id)) {
      await this.lane.run(() => deleteByIds(this.outbox.collection as never, [entry.id]));
      return false;
    }
    return true;
  }

  /** Writes an entry's new state (durable when it resolves). */
  async update(entry: MailEntry): Promise<void> {
    await this.lane.run(() =>
      this.outbox.collection.replaceOne(
        { _id: entry.id } as never,
        { entry: JSON.stringify(entry) } as never,
      ),
    );
  }

  /** Records how mails left and removes them from the outbox (record first: see the class comment). */
  async finish(ids: string[], outcome: MailOutcome, at: string): Promise<void> {
    if (!ids.length) return;
    for (const id of ids) {
      try {
        await this.sent.collection.insertOne({ _id: id, outcome, at } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    await this.lane.run(() => deleteByIds(this.outbox.collection as never, ids));
  }
}
