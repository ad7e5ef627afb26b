import crypto from 'node:crypto';
import type { AuditStore } from './stores.js';
import type { AuditEvent } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth (undefined members dropped), so a hash is reproducible. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** sha256 over the previous hash and the canonical JSON of the entry without its own hash. */
export function hashAuditEvent(entry: Omit<AuditEvent, 'hash'>): string {
  const { hash: _ignored, ...rest } = entry as AuditEvent;
  return crypto.createHash('sha256').update(entry.prevHash).update(canonicalJson(rest)).digest('hex');
}

/** An audit entry before the chain gives it a place. */
export type AuditDraft = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

/**
 * The single writer of the hash chain in this process: entries get their seq and hash in call order and are
 * written in batches (one insertMany for everything queued while the previous write was in flight).
 */
export class AuditWriter {
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private ready: Promise<void> | undefined;
  private buffer: AuditEvent[] = [];
  private waiters: { resolve(): void; reject(err: unknown): void }[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly store: AuditStore) {}

  private init(): Promise<void> {
    return (this.ready ??= (async () => {
      const last = await this.store.last();
      if (last) {
        this.lastSeq = last.seq;
        this.lastHash = last.hash;
      }
    })());
  }

  /** Chains and durably writes `drafts`; resolves once they are stored. */
  async append(drafts: AuditDraft[]): Promise<AuditEvent[]> {
    if (!drafts.length) return [];
    await this.init();
    const events: AuditEvent[] = [];
    for (const d of drafts) {
      const base = { ...stripUndefined(d), seq: this.lastSeq + 1, prevHash: this.lastHash } as Omit<
        AuditEvent,
        'hash'
      >;
      const event = { ...base, hash: hashAuditEvent(base) } as AuditEvent;
      this.lastSeq = event.seq;
      this.lastHash = event.hash;
      events.push(event);
    }
    this.buffer.push(...events);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.kick();
    await done;
    return events;
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = (async () => {
      while (this.buffer.length) {
        const batch = this.buffer;
        const waiters = this.waiters;
        this.buffer = [];
        this.waiters = [];
        try {
          await this.store.insertMany(batch);
          for (const w of waiters) w.resolve();
        } catch (err) {
          for (const w of waiters) w.reject(err);
        }
      }
    })().finally(() => {
      this.writing = undefined;
      if (this.buffer.length) this.kick();
    });
  }

  /** Waits for queued writes. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

/** Walks the whole chain in seq order; reports the first entry whose link or hash does not match. */
export async function verifyAuditChain(
  store: AuditStore,
): Promise<{ ok: boolean; checked: number; brokenAt?: number }> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for await (const e of store.scan()) {
    if (e.seq !== expectedSeq || e.prevHash !== prevHash || hashAuditEvent(e) !== e.hash)
      return { ok: false, checked, brokenAt: e.seq };
    prevHash = e.hash;
    expectedSeq++;
    checked++;
  }
  return { ok: true, checked };
}
