/**
 * `npm run bench:documents`: how to keep document bytes in the embedded database. GridFS (the MongoDB standard)
 * reads a file's chunks with `find({ files_id, n })`, which FerretDB 1.24's SQLite backend cannot answer from an
 * index (it reads and decodes the whole chunks collection); Ravand's layout reads chunk `<fileId>:<n>` by `_id`.
 * Both store the same files; the table shows a write and a read of one file with BENCH_FILES files already stored.
 *
 * BENCH_FILES (files already stored, default 40) and BENCH_MB (size of each, default 2).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { connectDatabase } from '../server/persistence/database.js';
import { MongoDocumentStore } from '../server/persistence/document-store.js';
import { startEmbeddedDb } from '../server/persistence/embedded-db.js';
import { projectRoot } from '../server/project-root.js';
import { printTable, timed } from './measure.js';

const FILES = Number(process.env.BENCH_FILES ?? 40);
const MB = Number(process.env.BENCH_MB ?? 2);
const ROUNDS = 5;

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-bench-documents-'));
  const embedded = await startEmbeddedDb({ dataDir: tmp, cacheDir: path.join(projectRoot(), '.cache') });
  const db = await connectDatabase(embedded.uri.replace(/\/[^/]*$/, '/bench_documents'));
  const rows: [string, string][] = [];
  try {
    const file = crypto.randomBytes(MB * 1024 * 1024);
    const bucket = new mongoose.mongo.GridFSBucket(db.conn.db!, { bucketName: 'bench' });
    const gridPut = (name: string) =>
      new Promise<unknown>((resolve, reject) => {
        const up = bucket.openUploadStream(name);
        Readable.from([file])
          .pipe(up)
          .on('finish', () => resolve(up.id))
          .on('error', reject);
      });
    const gridGet = async (id: unknown) => {
      const parts: Buffer[] = [];
      for await (const c of bucket.openDownloadStream(id as never)) parts.push(c as Buffer);
      return Buffer.concat(parts);
    };
    const store = new MongoDocumentStore(db.conn);

    const gridIds: unknown[] = [];
    for (let i = 0; i < FILES; i++) gridIds.push(await gridPut(`f${i}`));
    for (let i = 0; i < FILES; i++) await store.putFile(`f${i}`, file);

    const gridWrite = await timed(ROUNDS, (i) => gridPut(`w${i}`));
    const ownWrite = await timed(ROUNDS, (i) => store.putFile(`w${i}`, file));
    const gridRead = await timed(ROUNDS, async (i) => {
      const out = await gridGet(gridIds[(i * 7) % FILES]);
      if (out.length !== file.length) throw new Error('GridFS read a different size');
    });
    const ownRead = await timed(ROUNDS, async (i) => {
      const out = await store.readFile(`f${(i * 7) % FILES}`, file.length);
      if (!out.equals(file)) throw new Error('the chunk store read different bytes');
    });
    const stored = `${FILES + ROUNDS} files of ${MB} MB stored`;
    rows.push(
      [`GridFS: write one ${MB} MB file (${stored})`, `p50 ${gridWrite.toFixed(0)} ms`],
      [`chunks by _id: write one ${MB} MB file`, `p50 ${ownWrite.toFixed(0)} ms`],
      [`GridFS: read one ${MB} MB file`, `p50 ${gridRead.toFixed(0)} ms`],
      [`chunks by _id: read one ${MB} MB file`, `p50 ${ownRead.toFixed(0)} ms`],
    );
  } finally {
    await db.close();
    await embedded.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  printTable('Documents (embedded FerretDB): GridFS against chunks read by _id', rows);
}

await main();
