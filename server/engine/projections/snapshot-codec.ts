import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Rows per part: one part is one small document (a few hundred kB once compressed). */
export const ROWS_PER_PART = 20_000;

/** Rows of plain objects as columns (no repeated keys), `null` for a field a row lacks. */
interface Columns {
  keys: string[];
  cols: unknown[][];
}

function toColumns(rows: readonly object[]): Columns {
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
  return { keys, cols };
}

function fromColumns<T>({ keys, cols }: Columns): T[] {
  const n = cols[0]?.length ?? 0;
  const rows = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < keys.length; c++) {
      const v = cols[c]![i];
      if (v !== null) row[keys[c]!] = v;
    }
    rows[i] = row as T;
  }
  return rows;
}

/**
 * Rows as compressed parts of `ROWS_PER_PART` rows each (columns as JSON, gzipped off the main thread),
 * yielding between parts so that a server taking a snapshot keeps answering.
 */
export async function encodeParts(rows: readonly object[]): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_PART) {
    const json = JSON.stringify(toColumns(rows.slice(i, i + ROWS_PER_PART)));
    parts.push(await gzip(json, { level: 1 }));
  }
  return parts;
}

/** The rows of one part made by `encodeParts`. */
export async function decodePart<T>(part: Buffer): Promise<T[]> {
  return fromColumns<T>(JSON.parse((await gunzip(part)).toString('utf8')) as Columns);
}
