import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import mongoose from 'mongoose';
import { verifyAuditChain } from '../engine/audit-chain.js';
import { MongoAuditStore } from './audit-store.js';
import { connectDatabase, type Database } from './database.js';
import { ensureBinary, startEmbeddedDb } from './embedded-db.js';

const { EJSON } = mongoose.mongo.BSON;

/** The first line of every backup file. */
interface BackupHeader {
  ravandBackup: 1;
  createdAt: string;
  /** `embedded` (a SQLite snapshot of the running FerretDB) or `mongodb` (a snapshot read when a replica set). */
  source: 'embedded' | 'mongodb';
}

/** The last line of every backup file: documents per collection, to check a restore against. */
interface BackupTrailer {
  collections: Record<string, number>;
}

/** What a backup wrote. */
export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  documents: number;
  createdAt: string;
}

/** Where to read from: the embedded database's files, or a MongoDB URI. */
export type BackupSource =
  | { kind: 'embedded'; dataDir: string; cacheDir: string; database?: string }
  | { kind: 'mongodb'; uri: string };

/** The SHA-256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Writes a consistent, gzip-compressed backup of every collection to `file` (a header line, one EJSON document a
 * line, and a last line with the counts) and its SHA-256 to `file.sha256` (`sha256sum -c` format). The embedded
 * database is copied with SQLite's `VACUUM INTO` while Ravand keeps writing (FerretDB runs SQLite in WAL mode),
 * then read from that copy; MongoDB is read in one snapshot session when it is a replica set.
 */
