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

/** The key stored beside an entry that came from a command's draft: which command, which draft. */
export function auditKey(instanceId: string, rev: number, index: number): string {
  return `${instanceId}/${rev}/${index}`;
}

/**
 * The single writer of the hash chain in this process: entries get their seq and hash in call order and are
 * written in batches (one insertMany for everything queued while the previous write was in flight).
 */
export class AuditWriter {
  private seq = 0;
  private lastHash = GENESIS_HASH;
  private ready: Promise<void> | undefined;
  private buffer: AuditEvent[] = [];
  private keys: (string | undefined)[] = [];
  private waiters: { resolve(): void; reject(err: unknown): void }[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly store: AuditStore) {}

  private init(): Promise<void> {
    return (this.ready ??= (async () => {
      const last = await this.store.last();
      if (last) {
        this.seq = last.seq;
        this.lastHash = last.hash;
      }
    })());
  }

  /** Waits until the chain's end is known (again, when a failed write reset it meanwhile). */
  private async synced(): Promise<void> {
    let ready: Promise<void>;
    do {
      ready = this.init();
      await ready;
    } while (ready !== this.ready);
  }

  /** The last seq handed out: entries appended from now on come after it. */
  async lastSeq(): Promise<number> {
    await this.synced();
    return this.seq;
  }

  /**
   * Chains and durably writes `drafts`; resolves once they are stored. `keys[i]` (see `auditKey`) is stored
   * beside entry i so that crash recovery can tell which command drafts are in the chain.
   */
  async append(drafts: AuditDraft[], keys?: (string | undefined)[]): Promise<AuditEvent[]> {
    if (!drafts.length) return [];
    await this.synced();
    const events: AuditEvent[] = [];
    for (const d of drafts) {
      const base = { ...stripUndefined(d), seq: this.seq + 1, prevHash: this.lastHash } as Omit<
        AuditEvent,
        'hash'
      >;
      const event = { ...base, hash: hashAuditEvent(base) } as AuditEvent;
      this.seq = event.seq;
      this.lastHash = event.hash;
      events.push(event);
    }
    this.buffer.push(...events);
    this.keys.push(...drafts.map((_, i) => keys?.[i]));
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
        const keys = this.keys;
        const waiters = this.waiters;
        this.buffer = [];
        this.keys = [];
        this.waiters = [];
        try {
          await this.store.insertMany(batch, keys);
          for (const w of waiters) w.resolve();
        } catch (err) {
          // entries queued behind the failed ones are chained on them: they fail too, and the chain goes on
          // from what is stored (the failed commands' drafts stay in their checkpoints: see `appendMissing`)
          for (const w of [...waiters, ...this.waiters]) w.reject(err);
          this.buffer = [];
          this.keys = [];
          this.waiters = [];
          this.ready = undefined;
          this.seq = 0;
          this.lastHash = GENESIS_HASH;
        }
      }
    })().finally(() => {
      this.writing = undefined;
      if (this.buffer.length) this.kick();
    });
  }

  /** Appends the drafts of `checkpoints` that the chain lacks (see `appendMissingAudit`). */
  appendMissing(checkpoints: AuditCarrier[], floor = 0): Promise<number> {
    return appendMissingAudit(this, this.store, checkpoints, floor);
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

/** A checkpoint as far as its audit entries go (an instance record). */
export interface AuditCarrier {
  id: string;
  rev: number;
  auditDrafts?: AuditDraft[];
  auditAfterSeq?: number;
  /** Earlier commands' entries this checkpoint carries (see `InstanceRecord.carriedAudit`). */
  carriedAudit?: CarriedAudit[];
}

/** An earlier command's audit entries, carried by a later checkpoint of the same instance. */
export interface CarriedAudit {
  rev: number;
  after: number;
  drafts: AuditDraft[];
}

/**
 * Crash repair: appends the drafts of `checkpoints` whose entries the chain lacks (a kill between a
 * checkpoint and its audit append), oldest checkpoint first, each draft once. Only the commands in an
 * instance's last checkpoint can be missing (its own, and the earlier ones it carries because their entries
 * were not in yet), and their entries come after their `auditAfterSeq`, so one `_id` range read from the
 * smallest of those suffices.
 * Idempotent: a kill during the repair leaves a prefix, and the next start appends only the rest.
 * Checkpoints with `auditAfterSeq < floor` were written before the last reconciled start and are skipped.
 */
export async function appendMissingAudit(
  writer: AuditWriter,
  store: AuditStore,
  checkpoints: AuditCarrier[],
  floor = 0,
): Promise<number> {
  const seen = new Set<string>();
  const expanded = checkpoints.flatMap((c): AuditCarrier[] => [
    ...(c.carriedAudit ?? []).map((k) => ({
      id: c.id,
      rev: k.rev,
      auditDrafts: k.drafts,
      auditAfterSeq: k.after,
    })),
    c,
  ]);
  const pending = expanded.filter((c) => {
    if (!c.auditDrafts?.length || c.auditAfterSeq === undefined || c.auditAfterSeq < floor) return false;
    const id = `${c.id}/${c.rev}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
  if (!pending.length) return 0;
  const after = Math.min(...pending.map((c) => c.auditAfterSeq!));
  const present = new Set(await store.keysAfter(after));
  const firstAt = (c: AuditCarrier) => c.auditDrafts![0]!.at;
  pending.sort(
    (a, b) =>
      a.auditAfterSeq! - b.auditAfterSeq! || (firstAt(a) < firstAt(b) ? -1 : firstAt(a) > firstAt(b) ? 1 : 0),
  );
  const drafts: AuditDraft[] = [];
  const keys: string[] = [];
  for (const c of pending)
    c.auditDrafts!.forEach((d, i) => {
      const key = auditKey(c.id, c.rev, i);
      if (present.has(key)) return;
      drafts.push(d);
      keys.push(key);
    });
  await writer.append(drafts, keys);
  return drafts.length;
}
