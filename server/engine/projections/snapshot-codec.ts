import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Rows per part: one part is one small document (a few hundred kB once compressed). */
export const ROWS_PER_PART = 20_000;

/**
 * The part format `encodeParts` writes. 1: every column as a plain array of values. 2: a column with few
 * distinct values (process keys, element ids, statuses, candidate group lists, starters) as a dictionary and
 * indexes, so that a load parses numbers and shares one string or list per distinct value instead of making
 * one per row (at 400k rows most of the load's allocation and garbage collection). `decodeParts` reads both.
 */
export const PART_FORMAT = 2;

/** A column of format 2: each row's index into `d` (-1 for a row without the field). */
interface DictColumn {
  d: unknown[];
  i: number[];
}

/** Rows of plain objects as columns (no repeated keys), `null` for a field a row lacks. */
interface Columns {
  /** Absent in format 1. */
  v?: number;
  keys: string[];
  cols: (unknown[] | DictColumn)[];
}

function toColumns(rows: readonly object[]): unknown[][] & { keys: string[] } {
  const keys: string[] = [];
  const at = new Map<string, number>();
  const cols: unknown[][] = [];
  rows.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) {
      if (v === undefined) continue;
      let c = at.get(k);
      if (c === undefined) {
        at.set(k, (c = keys.length));
        keys.push(k);
        cols.push(new Array<unknown>(rows.length).fill(null));
      }
      cols[c]![i] = v;
    }
  });
  return Object.assign(cols, { keys });
}

/** The column as a dictionary when its distinct values are at most a quarter of its rows, else as it is. */
function compact(col: unknown[]): unknown[] | DictColumn {
  const index = new Map<string, number>();
  const d: unknown[] = [];
  const i = new Array<number>(col.length);
  for (let r = 0; r < col.length; r++) {
    const v = col[r];
    if (v === null) {
      i[r] = -1;
      continue;
    }
    // a list (candidate groups) by its JSON, a string or number as itself
    const key = typeof v === 'object' ? `j${JSON.stringify(v)}` : `${typeof v}:${String(v)}`;
    let n = index.get(key);
    if (n === undefined) {
      if (d.length >= col.length / 4) return col;
      index.set(key, (n = d.length));
      d.push(v);
    }
    i[r] = n;
  }
  return { d, i };
}

function fromColumns<T>({ keys, cols }: Columns): T[] {
  const first = cols[0];
  const n = (Array.isArray(first) ? first.length : first?.i.length) ?? 0;
  const rows = new Array<Record<string, unknown>>(n);
  for (let r = 0; r < n; r++) rows[r] = {};
  for (let c = 0; c < keys.length; c++) {
    const key = keys[c]!;
    const col = cols[c]!;
    if (Array.isArray(col)) {
      for (let r = 0; r < n; r++) {
        const v = col[r];
        if (v !== null) rows[r]![key] = v;
      }
    } else {
      const { d, i } = col;
      for (let r = 0; r < n; r++) {
        const at = i[r]!;
        if (at >= 0) rows[r]![key] = d[at];
      }
    }
  }
  return rows as T[];
}

/**
 * Rows as compressed parts of `ROWS_PER_PART` rows each (columns as JSON, gzipped off the main thread),
 * yielding between parts so that a server taking a snapshot keeps answering. Rows read back share one
 * instance of each repeated value (a list included): readers must not change them.
 */
export async function encodeParts(rows: readonly object[]): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_PART) {
    const cols = toColumns(rows.slice(i, i + ROWS_PER_PART));
    const part: Columns = { v: PART_FORMAT, keys: cols.keys, cols: cols.map(compact) };
    parts.push(await gzip(JSON.stringify(part), { level: 1 }));
  }
  return parts;
}

/** Parts unzipped ahead of the one being parsed (each a few MB of text once unzipped). */
const UNZIP_AHEAD = 3;

/**
 * The rows of `parts` made by `encodeParts` (of either format), in order: the next parts are unzipped off the main thread
 * (libuv's pool) while this one is parsed, instead of the main thread waiting for each unzip in turn.
 */
export async function decodeParts<T>(parts: readonly Buffer[]): Promise<T[]> {
  const unzipped: Promise<Buffer>[] = [];
  const unzip = (n: number) => {
    if (n < parts.length && !unzipped[n]) {
      unzipped[n] = gunzip(parts[n]!);
      // awaited in order below; one that fails before its turn is not an unhandled rejection meanwhile
      unzipped[n].catch(() => undefined);
    }
  };
  const rows: T[] = [];
  for (let n = 0; n < parts.length; n++) {
    for (let k = n; k <= n + UNZIP_AHEAD; k++) unzip(k);
    const text = (await unzipped[n]!).toString('utf8');
    delete unzipped[n];
    for (const row of fromColumns<T>(JSON.parse(text) as Columns)) rows.push(row);
  }
  return rows;
}