export async function createBackup(source: BackupSource, file: string): Promise<BackupResult> {
  const createdAt = new Date().toISOString();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  let written: Written;
  if (source.kind === 'embedded') {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-backup-'));
    try {
      const name = `${source.database ?? 'ravand'}.sqlite`;
      fs.mkdirSync(path.join(work, 'db'));
      const bin = ensureBinary(source.cacheDir);
      const copied = spawnSync(
        bin,
        ['-snapshot', path.join(source.dataDir, 'db', name), '-into', path.join(work, 'db', name)],
        { encoding: 'utf8' },
      );
      if (copied.status !== 0) throw new Error(`the database snapshot failed: ${copied.stderr.trim()}`);
      const snapshot = await startEmbeddedDb({ dataDir: work, cacheDir: source.cacheDir });
      try {
        const db = await connectDatabase(snapshot.uri);
        try {
          written = await dump(db, 'embedded', createdAt, partial, undefined);
        } finally {
          await db.close();
        }
      } finally {
        await snapshot.stop();
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  } else {
    const db = await connectDatabase(source.uri);
    try {
      const hello = (await db.conn.db!.admin().command({ hello: 1 })) as { setName?: string };
      // a standalone server has no snapshot reads: the backup is then only as consistent as a quiet moment
      const session = hello.setName ? db.conn.getClient().startSession({ snapshot: true }) : undefined;
      try {
        written = await dump(db, 'mongodb', createdAt, partial, session);
      } finally {
        await session?.endSession();
      }
    } finally {
      await db.close();
    }
  }
  fs.renameSync(partial, file);
  fs.writeFileSync(`${file}.sha256`, `${written.sha256}  ${path.basename(file)}\n`);
  return { file, createdAt, ...written };
}

interface Written {
  bytes: number;
  sha256: string;
  documents: number;
}

/** Writes the backup in one pass: header, documents, then the counts; hashes the bytes as they are written. */
async function dump(
  db: Database,
  source: BackupHeader['source'],
  createdAt: string,
  file: string,
  session: mongoose.mongo.ClientSession | undefined,
): Promise<Written> {
  const native = db.conn.db!;
  const names = (await native.listCollections({}, { nameOnly: true, session }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  const collections: Record<string, number> = {};
  async function* lines(): AsyncGenerator<string> {
    const header: BackupHeader = { ravandBackup: 1, createdAt, source };
    yield `${JSON.stringify(header)}\n`;
    const body: string[] = [];
    for (const name of names) {
      collections[name] = 0;
      for await (const doc of native.collection(name).find({}, { session }).batchSize(1000)) {
        collections[name] += 1;
        body.push(`${JSON.stringify({ c: name, d: EJSON.serialize(doc, { relaxed: false }) })}\n`);
        if (body.length >= 1000) yield body.splice(0).join('');
      }
    }
    if (body.length) yield body.join('');
    const trailer: BackupTrailer = { collections };
    yield `${JSON.stringify(trailer)}\n`;
  }
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(lines()), zlib.createGzip(), tap, fs.createWriteStream(file));
  return {
    bytes,
    sha256: hash.digest('hex'),
    documents: Object.values(collections).reduce((a, b) => a + b, 0),
  };
}

/** What a restore did. */
export interface RestoreResult {
  documents: number;
  collections: number;
  audit: { ok: boolean; checked: number; brokenAt?: number };
}

/** A restore that could not be done; `message` says why in both languages. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Restores `file` into `db`, which must hold no documents: checks the SHA-256 beside the file, inserts every
 * collection, checks the counts against the last line and verifies the audit chain before reporting success.
 */
export async function restoreBackup(file: string, db: Database): Promise<RestoreResult> {
  const sidecar = `${file}.sha256`;
  if (fs.existsSync(sidecar)) {
    const expected = fs.readFileSync(sidecar, 'utf8').split(/\s+/)[0];
    if (expected !== (await sha256File(file)))
      throw new RestoreError(
        `The backup ${file} does not match its checksum (${sidecar}): it is damaged. / پشتیبان ${file} با checksum خود نمی‌خواند و خراب است.`,
      );
  }
  const native = db.conn.db!;
  for (const c of await native.listCollections({}, { nameOnly: true }).toArray()) {
    if (c.name.startsWith('system.')) continue;
    if ((await native.collection(c.name).estimatedDocumentCount()) > 0)
      throw new RestoreError(
        `The target database is not empty (collection ${c.name}); restore only into an empty database. / دیتابیس مقصد خالی نیست (${c.name})؛ فقط در دیتابیس خالی بازگردانی کنید.`,
      );
  }
  // the documents come collection by collection: one batch at a time
  const counts: Record<string, number> = {};
  let batch: { name: string; docs: object[] } | undefined;
  const flush = async () => {
    if (batch?.docs.length) await native.collection(batch.name).insertMany(batch.docs as never[]);
    batch = undefined;
  };
  let trailer: BackupTrailer | undefined;
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()) });
  let header: BackupHeader | undefined;
  for await (const line of rl) {
    if (!header) {
      header = JSON.parse(line) as BackupHeader;
      if (header.ravandBackup !== 1)
        throw new RestoreError(`${file} is not a Ravand backup. / این پرونده پشتیبان روند نیست.`);
      continue;
    }
    if (!line) continue;
    const parsed = JSON.parse(line) as { c: string; d: object } | BackupTrailer;
    if ('collections' in parsed) {
      trailer = parsed;
      continue;
    }
    const { c, d } = parsed;
    if (batch?.name !== c || batch.docs.length >= 500) await flush();
    batch ??= { name: c, docs: [] };
    batch.docs.push(EJSON.deserialize(d, { relaxed: false }));
    counts[c] = (counts[c] ?? 0) + 1;
  }
  await flush();
  if (!trailer)
    throw new RestoreError('The backup is incomplete: it has no counts at its end. / پشتیبان ناقص است.');
  for (const [name, expected] of Object.entries(trailer.collections)) {
    if ((counts[name] ?? 0) !== expected)
      throw new RestoreError(
        `The backup is incomplete: ${name} has ${counts[name] ?? 0} of ${expected} documents. / پشتیبان ناقص است.`,
      );
  }
  const audit = await verifyAuditChain(new MongoAuditStore(db.conn));
  if (!audit.ok)
    throw new RestoreError(
      `The restored audit chain breaks at entry ${audit.brokenAt}. / زنجیرهٔ ممیزی بازگردانده‌شده در ردیف ${audit.brokenAt} گسسته است.`,
    );
  return {
    documents: Object.values(counts).reduce((a, b) => a + b, 0),
    collections: Object.keys(counts).length,
    audit,
  };
}

/** Backup files in `dir` written by the scheduler, newest first. */
export function listBackups(dir: string): { file: string; bytes: number; createdAt: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^ravand-\d{8}T\d{6}Z\.ndjson\.gz$/.test(f))
    .sort()
    .reverse()
    .map((f) => {
      const stat = fs.statSync(path.join(dir, f));
      return { file: path.join(dir, f), bytes: stat.size, createdAt: stat.mtime.toISOString() };
    });
}

/** The file name of a backup taken at `at`. */
export function backupFileName(at: Date): string {
  return `ravand-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.ndjson.gz`;
}
