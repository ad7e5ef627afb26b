import crypto from 'node:crypto';
import { connectDatabase, type Database } from '../../server/persistence/database.js';

/** The run's database server URI with a fresh database name (clean for each caller). */
export function freshDbUri(): string {
  const base = process.env.RAVAND_TEST_MONGODB_URI;
  if (!base) throw new Error('RAVAND_TEST_MONGODB_URI is unset: run tests through mocha (test/setup.ts)');
  const url = new URL(base);
  url.pathname = `/t_${crypto.randomBytes(6).toString('hex')}`;
  return url.toString();
}

/** Connects to a fresh database; `drop()` removes it and closes the connection. */
export async function openTestDatabase(): Promise<Database & { uri: string; drop(): Promise<void> }> {
  const uri = freshDbUri();
  const db = await connectDatabase(uri);
  return {
    ...db,
    uri,
    async drop() {
      await db.conn.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

/** Registers before/after hooks giving the suite its own clean database. */
export function useTestDatabase(): { readonly db: Database; readonly uri: string } {
  let current: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  before(async () => {
    current = await openTestDatabase();
  });
  after(async () => {
    await current?.drop();
  });
  return {
    get db() {
      if (!current) throw new Error('useTestDatabase: used outside a test');
      return current;
    },
    get uri() {
      if (!current) throw new Error('useTestDatabase: used outside a test');
      return current.uri;
    },
  };
}
