import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { log } from '../logger.js';
import type { MailEntry, MailOutboxStore } from '../persistence/mail-outbox-store.js';
import { renderMail } from './mail-templates.js';

/** Retry and timing tunables of the mail outbox (tests shorten them). */
export interface MailSenderOptions {
  /** Wait before the first retry; doubles with each failure (default 30 s). */
  retryBaseMs: number;
  /** Longest wait between retries (default 1 hour). */
  retryMaxMs: number;
  /** Attempts before a mail is given up and logged as an error (default 10, about 5 hours). */
  maxAttempts: number;
}

export const defaultMailSenderOptions: MailSenderOptions = {
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  maxAttempts: 10,
};

/** Where mail goes: an SMTP URL (`smtp://user:pass@host:587`, `smtps://…:465`) and the From address. */
export interface MailTransportConfig {
  url: string;
  from: string;
  /** Links in mails start with this (RAVAND_PUBLIC_URL). */
  publicUrl: string;
}

/** The Message-ID of a mail: the same for the same idempotency key, so a receiver can tell a repeat. */
export function messageIdOf(id: string, publicUrl: string): string {
  const host = (() => {
    try {
      return new URL(publicUrl).hostname || 'ravand.local';
    } catch {
      return 'ravand.local';
    }
  })();
  return `<${crypto.createHash('sha256').update(id).digest('hex').slice(0, 40)}@${host}>`;
}

/**
 * Sends the outbox's pending mail through SMTP, one at a time, retrying with growing delays.
 *
 * Never twice, even after a crash: before a mail is handed to the SMTP server its entry is durably marked
 * `sending`; after the server's 250 the mail is recorded as sent (`mail_sent`, by id) and removed. A crash
 * between the mark and the record leaves a `sending` entry: whether the server took it is unknown, and since a
 * repeat is what must never happen, it is NOT sent again (logged as a warning, recorded `uncertain`). The
 * window is one SMTP exchange. A crash before the mark (queued, not sent) sends it after the restart, once.
 * Send-then-mark would repeat the mail in that window instead; the Message-ID is derived from the id either
 * way, so a repeat made by hand is recognisable too.
 */
export class MailSender {
  private readonly transport: Transporter;
  private readonly queue = new Map<string, MailEntry>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: MailOutboxStore,
    private readonly config: MailTransportConfig,
    private readonly options: MailSenderOptions = defaultMailSenderOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.transport = nodemailer.createTransport(config.url);
  }

  /** Reads the outbox after a start: `sending` entries of a crash are closed as uncertain, the rest queued. */
  async start(entries: MailEntry[]): Promise<void> {
    for (const entry of entries) {
      if (entry.state === 'sending') {
        log.warn('mail: a send was interrupted by a stop; not sent again (it may have gone out)', {
          id: entry.id,
          to: entry.to,
        });
        await this.store.finish([entry.id], 'uncertain', this.now().toISOString());
      } else if (entry.state === 'pending') {
        // a restart tries at once (the SMTP server being fixed is a common reason to restart)
        this.queue.set(entry.id, { ...entry, nextAt: this.now().toISOString() });
      }
    }
    this.kick();
  }

  /** Takes a newly queued (already stored) pending entry. */
  add(entry: MailEntry): void {
    if (entry.state !== 'pending' || this.closed) return;
    this.queue.set(entry.id, entry);
    this.kick();
  }

  /** Mail waiting to be sent (for tests and metrics). */
  get waiting(): number {
    return this.queue.size;
  }

  private kick(delayMs = 0): void {
    if (this.closed || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.drain().finally(() => {
        this.running = undefined;
        this.scheduleNext();
      });
    }, delayMs);
    this.timer.unref();
  }

  private scheduleNext(): void {
    if (this.closed || !this.queue.size) return;
    const next = Math.min(...[...this.queue.values()].map((e) => Date.parse(e.nextAt)));
    this.kick(Math.max(0, next - this.now().getTime()));
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const nowMs = this.now().getTime();
      const due = [...this.queue.values()].find((e) => Date.parse(e.nextAt) <= nowMs);
      if (!due) return;
      try {
        await this.sendOne(due);
      } catch (err) {
        // the database, not SMTP, failed: try again later from what is in memory
        log.error('mail: outbox write failed', { id: due.id, error: String(err) });
        due.nextAt = new Date(nowMs + this.options.retryBaseMs).toISOString();
      }
    }
  }

  private async sendOne(entry: MailEntry): Promise<void> {
    // mark before send: a crash from here on never sends this mail again
    const sending: MailEntry = { ...entry, state: 'sending', attempts: entry.attempts + 1 };
    await this.store.update(sending);
    const mail = renderMail(entry.items, entry.lang, this.config.publicUrl, entry.digest);
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: entry.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdOf(entry.id, this.config.publicUrl),
        headers: { 'X-Ravand-Notification': entry.id },
      });
    } catch (err) {
      const at = this.now();
      if (sending.attempts >= this.options.maxAttempts) {
        log.error('mail: given up after repeated failures', {
          id: entry.id,
          to: entry.to,
          error: String(err),
        });
        this.queue.delete(entry.id);
        await this.store.finish([entry.id], 'failed', at.toISOString());
        return;
      }
      const wait = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (sending.attempts - 1));
      const retry: MailEntry = {
        ...sending,
        state: 'pending',
        nextAt: new Date(at.getTime() + wait).toISOString(),
        lastError: String(err).slice(0, 300),
      };
      log.warn('mail: send failed, will retry', { id: entry.id, attempt: sending.attempts, waitMs: wait });
      await this.store.update(retry);
      this.queue.set(entry.id, retry);
      return;
    }
    this.queue.delete(entry.id);
    await this.store.finish([entry.id], 'sent', this.now().toISOString());
    log.debug('mail sent', { id: entry.id });
  }

  /** Stops sending; waits for the mail in flight. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
    this.transport.close();
  }
}
