import { auditKey, type AuditDraft, type AuditWriter } from './audit-chain.js';
import type { CheckpointStore, CheckpointUnit } from './stores.js';

interface Pending {
  unit: CheckpointUnit;
  resolve(ok: boolean): void;
  reject(err: unknown): void;
}

/**
 * Group commit: checkpoints of different instances queued while a write is in flight go out together in
 * the next one, followed by their audit entries. One writer at a time: FerretDB (SQLite) degrades sharply
 * with concurrent writers, and batching turns N commands into a handful of bulk statements.
 *
 * A unit's audit entries are its instance record's `auditDrafts`: they are written with the checkpoint, so a
 * crash between the checkpoint and the append loses nothing (startup recovery appends what is missing, matched
 * by the key each entry is stored with).
 */
export class CheckpointBatcher {
  private queue: Pending[] = [];
  private readonly flushing = new Set<Promise<void>>();

  constructor(
    private readonly store: CheckpointStore,
    private readonly audit: AuditWriter,
    private readonly maxBatch = 64,
    /** Batches in flight at once: two keeps the database busy while the engine works, more only contends. */
    private readonly lanes = 2,
  ) {}

  /** Resolves once the unit and its audit entries are durable; false when its rev guard failed. */
  write(unit: CheckpointUnit): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing.size >= this.lanes || !this.queue.length) return;
    const batch = this.queue.splice(0, this.maxBatch);
    const run = (async () => {
      try {
        const ok = await this.store.write(
          batch.map((p) => p.unit),
          (written) => {
            const drafts: AuditDraft[] = [];
            const keys: string[] = [];
            batch.forEach((p, i) => {
              if (!written[i]) return;
              const { id, rev, auditDrafts = [] } = p.unit.instance;
              auditDrafts.forEach((d, n) => {
                drafts.push(d);
                keys.push(auditKey(id, rev, n));
              });
            });
            return this.audit.append(drafts, keys);
          },
        );
        batch.forEach((p, i) => p.resolve(ok[i] ?? false));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    })().finally(() => {
      this.flushing.delete(run);
      this.kick();
    });
    this.flushing.add(run);
  }

  /** Waits for queued writes. */
  async flush(): Promise<void> {
    while (this.flushing.size) await Promise.all([...this.flushing]);
  }
}
