import { Schema, type Connection, type Model } from 'mongoose';
import type { NotificationItem, NotificationList } from '../../schemas/notifications.js';
import { updateLane, type UpdateLane } from './update-lane.js';

/** How many notifications a user's bell keeps (the oldest drop off). */
export const INBOX_KEEP = 50;

/** `items` as JSON text: the newest first. */
interface InboxDoc {
  _id: string;
  items: string;
}

const inboxSchema = new Schema<InboxDoc>(
  { _id: { type: String, required: true }, items: { type: String, default: '[]' } },
  { collection: 'notification_inbox', versionKey: false },
);

function inboxModel(conn: Connection): Model<InboxDoc> {
  return (
    (conn.models.NotificationInbox as Model<InboxDoc> | undefined) ??
    conn.model<InboxDoc>('NotificationInbox', inboxSchema)
  );
}

function listOf(items: NotificationItem[]): NotificationList {
  return { items, unread: items.filter((i) => !i.read).length };
}

/**
 * Each user's bell as ONE document (`_id` = user id, newest first, at most `INBOX_KEEP`): reading it is a
 * lookup by `_id`, the only one FerretDB answers from an index. Changes of one user run one after another.
 */
export class NotificationInboxStore {
  private readonly model: Model<InboxDoc>;
  private readonly lane: UpdateLane;
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(conn: Connection) {
    this.model = inboxModel(conn);
    this.lane = updateLane(conn);
  }

  async get(userId: string): Promise<NotificationList> {
    const doc = await this.model.collection.findOne({ _id: userId } as never);
    const text = (doc as unknown as InboxDoc | null)?.items;
    return listOf(text ? (JSON.parse(text) as NotificationItem[]) : []);
  }

  /** Runs read-change-write steps of one user in order. */
  private serial<T>(userId: string, step: () => Promise<T>): Promise<T> {
    const result = (this.chains.get(userId) ?? Promise.resolve()).then(step);
    const tail = result.catch(() => undefined);
    this.chains.set(userId, tail);
    void tail.then(() => {
      if (this.chains.get(userId) === tail) this.chains.delete(userId);
    });
    return result;
  }

  private async change(
    userId: string,
    edit: (items: NotificationItem[]) => NotificationItem[] | undefined,
  ): Promise<{ list: NotificationList; changed: boolean }> {
    return this.serial(userId, async () => {
      const { items } = await this.get(userId);
      const next = edit(items);
      if (!next) return { list: listOf(items), changed: false };
      await this.lane.run(() =>
        this.model.collection.replaceOne({ _id: userId } as never, { items: JSON.stringify(next) } as never, {
          upsert: true,
        }),
      );
      return { list: listOf(next), changed: true };
    });
  }

  /** Adds a notification at the top unless one with its key is there; `added` false for a repeat. */
  async add(userId: string, item: NotificationItem): Promise<{ list: NotificationList; added: boolean }> {
    const { list, changed } = await this.change(userId, (items) =>
      items.some((i) => i.key === item.key) ? undefined : [item, ...items].slice(0, INBOX_KEEP),
    );
    return { list, added: changed };
  }

  /** Marks the given notifications read (all of them when `keys` is undefined). */
  async markRead(userId: string, keys?: string[]): Promise<NotificationList> {
    const wanted = keys ? new Set(keys) : undefined;
    const { list } = await this.change(userId, (items) =>
      items.some((i) => !i.read && (!wanted || wanted.has(i.key)))
        ? items.map((i) => (!i.read && (!wanted || wanted.has(i.key)) ? { ...i, read: true } : i))
        : undefined,
    );
    return list;
  }
}
