import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { FERRETDB_OVERLAY, FERRETDB_PATCHES } from './ferretdb-patches.js';

/** Why the embedded database could not start; `main` prints `message` and exits with code 1. */
export class EmbeddedDbError extends Error {
  constructor(
    readonly reason:
      'go-missing' | 'build-failed' | 'port-in-use' | 'data-not-writable' | 'corrupt' | 'start-failed',
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedDbError';
  }
}

export interface EmbeddedDb {
  uri: string;
  port: number;
  pid: number;
  /** Resolves when the process exits, whoever stopped it (its exit code, or null after a signal). */
  exited: Promise<number | null>;
  /** Stops the database and waits for its process to exit. */
  stop(): Promise<void>;
}

export interface EmbeddedDbOptions {
  /** Folder for the SQLite files (created if missing). */
  dataDir: string;
  /** Folder for the built binary. */
  cacheDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** FerretDB's own log level (default error). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Called with each stderr line of the database. */
  onLog?: (line: string) => void;
}

const NO_GO_HINT = 'set MONGODB_URI to a MongoDB 6+ server, or install Go 1.24+';
const sourceDir = () => path.join(projectRoot(), 'server', 'persistence', 'ferretdb');

const overlayDir = () => path.join(sourceDir(), 'overlay');

/** Builds our FerretDB wrapper once per source hash into `cacheDir`; returns the binary's path. */
export function ensureBinary(cacheDir: string): string {
  const src = sourceDir();
  const hash = crypto.createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) hash.update(fs.readFileSync(path.join(src, f)));
  hash.update(JSON.stringify(FERRETDB_PATCHES));
  for (const f of FERRETDB_OVERLAY) hash.update(fs.readFileSync(path.join(overlayDir(), f)));
  const binDir = path.join(cacheDir, 'ferretdb');
  const bin = path.join(binDir, `ravand-ferretdb-${hash.digest('hex').slice(0, 12)}`);
  if (fs.existsSync(bin)) return bin;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new EmbeddedDbError(
      'go-missing',
      `Go was not found, so the embedded database cannot be built: ${NO_GO_HINT}.`,
    );
  }
  fs.mkdirSync(binDir, { recursive: true });
  sweepStaleBuilds(binDir);
  // build in a folder of its own to a temporary name, then rename: processes building at once (even with
  // the same pid, in containers) never share files nor see half a binary
  const work = fs.mkdtempSync(path.join(binDir, 'build-'));
  const tmp = path.join(work, 'ravand-ferretdb');
  let failure: string | undefined;
  try {
    failure = buildPatched(src, work, tmp);
    if (failure === undefined) fs.renameSync(tmp, bin);
  } catch (err) {
    failure = (err as Error).message;
  } finally {
    removeTree(work);
  }
  if (failure !== undefined)
    throw new EmbeddedDbError(
      'build-failed',
      `Building the embedded database failed (${NO_GO_HINT}):\n${failure.slice(-2000)}`,
    );
  return bin;
}

/**
 * Builds the wrapper in `src` to `out` against a patched copy of the FerretDB module in `work` (`go build
 * -overlay` may not replace files in the module cache, so the copy is a `replace` in a throw-away go.mod);
 * the failure's text, or undefined.
 */
function buildPatched(src: string, work: string, out: string): string | undefined {
  const env = { ...process.env, DO_NOT_TRACK: '1', CGO_ENABLED: '0', GOWORK: 'off' };
  const run = (args: string[]) => spawnSync('go', args, { cwd: src, encoding: 'utf8', env });
  // the module's source, downloaded when the cache lacks it (`go list -m` would leave Dir empty then)
  const got = run(['mod', 'download', '-json', 'github.com/FerretDB/FerretDB']);
  if (got.status !== 0) return got.stderr || got.stdout || String(got.error);
  const copy = path.join(work, 'ferretdb');
  fs.cpSync((JSON.parse(got.stdout) as { Dir: string }).Dir, copy, { recursive: true });
  makeWritable(copy); // the module cache is read-only
  for (const patch of FERRETDB_PATCHES) {
    const file = path.join(copy, patch.file);
    const text = fs.readFileSync(file, 'utf8');
    if (text.split(patch.from).length !== 2)
      return `patch for ${patch.file} does not apply: "${patch.from}" is not there exactly once`;
    fs.writeFileSync(file, text.replace(patch.from, patch.to));
  }
  for (const f of FERRETDB_OVERLAY) {
    const text = fs.readFileSync(path.join(overlayDir(), f), 'utf8');
    if (!text.startsWith('//go:build ignore\n')) return `overlay ${f} does not start with //go:build ignore`;
    fs.writeFileSync(path.join(copy, f), text.slice('//go:build ignore\n'.length));
  }
  const goMod = fs.readFileSync(path.join(src, 'go.mod'), 'utf8');
  const modFile = path.join(work, 'build.mod');
  fs.writeFileSync(modFile, `${goMod}\nreplace github.com/FerretDB/FerretDB => ${JSON.stringify(copy)}\n`);
  fs.copyFileSync(path.join(src, 'go.sum'), path.join(work, 'build.sum'));
  const build = run(['build', '-mod=mod', `-modfile=${modFile}`, '-o', out, '.']);
  return build.status === 0 ? undefined : build.stderr || String(build.error);
}

