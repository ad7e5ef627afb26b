import type { Connection } from 'mongoose';
import type { WorkflowRuntime } from '../engine/types.js';
import { log } from '../logger.js';
import { MailOutboxStore } from '../persistence/mail-outbox-store.js';
import { NotificationInboxStore } from '../persistence/notification-inbox-store.js';
import { NotificationLedgerStore } from '../persistence/notification-ledger-store.js';
import { NotificationSettingsStore } from '../persistence/notification-settings-store.js';
import type { UserRecord, UserStore } from '../persistence/user-store.js';
import type {
  MailMode,
  NotificationItem,
  NotificationList,
  NotificationSettings,
} from '../../schemas/notifications.js';
import { DigestScheduler } from './digest-scheduler.js';
import { MailSender, defaultMailSenderOptions, type MailSenderOptions } from './mail-sender.js';
import { Notifier, type Directory } from './notifier.js';

/** Mail settings of the server (config.ts); `smtpUrl` undefined turns mail off (the bell still works). */
export interface NotificationConfig {
  smtpUrl: string | undefined;
  mailFrom: string;
  /** `HH:MM` Asia/Kabul. */
  digestTime: string;
  publicUrl: string;
  sender?: Partial<MailSenderOptions>;
  now?: () => Date;
}

/** How long the account list is reused before it is read again. */
const DIRECTORY_TTL_MS = 30_000;

function cachedDirectory(users: UserStore): Directory & { refresh(): void } {
  let cache: { at: number; byId: Map<string, UserRecord> } | undefined;
  const load = async () => {
    if (!cache || Date.now() - cache.at > DIRECTORY_TTL_MS)
      cache = { at: Date.now(), byId: new Map((await users.list()).map((u) => [u.id, u])) };
    return cache.byId;
  };
  return {
    async get(id) {
      return (await load()).get(id) ?? (await users.get(id));
    },
    async members(groupId) {
      return [...(await load()).values()].filter((u) => u.active && u.groups.includes(groupId));
    },
    refresh() {
      cache = undefined;
    },
  };
}

/** The notification feature: bell, mail outbox, digest; built by `createApp` when there is an engine. */
export class Notifications {
  readonly inbox: NotificationInboxStore;
  private readonly settings: NotificationSettingsStore;
  private readonly outbox: MailOutboxStore;
  private readonly sender: MailSender | undefined;
  private readonly digest: DigestScheduler | undefined;
  private readonly notifier: Notifier;
  private readonly directory: ReturnType<typeof cachedDirectory>;
  private started: Promise<void> | undefined;

  constructor(
    conn: Connection,
    runtime: WorkflowRuntime,
    users: UserStore,
    private readonly config: NotificationConfig,
    publish: (userId: string, item: NotificationItem, unread: number) => void,
  ) {
    const now = config.now ?? (() => new Date());
    this.inbox = new NotificationInboxStore(conn);
    this.settings = new NotificationSettingsStore(conn);
    this.outbox = new MailOutboxStore(conn);
    this.directory = cachedDirectory(users);
    if (config.smtpUrl) {
      this.sender = new MailSender(
        this.outbox,
        { url: config.smtpUrl, from: config.mailFrom, publicUrl: config.publicUrl },
        { ...defaultMailSenderOptions, ...config.sender },
        now,
      );
      const sender = this.sender;
      this.digest = new DigestScheduler(
        this.outbox,
        config.digestTime,
        (id) => this.settings.get(id),
        (e) => sender.add(e),
        now,
      );
    }
    this.notifier = new Notifier({
      runtime,
      directory: this.directory,
      inbox: this.inbox,
      ledger: new NotificationLedgerStore(conn),
      settings: this.settings,
      outbox: this.outbox,
      mailOn: !!this.sender,
      queueMail: (e) => (e.state === 'held' ? this.digest?.hold(e) : this.sender?.add(e)),
      publish,
      now,
    });
  }

  /**
   * Starts listening, watching due dates and sending what the outbox holds (in the background). The first read
   * of the open tasks (and of the outbox) waits for `after`: a server's start-up passes its own reads, which
   * need the database first.
   */
  start(after?: Promise<unknown>): Promise<void> {
    this.started ??= (async () => {
      await this.notifier.start(after);
      if (this.sender) {
        const open = await this.outbox.open();
        await this.digest!.start(open);
        await this.sender.start(open);
      }
    })().catch((err: unknown) => log.error('notifications did not start', { error: String(err) }));
    return this.started;
  }

  /** Resolves when every notification so far is in the bells and the outbox (tests, shutdown). */
  async settled(): Promise<void> {
    await this.started;
    await this.notifier.settled();
  }

  /** Runs the daily digest now, as if its time had come (tests; the scheduler calls the same). */
  async runDigest(at: Date): Promise<void> {
    await this.digest?.run(at);
  }

  /** The account list changed (users created or edited). */
  directoryChanged(): void {
    this.directory.refresh();
  }

  list(userId: string): Promise<NotificationList> {
    return this.inbox.get(userId);
  }

  markRead(userId: string, keys?: string[]): Promise<NotificationList> {
    return this.inbox.markRead(userId, keys);
  }

  async getSettings(userId: string): Promise<NotificationSettings> {
    const s = await this.settings.get(userId);
    return { ...s, mailEnabled: !!this.sender, digestTime: this.config.digestTime };
  }

  async setSettings(
    userId: string,
    patch: { email?: string; mode?: MailMode },
  ): Promise<NotificationSettings> {
    const current = await this.settings.get(userId);
    await this.settings.set(userId, {
      email: patch.email ?? current.email,
      mode: patch.mode ?? current.mode,
    });
    return this.getSettings(userId);
  }

  async close(): Promise<void> {
    this.notifier.close();
    await this.started;
    await this.notifier.settled();
    await this.digest?.close();
    await this.sender?.close();
  }
}
