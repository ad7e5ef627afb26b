import type { Config } from '../config.js';
import { connectDatabase, type Database } from '../persistence/database.js';
import { startEmbeddedDb } from '../persistence/embedded-db.js';

/**
 * The database of a command-line tool: `MONGODB_URI` when set, otherwise the embedded one in the data directory,
 * started for the tool's run (Ravand must be stopped). `close` also stops the embedded database.
 */
export async function connectCliDatabase(
  config: Pick<Config, 'mongodbUri' | 'dataDir' | 'cacheDir' | 'dbPort'>,
): Promise<Database> {
  if (config.mongodbUri) return connectDatabase(config.mongodbUri);
  const embedded = await startEmbeddedDb({
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    port: config.dbPort,
  });
  try {
    const db = await connectDatabase(embedded.uri);
    return {
      ...db,
      async close() {
        await db.close();
        await embedded.stop();
      },
    };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