/** Build folders left by a build that was killed (older than an hour: a running build is minutes old). */
function sweepStaleBuilds(binDir: string): void {
  for (const name of fs.readdirSync(binDir)) {
    const p = path.join(binDir, name);
    if (!name.startsWith('build-') && !name.endsWith('.tmp')) continue;
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > 3_600_000) removeTree(p);
    } catch {
      // another process swept it first
    }
  }
}

/** Removes a folder that may hold read-only copies from Go's module cache; best effort. */
function removeTree(p: string): void {
  try {
    if (fs.statSync(p).isDirectory()) makeWritable(p);
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // gone already, or left for the next sweep
  }
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else fs.chmodSync(p, 0o644);
  }
}

/** Asks the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function checkWritable(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (err) {
    throw new EmbeddedDbError(
      'data-not-writable',
      `The data folder ${dir} is not writable (${(err as Error).message}); set RAVAND_DATA_DIR to a writable folder.`,
    );
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses to start on a database file that is not SQLite (FerretDB would only say "file is not a database (26)"
 * without naming it): names the file and points at a restore, in both languages.
 */
export function checkDatabaseFiles(dbDir: string): void {
  if (!fs.existsSync(dbDir)) return;
  for (const name of fs.readdirSync(dbDir)) {
    if (!name.endsWith('.sqlite')) continue;
    const file = path.join(dbDir, name);
    let header: Buffer;
    try {
      const fd = fs.openSync(file, 'r');
      header = Buffer.alloc(SQLITE_HEADER.length);
      const read = fs.readSync(fd, header, 0, header.length, 0);
      fs.closeSync(fd);
      // SQLite treats an empty file as an empty database
      if (read === 0) continue;
    } catch (err) {
      throw new EmbeddedDbError('corrupt', corruptMessage(file, (err as Error).message));
    }
    if (!header.equals(SQLITE_HEADER))
      throw new EmbeddedDbError('corrupt', corruptMessage(file, 'not a SQLite file'));
  }
}

function corruptMessage(file: string, why: string): string {
  return (
    `The database file ${file} is damaged or unreadable (${why}). Stop Ravand and restore the last backup ` +
    `(npm run restore -- <backup file>), or move the file away to start empty.\n` +
    `پروندهٔ دیتابیس ${file} خراب است یا خوانده نمی‌شود. Ravand را متوقف کنید و آخرین پشتیبان را بازگردانید ` +
    `(npm run restore -- <پروندهٔ پشتیبان>)، یا پرونده را جابه‌جا کنید تا خالی آغاز شود.`
  );
}

/**
 * Starts the embedded FerretDB (SQLite files under `dataDir/db/`) on 127.0.0.1 and resolves once it listens.
 * The child exits by itself when our process dies, even by SIGKILL: it watches its stdin, which we hold open.
 */
export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const dbDir = path.join(options.dataDir, 'db');
  checkWritable(dbDir);
  checkDatabaseFiles(dbDir);
  const bin = ensureBinary(options.cacheDir);
  const port = options.port || (await freePort());
  const child = spawn(
    bin,
    ['-listen', `127.0.0.1:${port}`, '-data', dbDir + path.sep, '-log-level', options.logLevel ?? 'error'],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DO_NOT_TRACK: '1' } },
  );
  // once it is up, neither the child nor its pipes keep our event loop alive (until then, stdout does)
  const unref = () => {
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr])
      (s as unknown as { unref?: () => void }).unref?.();
  };

  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    if (options.onLog) for (const line of chunk.split('\n')) if (line) options.onLog(line);
  });

  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (chunk: string) => {
      out += chunk;
      if (out.includes('listening')) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.stdout!.resume();
        unref();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      if (/address already in use/.test(stderr)) {
        reject(
          new EmbeddedDbError(
            'port-in-use',
            `The embedded database port ${port} is already in use; set RAVAND_DB_PORT to a free port (or 0).`,
          ),
        );
      } else if (/file is not a database|malformed|SQLITE_CORRUPT|SQLITE_NOTADB/i.test(stderr)) {
        reject(new EmbeddedDbError('corrupt', corruptMessage(dbDir, stderr.trim().split('\n').at(-1) ?? '')));
      } else if (/not writable|permission denied|readonly/i.test(stderr)) {
        reject(
          new EmbeddedDbError(
            'data-not-writable',
            `The data folder ${dbDir} is not writable:\n${stderr.trim()}`,
          ),
        );
      } else {
        reject(
          new EmbeddedDbError(
            'start-failed',
            `The embedded database exited with code ${code}:\n${stderr.trim()}`,
          ),
        );
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
  });

  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/ravand`,
    port,
    pid: child.pid!,
    exited,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
