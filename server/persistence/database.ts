import mongoose, { type Connection } from 'mongoose';

/** A live connection to MongoDB (or the embedded FerretDB) with the models Ravand registers on it. */
export interface Database {
  conn: Connection;
  /**
   * Which server answers: FerretDB (embedded, or any FerretDB given by `MONGODB_URI`) or MongoDB. FerretDB's
   * SQLite backend uses an index only for a filter that is exactly `{ _id }` (and only as we patch it: see
   * `FERRETDB_PATCHES`), and its updates are not atomic across connections, so stores choose filters by it.
   */
  flavour: 'ferretdb' | 'mongodb';
  /** True when the server answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Creates every registered model's indexes (we never rely on autoIndex). */
  ensureIndexes(): Promise<void>;
  close(): Promise<void>;
}

/** The URI without credentials, for error messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/** Connects to `uri`; a failure says which server and why, for a person to act on. */
export async function connectDatabase(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<Database> {
  const conn = mongoose.createConnection(uri, {
    autoIndex: false,
    autoCreate: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    // the embedded FerretDB has no retryable writes; on MongoDB our writes are already version-guarded
    retryWrites: false,
  });
  try {
    await conn.asPromise();
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw new Error(`Cannot reach the database at ${redactUri(uri)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  // FerretDB answers buildInfo with its own version beside the MongoDB version it emulates
  const info = (await conn.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string };
  return {
    conn,
    flavour: info.ferretdbVersion ? 'ferretdb' : 'mongodb',
    async ping(timeoutMs = 2000) {
      if (conn.readyState !== 1 || !conn.db) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          conn.db.admin().ping(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
          }),
        ]);
        return (result as { ok?: number }).ok === 1;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async ensureIndexes() {
      for (const model of Object.values(conn.models)) {
        await model.createCollection().catch((err: { code?: number }) => {
          if (err.code !== 48) throw err; // 48: NamespaceExists
        });
        await model.createIndexes();
      }
    },
    async close() {
      await conn.close();
    },
  };
}
