import { log } from '../logger.js';
import type { MailEntry, MailOutboxStore } from '../persistence/mail-outbox-store.js';
import type { MailSettings } from '../persistence/notification-settings-store.js';
import { nextKabulTime } from '../persistence/backup-scheduler.js';

const DAY_MS = 86_400_000;
const KABUL_OFFSET_MS = 4.5 * 3_600_000;

/** The Kabul calendar day of an instant, `YYYY-MM-DD`. */
function kabulDay(at: Date): string {
  return new Date(at.getTime() + KABUL_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The daily digest: at `time` (HH:MM, Asia/Kabul) the mail held for users who chose a digest becomes one mail per
 * user. Crash-safe in three durable steps, each repeatable: the held entries are marked `batched` into the
 * day's digest id, the digest is queued under that id (a second insert is refused), the batched entries are
 * closed. A start finishes a batch a crash left half done, and makes a digest missed while the server was down.
 */
export class DigestScheduler {
  private readonly held = new Map<string, MailEntry>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly store: MailOutboxStore,
    private readonly time: string,
    private readonly settingsOf: (userId: string) => Promise<MailSettings>,
    private readonly queue: (entry: MailEntry) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes the outbox's held and batched entries after a start. */
  async start(entries: MailEntry[]): Promise<void> {
    const batches = new Map<string, MailEntry[]>();
    for (const e of entries) {
      if (e.state === 'held') this.held.set(e.id, e);
      if (e.state === 'batched' && e.batch) batches.set(e.batch, [...(batches.get(e.batch) ?? []), e]);
    }
    for (const [batch, items] of batches) await this.completeBatch(batch, items);
    const lastRun = nextKabulTime(this.time, this.now()).getTime() - DAY_MS;
    if ([...this.held.values()].some((e) => Date.parse(e.createdAt) < lastRun)) {
      await this.run(new Date(lastRun));
    }
    this.arm();
  }

  /** Keeps a newly held (already stored) entry for the next digest. */
  hold(entry: MailEntry): void {
    this.held.set(entry.id, entry);
  }

  private arm(): void {
    if (this.closed) return;
    const now = this.now();
    const at = nextKabulTime(this.time, now);
    this.timer = setTimeout(() => {
      this.running = this.running
        .then(() => this.run(at))
        .catch((err: unknown) => log.error('mail digest failed', { error: String(err) }))
        .finally(() => this.arm());
    }, at.getTime() - now.getTime());
    this.timer.unref();
  }

  /** Makes the digests of everything held before `at` (one per user, id of the Kabul day of `at`). */
  async run(at: Date): Promise<void> {
    const byUser = new Map<string, MailEntry[]>();
    for (const e of this.held.values()) {
      if (Date.parse(e.createdAt) > at.getTime()) continue;
      byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
    }
    const day = kabulDay(at);
    for (const [userId, entries] of byUser) {
      const batch = `digest:${userId}:${day}`;
      const batched = entries.map((e) => ({ ...e, state: 'batched' as const, batch }));
      for (const e of batched) await this.store.update(e);
      for (const e of entries) this.held.delete(e.id);
      await this.completeBatch(batch, batched);
    }
  }

  private async completeBatch(batch: string, entries: MailEntry[]): Promise<void> {
    const first = entries[0]!;
    const settings = await this.settingsOf(first.userId);
    const at = this.now().toISOString();
    if (!settings.email || settings.mode === 'off') {
      await this.store.finish(
        entries.map((e) => e.id),
        'failed',
        at,
      );
      return;
    }
    const digest: MailEntry = {
      id: batch,
      userId: first.userId,
      to: settings.email,
      lang: first.lang,
      state: 'pending',
      digest: true,
      items: entries.flatMap((e) => e.items).sort((a, b) => a.at.localeCompare(b.at)),
      attempts: 0,
      nextAt: at,
      createdAt: at,
    };
    if (await this.store.insert(digest)) this.queue(digest);
    await this.store.finish(
      entries.map((e) => e.id),
      'in-digest',
      at,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
