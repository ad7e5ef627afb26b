import path from 'node:path';
import { loadConfig } from '../config.js';
import { backupFileName, createBackup } from '../persistence/backup.js';

/** `npm run backup [-- <file>]`: a consistent, compressed, checksummed backup while Ravand runs. */
async function main(): Promise<number> {
  const config = loadConfig();
  const file = path.resolve(process.argv[2] ?? path.join(config.backupDir, backupFileName(new Date())));
  const result = await createBackup(
    config.mongodbUri
      ? { kind: 'mongodb', uri: config.mongodbUri }
      : { kind: 'embedded', dataDir: config.dataDir, cacheDir: config.cacheDir },
    file,
  );
  process.stdout.write(
    `backup written: ${result.file}\n  ${result.documents} documents, ${result.bytes} bytes, sha256 ${result.sha256}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
