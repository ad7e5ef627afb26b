import { Schema, type Connection, type Model } from 'mongoose';
import type { MailMode } from '../../schemas/notifications.js';
import { updateLane, type UpdateLane } from './update-lane.js';

/** One user's mail settings (`_id` = user id). */
export interface MailSettings {
  email: string;
  mode: MailMode;
}

interface SettingsDoc {
  _id: string;
  email: string;
  mode: MailMode;
}

const settingsSchema = new Schema<SettingsDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, default: '' },
    mode: { type: String, default: 'immediate' },
  },
  { collection: 'notification_settings', versionKey: false },
);

function settingsModel(conn: Connection): Model<SettingsDoc> {
  return (
    (conn.models.NotificationSettings as Model<SettingsDoc> | undefined) ??
    conn.model<SettingsDoc>('NotificationSettings', settingsSchema)
  );
}

/** Without a stored choice: mail at once (to no address until the user gives one). */
export const DEFAULT_MAIL_SETTINGS: MailSettings = Object.freeze({ email: '', mode: 'immediate' });

/**
 * Users' mail settings, one small document per user, mirrored in memory (loaded once: one server owns the
 * database), so deciding whom to mail never reads the database.
 */
export class NotificationSettingsStore {
  private readonly model: Model<SettingsDoc>;
  private readonly lane: UpdateLane;
  private mirror: Promise<Map<string, MailSettings>> | undefined;

  constructor(conn: Connection) {
    this.model = settingsModel(conn);
    this.lane = updateLane(conn);
  }

  private loaded(): Promise<Map<string, MailSettings>> {
    this.mirror ??= this.model
      .find({})
      .lean<SettingsDoc[]>()
      .then((docs) => new Map(docs.map((d) => [d._id, { email: d.email, mode: d.mode }])))
      .catch((err: unknown) => {
        this.mirror = undefined;
        throw err;
      });
    return this.mirror;
  }

  async get(userId: string): Promise<MailSettings> {
    return { ...((await this.loaded()).get(userId) ?? DEFAULT_MAIL_SETTINGS) };
  }

  async set(userId: string, settings: MailSettings): Promise<MailSettings> {
    const mirror = await this.loaded();
    await this.lane.run(() =>
      this.model.collection.replaceOne({ _id: userId } as never, settings as never, { upsert: true }),
    );
    mirror.set(userId, { ...settings });
    return { ...settings };
  }
}
