import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
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
  /** Documents per collection, to check a restore against. */
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
 * Writes a consistent, gzip-compressed backup of every collection to `file` (one EJSON document a line after a
 * header) and its SHA-256 to `file.sha256` (`sha256sum -c` format). The embedded database is copied with SQLite's
 * `VACUUM INTO` while Ravand keeps writing (FerretDB runs SQLite in WAL mode), then read from that copy; MongoDB
 * is read in one snapshot session when it is a replica set.
 */
export async function createBackup(source: BackupSource, file: string): Promise<BackupResult> {
  const createdAt = new Date().toISOString();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
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
          await dump(db, 'embedded', createdAt, partial, undefined);
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
        await dump(db, 'mongodb', createdAt, partial, session);
      } finally {
        await session?.endSession();
      }
    } finally {
      await db.close();
    }
  }
  fs.renameSync(partial, file);
  const sha256 = await sha256File(file);
  fs.writeFileSync(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
  const header = await readHeader(file);
  return {
    file,
    bytes: fs.statSync(file).size,
    sha256,
    documents: Object.values(header.collections).reduce((a, b) => a + b, 0),
    createdAt,
  };
}

async function dump(
  db: Database,
  source: BackupHeader['source'],
  createdAt: string,
  file: string,
  session: mongoose.mongo.ClientSession | undefined,
): Promise<void> {
  const native = db.conn.db!;
  const names = (await native.listCollections({}, { nameOnly: true, session }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  // counts first, from the same snapshot, so the header can lead the file
  const collections: Record<string, number> = {};
  for (const name of names) collections[name] = 0;
  async function* lines(): AsyncGenerator<string> {
    const body: string[] = [];
    for (const name of names) {
      for await (const doc of native.collection(name).find({}, { session }).batchSize(1000)) {
        collections[name]! += 1;
        body.push(`${JSON.stringify({ c: name, d: EJSON.serialize(doc, { relaxed: false }) })}\n`);
        if (body.length >= 1000) yield* body.splice(0);
      }
    }
    yield* body;
  }
  // the documents go to a temporary gzip first; the header with the counts is written before them
  const bodyFile = `${file}.body`;
  try {
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(bodyFile));
    const header: BackupHeader = { ravandBackup: 1, createdAt, source, collections };
    // concatenated gzip members are one valid gzip stream: the header's member, then the body's
    fs.writeFileSync(file, zlib.gzipSync(`${JSON.stringify(header)}\n`));
    await pipeline(fs.createReadStream(bodyFile), fs.createWriteStream(file, { flags: 'a' }));
  } finally {
    fs.rmSync(bodyFile, { force: true });
  }
}

async function readHeader(file: string): Promise<BackupHeader> {
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()) });
  try {
    for await (const line of rl) {
      const header = JSON.parse(line) as BackupHeader;
      if (header.ravandBackup !== 1) throw new Error('not a Ravand backup');
      return header;
    }
  } finally {
    rl.close();
  }
  throw new Error('the backup file is empty');
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
 * collection, checks the counts against the header and verifies the audit chain before reporting success.
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
  const header = await readHeader(file);
  const native = db.conn.db!;
  for (const c of await native.listCollections({}, { nameOnly: true }).toArray()) {
    if (c.name.startsWith('system.')) continue;
    if ((await native.collection(c.name).estimatedDocumentCount()) > 0)
      throw new RestoreError(
        `The target database is not empty (collection ${c.name}); restore only into an empty database. / دیتابیس مقصد خالی نیست (${c.name})؛ فقط در دیتابیس خالی بازگردانی کنید.`,
      );
  }
  const counts: Record<string, number> = {};
  const batch = new Map<string, object[]>();
  const flush = async (name: string) => {
    const docs = batch.get(name);
    if (docs?.length) await native.collection(name).insertMany(docs as never[], { ordered: true });
    batch.set(name, []);
  };
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()) });
  let first = true;
  for await (const line of rl) {
    if (first) {
      first = false;
      continue;
    }
    if (!line) continue;
    const { c, d } = JSON.parse(line) as { c: string; d: object };
    const docs = batch.get(c) ?? [];
    docs.push(EJSON.deserialize(d, { relaxed: false }));
    batch.set(c, docs);
    counts[c] = (counts[c] ?? 0) + 1;
    if (docs.length >= 500) await flush(c);
  }
  for (const name of batch.keys()) await flush(name);
  for (const [name, expected] of Object.entries(header.collections)) {
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
