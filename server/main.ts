import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { registerHttpModels } from './http/http-models.js';
import { runDemoSeed } from './seed/demo-seed.js';
import { loadConfig, type Config } from './config.js';
import { log, setLogLevel } from './logger.js';
import { connectDatabase, redactUri, type Database } from './persistence/database.js';
import { EmbeddedDbError, startEmbeddedDb, type EmbeddedDb } from './persistence/embedded-db.js';
import { createRuntimeStores } from './persistence/runtime-stores.js';
import { EngineRuntime } from './engine/runtime.js';
import type { ReadModel } from './engine/projections/read-model.js';
import { createCalendar } from './engine/calendar.js';
import { createOfficeServices } from './engine/services/office-services.js';
import { deployProcesses } from './seed/deploy-processes.js';

/** A running Ravand: the only place that picks adapters, connects the database and listens. */
export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  embeddedDb: EmbeddedDb | undefined;
  runtime: EngineRuntime;
  /** Graceful shutdown: HTTP and sockets, then the database, then the embedded database process. */
  stop(): Promise<void>;
}

/** A start-up failure a person can act on; printed without a stack trace, exit code 1. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Starts the database (embedded unless MONGODB_URI is set), the app and the HTTP listener. */
export async function startRavand(config: Config): Promise<RunningServer> {
  let embeddedDb: EmbeddedDb | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    log.info('starting the embedded database', { dataDir: config.dataDir });
    embeddedDb = await startEmbeddedDb({
      dataDir: config.dataDir,
      cacheDir: config.cacheDir,
      port: config.dbPort,
      onLog: (line) => log.warn(`ferretdb: ${line}`),
    });
    uri = embeddedDb.uri;
    log.info('embedded database started', { pid: embeddedDb.pid, port: embeddedDb.port });
  }

  let db: Database;
  try {
    db = await connectDatabase(uri);
    if (!(await db.ping(5000))) throw new Error('the database did not answer a ping');
    registerHttpModels(db.conn);
    await db.ensureIndexes();
    // demo groups and accounts; never overwrites a user, passwords go to stdout once
    if (config.demoSeed) await runDemoSeed(db);
  } catch (err) {
    await embeddedDb?.stop();
    throw new StartupError((err as Error).message);
  }

  // the engine: after the database, before HTTP
  let runtime: EngineRuntime;
  let readModel: ReadModel;
  try {
    // one office calendar for FEEL deadlines and the office services, so both count the same working days
    const calendar = createCalendar({ holidays: config.holidays });
    const stores = await createRuntimeStores(db);
    readModel = stores.readModel;
    runtime = new EngineRuntime({
      stores,
      calendar,
      services: createOfficeServices({ calendar, informationDeadlineDays: config.atiDeadlineDays }),
    });
    // the office's processes (processes/*.bpmn); an unchanged file keeps its version
    const deployed = await deployProcesses(runtime);
    log.info('processes deployed', {
      processes: deployed.map((d) => `${d.definition.id}${d.created ? ' (new)' : ''}`).join(', '),
    });
  } catch (err) {
    await db.close();
    await embeddedDb?.stop();
    throw new StartupError(`engine recovery failed: ${(err as Error).message}`);
  }
  log.info('database ready', { uri: redactUri(uri) });

  const httpServer = http.createServer();
  const { io, close: closeApp } = createApp(httpServer, { config, db, runtime });
  try {
    // after createApp, so the event forwarders see it: instances with a service in flight move again now,
    // waiting instances stay on disk until touched
    await runtime.recover();
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await runtime.close();
    await db.close();
    await embeddedDb?.stop();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${config.port} is already in use; stop the other program or set PORT. / پورت ${config.port} در حال استفاده است؛ برنامهٔ دیگر را ببندید یا PORT را تغییر دهید.`,
      );
    }
    throw err;
  }
  // the read projections load in the background: healthy now, searches and figures wait for them
  readModel.ready().catch((err: unknown) => log.error('read model not loaded', { error: String(err) }));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  // PORT=0 (tests, benches): the default browser origins could not name the port before it was picked
  if (config.port === 0) config.origins.push(url, `http://127.0.0.1:${port}`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // order matters: no new requests, then no sockets, then the database, then its process
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await io.close().catch(() => undefined);
      httpServer.closeAllConnections();
      await closed;
      // drain the instance queues and stop engines while the database is still there
      await runtime.close();
      // live events of the last commands are logged before the database goes
      await closeApp();
      await db.close();
      await embeddedDb?.stop();
    })());

  return { url, port, db, embeddedDb, runtime, stop };
}

async function main(): Promise<void> {
  // handlers first: a signal that arrives while we start must still shut down cleanly, not kill us outright
  let starting: Promise<RunningServer | undefined> = Promise.resolve(undefined);
  const shutdown = (signal: string) => {
    log.info(`${signal} received, shutting down`);
    starting
      .then((server) => server?.stop())
      .then(
        () => process.exit(0),
        (err) => {
          log.error('shutdown failed', { error: String(err) });
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  starting = (async () => {
    const config = loadConfig();
    setLogLevel(config.logLevel);
    return startRavand(config);
  })();
  try {
    const server = (await starting)!;
    log.info(`Ravand is listening on ${server.url}`);
  } catch (err) {
    const known = err instanceof StartupError || err instanceof EmbeddedDbError;
    process.stderr.write(
      `ravand: ${known ? (err as Error).message : ((err as Error).stack ?? String(err))}\n`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main();
}
