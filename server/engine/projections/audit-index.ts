import type { AuditFilter } from '../audit-search.js';
import type { AuditEvent } from '../types.js';

/** What the index keeps of one entry: enough to filter it without reading it. */
export interface AuditIndexRow {
  seq: number;
  at: string;
  actor: string;
  type: string;
}

/** Which way a search walks the chain: newest first (the desk) or oldest first (the CSV export). */
export type AuditOrder = 'desc' | 'asc';

/** A page of matching seqs and how many match in all. */
export interface AuditIndexPage {
  seqs: number[];
  total: number;
}

/** A dictionary of strings to small integers, in first-seen order (ids never change). */
class Dictionary {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  constructor(names: readonly string[] = []) {
    for (const n of names) this.idOf(n);
  }

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

/** The columns of a run of consecutive entries (what one stored part holds). */
export interface AuditColumns {
  time: Float64Array;
  actor: Uint32Array;
  type: Uint16Array;
}

/**
 * The audit chain as columns in memory, one row per entry in seq order (the chain has no gaps: row i is seq
 * i + 1): its time (ms), actor and type as ids into two dictionaries. About 14 bytes an entry, 18 MB at 1.3
 * million. A search by actor, kind and time range walks these arrays (a time range is a binary search while
 * times never go back), never the chain; the page's entries are then read by `_id`.
 */
export class AuditIndex {
  private time = new Float64Array(1024);
  private actor = new Uint32Array(1024);
  private type = new Uint16Array(1024);
  private n = 0;
  /** Every entry's time is at or after the one before it (a time range is then a binary search). */
  private monotone = true;
  readonly actors: Dictionary;
  readonly types: Dictionary;

  constructor(actors: readonly string[] = [], types: readonly string[] = []) {
    this.actors = new Dictionary(actors);
    this.types = new Dictionary(types);
  }

  /** Entries indexed: seqs 1 … size. */
  get size(): number {
    return this.n;
  }

  private grow(min: number): void {
    if (min <= this.time.length) return;
    const cap = Math.max(min, Math.ceil(this.time.length * 1.5));
    const time = new Float64Array(cap);
    time.set(this.time.subarray(0, this.n));
    const actor = new Uint32Array(cap);
    actor.set(this.actor.subarray(0, this.n));
    const type = new Uint16Array(cap);
    type.set(this.type.subarray(0, this.n));
    [this.time, this.actor, this.type] = [time, actor, type];
  }

  private push(t: number, actor: number, type: number): void {
    if (this.n > 0 && t < this.time[this.n - 1]!) this.monotone = false;
    this.grow(this.n + 1);
    this.time[this.n] = t;
    this.actor[this.n] = actor;
    this.type[this.n] = type;
    this.n++;
  }

  /** Appends the entry with seq size + 1 (false, and nothing changes, for any other seq). */
  append(e: AuditIndexRow | AuditEvent): boolean {
    if (e.seq !== this.n + 1) return false;
    this.push(Date.parse(e.at), this.actors.idOf(e.actor), this.types.idOf(e.type));
    return true;
  }

  /**
   * Room for `rows` entries in all, made once: a load that knows how many parts it reads would otherwise grow
   * the columns a dozen times on the way to a million rows (70 ms of copies on the main thread at start-up).
   */
  reserve(rows: number): void {
    this.grow(rows);
  }

  /** Appends a run of columns (a stored part) whose first row is seq size + 1; ids are this index's. */
  appendColumns(cols: AuditColumns): void {
    const count = cols.time.length;
    this.grow(this.n + count);
    for (let i = 0; i < count; i++) {
      const t = cols.time[i]!;
      if (this.n > 0 && t < this.time[this.n - 1]!) this.monotone = false;
      this.time[this.n] = t;
      this.actor[this.n] = cols.actor[i]!;
      this.type[this.n] = cols.type[i]!;
      this.n++;
    }
  }

