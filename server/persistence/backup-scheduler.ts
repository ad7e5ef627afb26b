import fs from 'node:fs';
import path from 'node:path';
import { log } from '../logger.js';
import type { LastBackup } from '../ports/last-backup.js';
import { backupFileName, createBackup, listBackups, type BackupSource } from './backup.js';

/** Kabul keeps UTC+04:30 all year (no daylight saving since 1945). */
const KABUL_OFFSET_MS = 4.5 * 3_600_000;

/** The next moment after `now` at `hhmm` (`HH:MM`) Asia/Kabul time. */
export function nextKabulTime(hhmm: string, now: Date): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const kabulNow = new Date(now.getTime() + KABUL_OFFSET_MS);
  const kabulAt = Date.UTC(kabulNow.getUTCFullYear(), kabulNow.getUTCMonth(), kabulNow.getUTCDate(), h, m);
  let at = kabulAt - KABUL_OFFSET_MS;
  if (at <= now.getTime()) at += 86_400_000;
  return new Date(at);
}

export type { LastBackup } from '../ports/last-backup.js';

/** Daily backups inside the server at a set Kabul time, keeping the newest `keep` files in `dir`. */
export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<LastBackup> | undefined;

  constructor(
    private readonly source: BackupSource,
    private readonly options: { dir: string; time: string; keep: number; now?: () => Date },
  ) {}

  /** Arms the timer for the next run (nothing when `time` is empty). */
  start(): void {
    if (!this.options.time) return;
    const now = this.options.now?.() ?? new Date();
    const at = nextKabulTime(this.options.time, now);
    // Node timers overflow past ~24.8 days; a day is far below that
    this.timer = setTimeout(() => {
      void this.runNow()
        .catch((err: unknown) => log.error('scheduled backup failed', { error: String(err) }))
        .finally(() => this.start());
    }, at.getTime() - now.getTime());
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Takes a backup now (one at a time) and prunes the oldest beyond `keep`. */
  runNow(): Promise<LastBackup> {
    this.running ??= (async () => {
      try {
        const now = this.options.now?.() ?? new Date();
        const file = path.join(this.options.dir, backupFileName(now));
        const result = await createBackup(this.source, file);
        for (const old of listBackups(this.options.dir).slice(this.options.keep)) {
          fs.rmSync(old.file, { force: true });
          fs.rmSync(`${old.file}.sha256`, { force: true });
        }
        log.info('backup written', { file: result.file, bytes: result.bytes, documents: result.documents });
        return { at: result.createdAt, bytes: result.bytes, file: result.file };
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The schedule, for the admin page. */
  get schedule(): { time: string; keep: number } {
    return { time: this.options.time, keep: this.options.keep };
  }

  /** The backups in the folder, newest first. */
  list(): LastBackup[] {
    return listBackups(this.options.dir).map((b) => ({ at: b.createdAt, bytes: b.bytes, file: b.file }));
  }

  /** The newest backup file in the folder, if any. */
  last(): LastBackup | undefined {
    return this.list()[0];
  }
}
