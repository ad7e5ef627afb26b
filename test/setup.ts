import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setLogLevel } from '../server/logger.js';
import { startEmbeddedDb, type EmbeddedDb } from '../server/persistence/embedded-db.js';
import { projectRoot } from '../server/project-root.js';

/**
 * Root hooks: one throwaway embedded FerretDB for the whole run (free port, temp folder, removed after),
 * unless MONGODB_URI names a server to use. Suites get a database of their own (test/helpers/database.ts).
 */
let embedded: EmbeddedDb | undefined;
let tmpDir: string | undefined;

setLogLevel((process.env.LOG_LEVEL as 'warn') ?? 'warn');

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(600_000); // the first run builds the database binary
    if (process.env.MONGODB_URI) {
      process.env.RAVAND_TEST_MONGODB_URI = process.env.MONGODB_URI;
      return;
    }
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-test-db-'));
    embedded = await startEmbeddedDb({ dataDir: tmpDir, cacheDir: path.join(projectRoot(), '.cache') });
    process.env.RAVAND_TEST_MONGODB_URI = embedded.uri;
  },
  async afterAll() {
    await embedded?.stop();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  },
};
