import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { RestoreError, restoreBackup } from '../persistence/backup.js';
import { connectCliDatabase } from './cli-database.js';

/** `npm run restore -- <file>`: restores into an empty database (Ravand stopped) and verifies the audit chain. */
async function main(): Promise<number> {
  const arg = process.argv[2];
  if (!arg) {
    process.stderr.write(
      'usage: npm run restore -- <backup file> / کاربرد: npm run restore -- <پروندهٔ پشتیبان>\n',
    );
    return 2;
  }
  const file = path.resolve(arg);
  if (!fs.existsSync(file)) {
    process.stderr.write(`restore: ${file} does not exist / پرونده وجود ندارد\n`);
    return 2;
  }
  const db = await connectCliDatabase(loadConfig());
  try {
    const result = await restoreBackup(file, db);
    process.stdout.write(
      `restored ${result.documents} documents in ${result.collections} collections; ` +
        `audit chain verified (${result.audit.checked} entries)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof RestoreError) {
      process.stderr.write(`restore: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`restore: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
