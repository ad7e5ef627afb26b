/**
 * `npm run bench:engine`: start → user task → complete → end, persisted through the runtime at
 * concurrency 1 and 16, beside raw in-memory bpmn-engine in the same run; then RSS with 10,000 waiting
 * instances. Uses MONGODB_URI when set, else a throwaway embedded FerretDB.
 *
 * BENCH_N1 / BENCH_N16 / BENCH_WAITING override the instance counts. The RSS figure comes from a fresh
 * child process (the server as it would run: one runtime, 10,000 instances waiting, at rest after a GC), so
 * the throughput phases before it do not inflate it; the peak while the 10,000 start is printed beside it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { compileDefinition } from '../server/engine/definition-compiler.js';
import { EngineRuntime } from '../server/engine/runtime.js';
import type { Actor } from '../server/engine/types.js';
import { setLogLevel } from '../server/logger.js';
import { connectDatabase } from '../server/persistence/database.js';
import { startEmbeddedDb, type EmbeddedDb } from '../server/persistence/embedded-db.js';
import { createRuntimeStores } from '../server/persistence/runtime-stores.js';
import { projectRoot } from '../server/project-root.js';

setLogLevel('warn');
const root = projectRoot();
const xml = fs.readFileSync(path.join(root, 'test', 'fixtures', 'engine-bench.bpmn'), 'utf8');
const actor: Actor = { id: 'bench', groups: ['staff'], roles: ['admin'] };
const N1 = Number(process.env.BENCH_N1 ?? 300);
const N16 = Number(process.env.BENCH_N16 ?? 1500);
const WAITING = Number(process.env.BENCH_WAITING ?? 10_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function processRss(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function pool(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await job(next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

async function rawInMemory(n: number, concurrency: number): Promise<number> {
  const compiled = await compileDefinition(xml, { hasService: () => true, hasForm: () => true });
  const seconds = await pool(n, concurrency, async () => {
    const listener = new EventEmitter();
    let wait: { id: string; executionId: string } | undefined;
    listener.on('wait', (api: { id: string; executionId: string }) => (wait = api));
    const engine = new Engine({ name: 'raw', sourceContext: compiled.sourceContext } as never);
    engine.on('error', () => undefined);
    const execution = await engine.execute({ listener });
    const end = engine.waitFor('end');
    execution.signal({ id: wait!.id, executionId: wait!.executionId });
    await end;
  });
  return n / seconds;
}

/** Child mode: a fresh runtime fills `WAITING` waiting instances and reports its memory as JSON. */
async function rssChild(uri: string): Promise<void> {
  const db = await connectDatabase(uri);
  const stores = await createRuntimeStores(db);
  const runtime = new EngineRuntime({ stores });
  await runtime.deploy(xml, actor);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  const t0 = performance.now();
  await pool(WAITING, 16, async () => {
    await runtime.start({ key: 'engine-bench', variables: { n: 1 } }, actor);
  });
  const seconds = (performance.now() - t0) / 1000;
  await runtime.idle();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  // V8 hands the pages a GC freed back to the system from its own threads, a few milliseconds later: the
  // figure is the server at rest with its waiting instances, once two samples 100 ms apart agree
  let rss = process.memoryUsage.rss();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = process.memoryUsage.rss();
    if (Math.abs(now - rss) < 1024 * 1024) break;
    rss = now;
  }
  const mem = process.memoryUsage();
  const waiting = (await runtime.listInstances({ status: 'running', limit: 1 })).total;
  process.stdout.write(
    `RSS ${JSON.stringify({ rss: mem.rss, peak, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, live: runtime.liveCount, waiting, rate: WAITING / seconds })}\n`,
  );
  await runtime.close();
  // the search above loaded the read model, which writes its first snapshot: let it finish before the database goes
  await stores.readModel.close();
  await db.close();
}