  /** A copy of rows [from, to) (0-based), for storing. */
  columns(from: number, to: number): AuditColumns {
    return {
      time: this.time.slice(from, to),
      actor: this.actor.slice(from, to),
      type: this.type.slice(from, to),
    };
  }

  /** Row of seq, as the index knows it (specs compare it with the chain). */
  row(seq: number): AuditIndexRow | undefined {
    const i = seq - 1;
    if (i < 0 || i >= this.n) return undefined;
    return {
      seq,
      at: new Date(this.time[i]!).toISOString(),
      actor: this.actors.names[this.actor[i]!]!,
      type: this.types.names[this.type[i]!]!,
    };
  }

  /** First row index in [lo, hi) whose time is ≥ ms (times in order). */
  private lowerBound(ms: number, lo: number, hi: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid]! < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The rows a filter can match (an instance filter is answered from the instance's trail, not here), as a
   * predicate over rows and the range of rows to walk; undefined when nothing can match.
   */
  private plan(
    f: AuditFilter,
  ): { lo: number; hi: number; test: ((i: number) => boolean) | undefined } | undefined {
    const from = f.from ? Date.parse(f.from) : -Infinity;
    const to = f.to ? Date.parse(f.to) : Infinity;
    let actorId: number | undefined;
    if (f.actor) {
      actorId = this.actors.find(f.actor);
      if (actorId === undefined) return undefined;
    }
    let typeOk: Uint8Array | undefined;
    if (f.kind) {
      const kind = f.kind;
      typeOk = new Uint8Array(this.types.names.length);
      let any = false;
      this.types.names.forEach((name, id) => {
        if (kind.endsWith('.') ? name.startsWith(kind) : name === kind) {
          typeOk![id] = 1;
          any = true;
        }
      });
      if (!any) return undefined;
    }
    let lo = 0;
    let hi = this.n;
    const timed = f.from !== undefined || f.to !== undefined;
    if (timed && this.monotone) {
      if (f.from) lo = this.lowerBound(from, 0, hi);
      if (f.to) hi = this.lowerBound(to, lo, hi);
    }
    const checkTime = timed && !this.monotone;
    const { time, actor, type } = this;
    if (actorId === undefined && !typeOk && !checkTime) return { lo, hi, test: undefined };
    const test = (i: number) =>
      (actorId === undefined || actor[i] === actorId) &&
      (!typeOk || typeOk[type[i]!] === 1) &&
      (!checkTime || (time[i]! >= from && time[i]! < to));
    return { lo, hi, test };
  }

  /** A page of the seqs that match `f` (skip, then at most limit), and how many match in all. */
  search(f: AuditFilter, skip: number, limit: number, order: AuditOrder = 'desc'): AuditIndexPage {
    const plan = this.plan(f);
    if (!plan) return { seqs: [], total: 0 };
    const { lo, hi, test } = plan;
    const seqs: number[] = [];
    if (!test) {
      // every row of the range matches: the page is arithmetic
      const total = hi - lo;
      for (let k = skip; k < Math.min(total, skip + limit); k++)
        seqs.push(order === 'desc' ? hi - k : lo + k + 1);
      return { seqs, total };
    }
    let total = 0;
    if (order === 'desc') {
      for (let i = hi - 1; i >= lo; i--)
        if (test(i)) {
          if (total >= skip && seqs.length < limit) seqs.push(i + 1);
          total++;
        }
    } else {
      for (let i = lo; i < hi; i++)
        if (test(i)) {
          if (total >= skip && seqs.length < limit) seqs.push(i + 1);
          total++;
        }
    }
    return { seqs, total };
  }

  /**
   * Every seq that matches `f`, oldest first, `batch` at a time (the rows indexed when it starts; later ones
   * are left out, as a search that began before them would).
   */
  *matching(f: AuditFilter, batch = 500): Generator<number[]> {
    const plan = this.plan(f);
    if (!plan) return;
    const { lo, hi, test } = plan;
    let out: number[] = [];
    for (let i = lo; i < hi; i++) {
      if (test && !test(i)) continue;
      out.push(i + 1);
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }
}
