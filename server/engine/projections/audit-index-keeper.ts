import { log } from '../../logger.js';
import type { AuditEvent } from '../types.js';
import { AuditIndex, type AuditIndexRow } from './audit-index.js';
import { AUDIT_ROWS_PER_PART, decodeAuditPart, encodeAuditPart } from './audit-index-codec.js';

/** The stored index's head: how far its parts reach and the dictionaries their ids point into. */
export interface AuditIndexHead {
  format: 1;
  /** Every seq up to this one is in the parts. */
  upTo: number;
  rowsPerPart: number;
  parts: number;
  actors: string[];
  types: string[];
  at: string;
}

/** Where the audit index is kept (documents read by `_id`) and the chain it indexes. */
export interface AuditIndexStore {
  readHead(): Promise<AuditIndexHead | undefined>;
  readPart(n: number): Promise<Buffer | undefined>;
  /** Replaces part n (a part only ever grows, so one written ahead of its head is harmless). */
  writePart(n: number, data: Buffer): Promise<void>;
  writeHead(head: AuditIndexHead): Promise<void>;
  /** Audit entries by seq (one `_id` read each); missing ones are left out. */
  readAudit(seqs: number[]): Promise<AuditEvent[]>;
  /** Every entry in whatever order the database gives them (the first build only). */
  scanAudit(): AsyncIterable<AuditEvent>;
  /** The chain's last seq now. */
  lastSeq(): Promise<number>;
}

/** Seqs read by `_id` per round when catching up with the chain. */
const TAIL_BATCH = 256;
/** How often a running server stores what the index gained. */
const PERSIST_EVERY_MS = 60_000;
/** A load that read this many entries of the chain stores the index again at once. */
const PERSIST_AFTER_TAIL = 2_000;

const rowOf = (e: AuditEvent): AuditIndexRow => ({ seq: e.seq, at: e.at, actor: e.actor, type: e.type });

/**
 * Keeps the audit index (`AuditIndex`) exact and stored. Every append to the chain is applied (`applyAppended`,
 * called by the store that writes the chain, after the write). A start loads it in the background from its
 * stored parts (read by `_id`) and the chain's tail after them (read by `_id` up to the first seq missing); a
 * database that never had one builds it once from one streamed read of the chain. Entries written while it
 * loads wait in a list and are applied after; a seq that comes ahead of the next one expected (a batch that
 * half failed) makes it read the missing seqs by `_id` first. Searches wait until it is caught up.
 */
export class AuditIndexKeeper {
  private index = new AuditIndex();
  private state: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  private loading: Promise<void> | undefined;
  private syncing: Promise<void> | undefined;
  private pending: AuditIndexRow[] = [];
  private persisted = 0;
  private persisting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** What the last load did (for the log, the bench and the specs). */
  loadStats: { ms: number; entries: number; from: 'parts' | 'chain'; tail: number } | undefined;

  private readonly rowsPerPart: number;

  constructor(
    private readonly store: AuditIndexStore,
    options: { rowsPerPart?: number } = {},
  ) {
    this.rowsPerPart = options.rowsPerPart ?? AUDIT_ROWS_PER_PART;
  }

  /** Applies entries just appended to the chain (in seq order). */
  applyAppended(events: readonly AuditEvent[]): void {
    if (this.state === 'idle' || this.state === 'failed') return; // a load reads them from the chain
    if (this.state === 'loading' || this.syncing) {
      this.pending.push(...events.map(rowOf));
      return;
    }
    for (const e of events) {
      if (e.seq <= this.index.size) continue;
      if (!this.index.append(e)) {
        // ahead of the next seq expected: the seqs between are read from the chain first
        this.pending.push(...events.filter((x) => x.seq >= e.seq).map(rowOf));
        this.startSync();
        return;
      }
    }
  }