function runRssChild(uri: string): Promise<{
  rss: number;
  peak: number;
  heapUsed: number;
  heapTotal: number;
  live: number;
  waiting: number;
  rate: number;
}> {
  return new Promise((resolve, reject) => {
    // measure the server as production runs it: plain JavaScript, no TypeScript loader (tsx alone costs
    // ~90 MB of RSS: a loader thread and source maps); esbuild (tsx's own) bundles our code, not node_modules
    const bundle = path.join(root, '.cache', 'bench-engine.mjs');
    const built = spawnSync(
      path.join(root, 'node_modules', '.bin', 'esbuild'),
      [
        'bench/engine.ts',
        '--bundle',
        '--log-level=warning',
        '--platform=node',
        '--format=esm',
        '--packages=external',
        `--outfile=${bundle}`,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    if (built.status !== 0) return reject(new Error('esbuild failed'));
    const child = spawn(process.execPath, ['--expose-gc', bundle], {
      cwd: root,
      env: { ...process.env, BENCH_RSS_CHILD: uri },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      const m = /^RSS (.*)$/m.exec(out);
      if (m) resolve(JSON.parse(m[1]!) as never);
      else reject(new Error(`RSS child exited with ${code}: ${out}`));
    });
  });
}

async function main() {
  let embedded: EmbeddedDb | undefined;
  let tmp: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-bench-'));
    embedded = await startEmbeddedDb({ dataDir: tmp, cacheDir: path.join(root, '.cache') });
    uri = embedded.uri;
  }
  const url = new URL(uri);
  url.pathname = `/bench_${Date.now()}`;
  const db = await connectDatabase(url.toString());
  const runtime = new EngineRuntime({ stores: await createRuntimeStores(db) });
  await runtime.deploy(xml, actor);

  const persisted = async (n: number, concurrency: number) => {
    const seconds = await pool(n, concurrency, async () => {
      const inst = await runtime.start({ key: 'engine-bench', variables: { n: 1 } }, actor);
      const taskId = `${inst.id}:${inst.waiting[0]!.executionId}`;
      await runtime.completeTask(taskId, { done: true }, actor);
    });
    return n / seconds;
  };

  // warm-up (JIT, connection pool, collection creation)
  await persisted(30, 4);
  await rawInMemory(200, 1);

  const raw1 = await rawInMemory(Math.max(N1, 1000), 1);
  const raw16 = await rawInMemory(Math.max(N16, 2000), 16);
  const p1 = await persisted(N1, 1);
  const p16 = await persisted(N16, 16);

  // a second database for the RSS child, so its 10,000 instances start from empty collections
  const rssUrl = new URL(uri);
  rssUrl.pathname = `/bench_rss_${Date.now()}`;
  const child = await runRssChild(rssUrl.toString());
  const dbRss = embedded ? processRss(embedded.pid) : undefined;
  const audit = await runtime.verifyAudit();

  const rows: [string, string, string][] = [
    ['raw bpmn-engine, in memory, c1', `${raw1.toFixed(0)} inst/s`, ''],
    ['raw bpmn-engine, in memory, c16', `${raw16.toFixed(0)} inst/s`, ''],
    [`persisted runtime, c1 (${N1} instances)`, `${p1.toFixed(0)} inst/s`, ''],
    [
      `persisted runtime, c16 (${N16} instances)`,
      `${p16.toFixed(0)} inst/s`,
      p16 >= 100 ? 'target ≥ 100: met' : 'target ≥ 100: MISSED',
    ],
    [`start to wait, c16 (${WAITING} instances)`, `${child.rate.toFixed(0)} inst/s`, 'fresh server process'],
    [
      `RSS with ${child.waiting} waiting instances`,
      mb(child.rss),
      child.rss <= 300 * 1024 * 1024 ? 'target ≤ 300 MB: met' : 'target ≤ 300 MB: MISSED',
    ],
    ['  of which V8 heap in use', mb(child.heapUsed), `live engines: ${child.live}`],
    ['  V8 heap reserved', mb(child.heapTotal), ''],
    [`  peak RSS during the ${WAITING} starts`, mb(child.peak), 'before GC'],
    ...(dbRss
      ? ([['  embedded FerretDB process RSS', mb(dbRss), 'separate process']] as [string, string, string][])
      : []),
    ['audit chain', audit.ok ? `verifies (${audit.checked} entries)` : `BROKEN at ${audit.brokenAt}`, ''],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+${'-'.repeat(26)}+`;
  console.log(
    `\nRavand engine bench: start → user task → complete → end (Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
  );
  console.log(line);
  for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c.padEnd(24)} |`);
  console.log(line);

  await runtime.close();
  await db.conn.dropDatabase().catch(() => undefined);
  await db.conn
    .getClient()
    .db(rssUrl.pathname.slice(1))
    .dropDatabase()
    .catch(() => undefined);
  await db.close();
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

const childUri = process.env.BENCH_RSS_CHILD;
(childUri ? rssChild(childUri) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
