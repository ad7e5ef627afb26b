import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { AuditColumns } from './audit-index.js';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Rows per stored part: a part holds seqs n·ROWS+1 … (n+1)·ROWS, so every part but the last never changes. */
export const AUDIT_ROWS_PER_PART = 65_536;

/** Header: the row count (uint32) and 4 bytes of padding, so the float64 column starts aligned. */
const HEADER = 8;

/** One part's columns as bytes (times, then actor ids, then type ids, little-endian), gzipped off the thread. */
export async function encodeAuditPart(cols: AuditColumns): Promise<Buffer> {
  const n = cols.time.length;
  const buf = Buffer.alloc(HEADER + n * 14);
  buf.writeUInt32LE(n, 0);
  Buffer.from(cols.time.buffer, cols.time.byteOffset, n * 8).copy(buf, HEADER);
  Buffer.from(cols.actor.buffer, cols.actor.byteOffset, n * 4).copy(buf, HEADER + n * 8);
  Buffer.from(cols.type.buffer, cols.type.byteOffset, n * 2).copy(buf, HEADER + n * 12);
  return gzip(buf, { level: 1 });
}

/** The columns of a part made by `encodeAuditPart`. */
export async function decodeAuditPart(part: Buffer): Promise<AuditColumns> {
  const raw = await gunzip(part);
  const n = raw.readUInt32LE(0);
  if (raw.length !== HEADER + n * 14) throw new Error(`audit index part: ${raw.length} bytes for ${n} rows`);
  // copies into fresh (aligned) arrays: a Buffer from zlib may start at any offset of a shared pool
  const copy = (offset: number, bytes: number) => {
    const out = new ArrayBuffer(bytes);
    raw.copy(Buffer.from(out), 0, offset, offset + bytes);
    return out;
  };
  return {
    time: new Float64Array(copy(HEADER, n * 8)),
    actor: new Uint32Array(copy(HEADER + n * 8, n * 4)),
    type: new Uint16Array(copy(HEADER + n * 12, n * 2)),
  };
}