  /** Loads once (again after a failed load); resolves when searches may use the index. */
  ready(): Promise<void> {
    return (this.loading ??= this.load().catch((err: unknown) => {
      this.loading = undefined;
      this.state = 'idle';
      this.pending = [];
      throw err;
    }));
  }

  /** The index, loaded and caught up with every append applied so far. */
  async current(): Promise<AuditIndex> {
    await this.ready();
    while (this.syncing) await this.syncing;
    if (this.state === 'failed') throw new Error('audit index: the chain has a gap it cannot fill');
    return this.index;
  }

  private async load(): Promise<void> {
    const t0 = Date.now();
    this.state = 'loading';
    const fromParts = await this.loadParts();
    if (!fromParts) await this.build();
    const before = this.index.size;
    this.state = (await this.sync()) ? 'ready' : 'failed';
    // appends that came while the last step settled
    if (this.pending.length && this.state === 'ready') this.startSync();
    const tail = this.index.size - before;
    this.loadStats = {
      ms: Date.now() - t0,
      entries: this.index.size,
      from: fromParts ? 'parts' : 'chain',
      tail,
    };
    log.info('audit index loaded', this.loadStats);
    if (!fromParts || tail >= PERSIST_AFTER_TAIL)
      void this.persist().catch((err: unknown) => log.warn('audit index not stored', { error: String(err) }));
  }

  /** The stored parts up to the head's seq; false when there are none (or one is missing). */
  private async loadParts(): Promise<boolean> {
    const head = await this.store.readHead();
    if (!head || head.format !== 1 || head.rowsPerPart !== this.rowsPerPart) return false;
    // the chain may end before the head (a backup that copied the index after the chain): rows past its end
    // are left out; rows before it stay right, since entries never change
    let upTo = head.upTo;
    let [atHead] = upTo > 0 ? await this.store.readAudit([upTo]) : [];
    if (upTo > 0 && !atHead) {
      upTo = Math.min(upTo, await this.store.lastSeq());
      [atHead] = upTo > 0 ? await this.store.readAudit([upTo]) : [];
    }
    const parts = await Promise.all(
      Array.from({ length: Math.ceil(upTo / this.rowsPerPart) }, (_, n) => this.store.readPart(n)),
    );
    if (parts.some((p) => !p)) return false;
    const index = new AuditIndex(head.actors, head.types);
    // the parts and a part's worth of tail, without growing on the way
    index.reserve(upTo + this.rowsPerPart);
    for (const part of parts) {
      const cols = await decodeAuditPart(part!);
      const keep = Math.max(0, Math.min(cols.time.length, upTo - index.size));
      index.appendColumns({
        time: cols.time.subarray(0, keep),
        actor: cols.actor.subarray(0, keep),
        type: cols.type.subarray(0, keep),
      });
    }
    if (index.size !== upTo) return false;
    // an index of another chain (or a damaged part) is built again rather than trusted
    const row = index.row(upTo);
    if (
      atHead &&
      (Date.parse(row?.at ?? '') !== Date.parse(atHead.at) ||
        row!.actor !== atHead.actor ||
        row!.type !== atHead.type)
    ) {
      log.warn('audit index: stored parts disagree with the chain, built again', { seq: upTo });
      return false;
    }
    this.index = index;
    this.persisted = index.size;
    return true;
  }

  /** The first build: one streamed read of the chain up to its end now, placed by seq whatever the order. */
  private async build(): Promise<void> {
    const last = await this.store.lastSeq();
    const index = new AuditIndex();
    const time = new Float64Array(last);
    const actor = new Uint32Array(last);
    const type = new Uint16Array(last);
    const seen = new Uint8Array(last);
    for await (const e of this.store.scanAudit()) {
      const i = e.seq - 1;
      if (i < 0 || i >= last) continue;
      time[i] = Date.parse(e.at);
      actor[i] = index.actors.idOf(e.actor);
      type[i] = index.types.idOf(e.type);
      seen[i] = 1;
    }
    const missing = seen.indexOf(0);
    // the rows before the first one the scan missed; the rest comes from the tail read
    const upTo = missing === -1 ? last : missing;
    index.appendColumns({
      time: time.subarray(0, upTo),
      actor: actor.subarray(0, upTo),
      type: type.subarray(0, upTo),
    });
    this.index = index;
    this.persisted = 0;
  }

  private startSync(): void {
    if (this.syncing) return;
    this.syncing = (async () => {
      try {
        if (!(await this.sync())) this.state = 'failed';
      } catch (err) {
        log.error('audit index: catching up with the chain failed', { error: String(err) });
        this.state = 'failed';
      } finally {
        this.syncing = undefined;
      }
      // appends that came while the last step settled
      if (this.pending.length && this.state === 'ready') this.startSync();
    })();
  }

  /**
   * Reads the chain by `_id` after the index's last seq up to the first one missing, then applies the list;
   * false when the chain itself has a gap.
   */
  private async sync(): Promise<boolean> {
    for (;;) {
      for (;;) {
        const from = this.index.size + 1;
        const seqs = Array.from({ length: TAIL_BATCH }, (_, i) => from + i);
        const found = await this.store.readAudit(seqs);
        for (const e of found.sort((a, b) => a.seq - b.seq)) if (!this.index.append(e)) break;
        if (this.index.size < from - 1 + TAIL_BATCH) break;
      }
      const list = this.pending.sort((a, b) => a.seq - b.seq);
      this.pending = [];
      let i = 0;
      for (; i < list.length; i++) {
        const row = list[i]!;
        if (row.seq <= this.index.size) continue;
        if (!this.index.append(row)) break;
      }
      if (i === list.length) return true;
      // still ahead: the chain itself lacks the seqs between (never, unless it was damaged)
      if (
        list[i]!.seq > this.index.size + 1 &&
        (await this.store.readAudit([this.index.size + 1])).length === 0
      ) {
        log.error('audit index: the chain has a gap', { after: this.index.size, next: list[i]!.seq });
        return false;
      }
      this.pending.push(...list.slice(i));
    }
  }

  /**
   * Stores what the index gained since it was last stored: the parts from the one the last store ended in
   * (earlier parts never change), then the head. One at a time.
   */
  persist(): Promise<void> {
    return (this.persisting ??= (async () => {
      if (this.state !== 'ready') return;
      while (this.syncing) await this.syncing;
      const index = this.index;
      const upTo = index.size;
      if (upTo === this.persisted && this.persisted > 0) return;
      const P = this.rowsPerPart;
      const first = Math.floor(this.persisted / P);
      const parts = Math.ceil(upTo / P);
      // captured now: the head names exactly what these parts hold
      const head: AuditIndexHead = {
        format: 1,
        upTo,
        rowsPerPart: P,
        parts,
        actors: [...index.actors.names],
        types: [...index.types.names],
        at: new Date().toISOString(),
      };
      const cols = [];
      for (let n = first; n < parts; n++) cols.push(index.columns(n * P, Math.min(upTo, (n + 1) * P)));
      for (let k = 0; k < cols.length; k++)
        await this.store.writePart(first + k, await encodeAuditPart(cols[k]!));
      await this.store.writeHead(head);
      this.persisted = upTo;
    })().finally(() => (this.persisting = undefined)));
  }

  /** Stores the index every `ms` when it gained entries, until `close`. */
  persistEvery(ms = PERSIST_EVERY_MS): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.state === 'ready' && this.index.size > this.persisted)
        this.persist().catch((err: unknown) => log.warn('audit index not stored', { error: String(err) }));
    }, ms);
    this.timer.unref();
  }

  /** At a clean stop: stores what is new, then no more. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.persisting?.catch(() => undefined);
    if (this.state === 'ready' && this.index.size > this.persisted) await this.persist();
  }
}
