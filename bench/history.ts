/**
 * `npm run bench:history`: the reads a person waits for, at ten years of history. Builds (once, then reuses)
 * a data set of BENCH_ENDED ended instances (default 100,000), BENCH_RUNNING running ones (5,000, each with an
 * open task) and about ten audit entries per instance, then starts the real server on it (`server/main.ts`, a
 * child process, embedded database) and prints every figure beside its goal in one table.
 *
 * The data set, and how it is made honestly from the runtime's own checkpoints: `history-data-set.ts`.
 *
 * Once built, the set is prepared as a first start would (`history-prepare.ts`) and each run works on a fresh
 * copy of it, so reruns start from the same state and take seconds to set up.
 *
 * The server runs compiled (`tsc -p tsconfig.build.json` first), as `npm start` runs it; BENCH_TSX=1 runs it
 * from source instead (tsx compiles every module at each start, which counts against the restart times).
 *
 * BENCH_HISTORY_DIR (data folder; default in the system temp folder, reused when it holds the same counts),
 * BENCH_CALLS (calls per read, default 20).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setLogLevel } from '../server/logger.js';
import { projectRoot } from '../server/project-root.js';
import { buildDataSet, DAY, DIR, ENDED, PASSWORD, random, RUNNING } from './history-data-set.js';
import {
  copyForRun,
  deflateStates,
  prepareAuditIndex,
  prepareDataSet,
  upgradeSnapshot,
} from './history-prepare.js';

setLogLevel('warn');
const root = projectRoot();
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const ORIGIN = 'http://bench.local';
/** The copy of the data set a run works on (see `copyForRun`). */
let RUN_DIR = DIR;

/** Compiles the server as `npm run build` does (its first half), so restarts are timed as `npm start` runs. */
function buildServer(): void {
  if (process.env.BENCH_TSX) return;
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  console.log(`server compiled in ${ms(performance.now() - t0)}`);
}

/** The real server on the data set, in a child process. */
function spawnServer(): {
  child: ChildProcess;
  ready: Promise<string>;
  output: () => string;
  dbPid: () => number | undefined;
} {
  // the server as `npm start` runs it (compiled, see `buildServer`), or from source with BENCH_TSX=1
  const args = process.env.BENCH_TSX
    ? ['--import', 'tsx', path.join(root, 'server', 'main.ts')]
    : [path.join(root, 'dist', 'server', 'main.js')];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      MONGODB_URI: '',
      RAVAND_DATA_DIR: RUN_DIR,
      RAVAND_DEMO_SEED: 'false',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      RAVAND_ORIGINS: ORIGIN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      // the server listens on 127.0.0.1 (HOST): `localhost` may resolve to ::1 first, where a connect hangs
      if (m) resolve(m[1]!.replace('//localhost:', '//127.0.0.1:'));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}):\n${out}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    output: () => out,
    dbPid: () => {
      const m = /embedded database started.*"pid":(\d+)/.exec(out);
      return m ? Number(m[1]) : undefined;
    },
  };
}

/** The server's start-up phases as it logged them: `phase ms (at ms since its launch)`, one line. */
function phasesOf(server: ReturnType<typeof spawnServer>): string {
  return [...server.output().matchAll(/start-up phase (\{.*\})/g)]
    .map((m) => JSON.parse(m[1]!) as { phase: string; ms: number; at: number })
    .map((p) => `${p.phase} ${p.ms} ms (at ${p.at})`)
    .join('; ');
}

async function untilHealthy(server: ReturnType<typeof spawnServer>): Promise<string> {
  const t0 = performance.now();
  const url = await server.ready;
  console.log(`  listening after ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  for (;;) {
    const res = await fetch(`${url}/healthz`).catch(() => undefined);
    if (res?.ok) return url;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stopServer(server: ReturnType<typeof spawnServer>, signal: NodeJS.Signals): Promise<void> {
  const dbPid = server.dbPid();
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill(signal);
  await exited;
  // the embedded database leaves with its parent (it watches its stdin); wait until it has
  while (dbPid && fs.existsSync(`/proc/${dbPid}`)) await new Promise((r) => setTimeout(r, 50));
}

class Client {
  cookie = '';
  csrf = '';
  constructor(readonly url: string) {}
  async login(): Promise<void> {
    const res = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ username: 'bench-admin', password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    this.cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }
  async call<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: {
        cookie: this.cookie,
        origin: ORIGIN,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return { status: res.status, body: (await res.json()) as T };
  }
  get<T>(route: string) {
    return this.call<T>('GET', route).then((r) => r.body);
  }
  async text(route: string): Promise<string> {
    const res = await fetch(`${this.url}${route}`, { headers: { cookie: this.cookie, origin: ORIGIN } });
    if (res.status >= 400) throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
    return res.text();
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

async function main(): Promise<void> {
  const marker = await buildDataSet();
  const prepared = await prepareDataSet(DIR);
  console.log(
    `data set: prepared (read model from every day bucket ${ms(prepared.bucketLoadMs)}, snapshot ${ms(prepared.snapshotMs)}); load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const auditBuild = await prepareAuditIndex(DIR);
  console.log(
    `audit index: built from the chain once (${auditBuild.entries} entries in ${ms(auditBuild.ms)})`,
  );
  RUN_DIR = copyForRun(DIR);
  const upgradeMs = await upgradeSnapshot(RUN_DIR);
  if (upgradeMs) console.log(`data set: snapshot rewritten in the current part format in ${ms(upgradeMs)}`);
  const deflated = await deflateStates(RUN_DIR);
  if (deflated)
    console.log(`data set: ${deflated} engine states stored deflated, as the runtime writes them now`);
  buildServer();
  const rows: [string, string, string, string][] = [];
  const row = (what: string, measured: string, goal: string, ok: boolean) =>
    rows.push([what, measured, goal, ok ? 'yes' : 'NO']);
  row(
    'one-time first start of this version on an older set: read model from every day bucket, then snapshot',
    `${ms(prepared.bucketLoadMs)} + ${ms(prepared.snapshotMs)}`,
    'once, in the background',
    true,
  );
  row(
    `one-time first start of this version on an older set: the audit index from one read of the chain (${auditBuild.entries.toLocaleString('en')} entries), then stored`,
    ms(auditBuild.ms),
    'once, in the background',
    true,
  );

  // a first start and a clean stop of this version: the set was closed by the build, not by a server, and its
  // first start deploys the office's processes (what every later restart does not do again)
  let t0 = performance.now();
  let server = spawnServer();
  await untilHealthy(server);
  await stopServer(server, 'SIGTERM');
  console.log(`first start and clean stop of this version: ${ms(performance.now() - t0)}`);

  // restart after a clean stop
  t0 = performance.now();
  server = spawnServer();
  let url = await untilHealthy(server);
  const cleanStart = performance.now() - t0;
  row('restart to healthy after a clean stop', ms(cleanStart), '≤ 5 s', cleanStart <= 5000);

  const client = new Client(url);
  await client.login();
  // the projections load in the background: a search waits for them
  await client.get('/api/instances?status=completed&limit=50');
  const cleanReady = performance.now() - t0;
  // searches wait for the instance index only: the rest of the read model (the task facts) is logged after it
  await client.get('/api/metrics');
  const loaded = /read model loaded (\{.*\})/.exec(server.output());
  console.log(`read model ready ${ms(cleanReady)} after the start; ${loaded?.[1] ?? ''}`);
  console.log(`  start-up phases: ${phasesOf(server)}`);
  row(
    'restart after a clean stop until a search of ended instances answers',
    ms(cleanReady),
    '≤ 5 s',
    cleanReady <= 5000,
  );

  const rnd = random(7);
  const anyOf = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
  const reads: [string, () => string | Promise<unknown>][] = [
    ['dashboard figures GET /api/metrics', () => '/api/metrics'],
    ['GET /api/instances?limit=50', () => '/api/instances?limit=50'],
    ['… ?status=running&limit=50', () => '/api/instances?status=running&limit=50'],
    ['… ?status=completed&skip=5000&limit=50', () => '/api/instances?status=completed&skip=5000&limit=50'],
    [
      '… ?businessKey=<one reference>',
      () => `/api/instances?businessKey=HB-${String(Math.floor(rnd() * ENDED)).padStart(6, '0')}`,
    ],
    [
      '… ?key=…&startedAfter=…&startedBefore=… (a month)',
      () => `/api/instances?key=history-bench&startedAfter=${iso(200)}&startedBefore=${iso(170)}&limit=50`,
    ],
    ['GET /api/instances/:id (ended)', () => `/api/instances/${anyOf(marker.endedIds)}`],
    ['GET /api/instances/:id (running)', () => `/api/instances/${anyOf(marker.runningIds)}`],
    ['GET /api/instances/:id/audit (ended)', () => `/api/instances/${anyOf(marker.endedIds)}/audit`],
    [
      "the auditor's desk, one instance: GET /api/audit?instanceId=…",
      () => `/api/audit?instanceId=${anyOf(marker.endedIds)}`,
    ],
    [
      'a task with its history: GET /api/tasks/:id + its instance',
      async () => {
        const id = anyOf(marker.runningIds);
        const detail = await client.get<{ openTasks: { id: string }[] }>(`/api/instances/${id}`);
        return client.get(`/api/tasks/${encodeURIComponent(detail.openTasks[0]!.id)}`);
      },
    ],
    ['GET /api/tasks?view=all&limit=50', () => '/api/tasks?view=all&limit=50'],
    // the auditor's desk without an instance: the audit index, then the page's 50 entries by `_id`
    ["the auditor's desk, no filter: GET /api/audit?limit=50 (newest first)", () => '/api/audit?limit=50'],
    [
      '… ?actor=<one person>',
      () => `/api/audit?actor=staff-${String(1 + Math.floor(rnd() * 200)).padStart(3, '0')}&limit=50`,
    ],
    ['… ?from=…&to=… (a month)', () => `/api/audit?from=${iso(200)}&to=${iso(170)}&limit=50`],
    ['… ?kind=task.completed', () => '/api/audit?kind=task.completed&limit=50'],
    [
      '… ?actor=…&kind=task.&from=…&to=… (a month), page 3',
      () =>
        `/api/audit?actor=staff-${String(1 + Math.floor(rnd() * 200)).padStart(3, '0')}&kind=task.&from=${iso(200)}&to=${iso(170)}&skip=100&limit=50`,
    ],
  ];
  for (const [what, make] of reads) {
    const times: number[] = [];
    for (let i = 0; i < CALLS + 2; i++) {
      const start = performance.now();
      const r = make();
      if (typeof r === 'string') await client.get(r);
      else await r;
      if (i >= 2) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${what}: p95 ${ms(pct(times, 95))}`);
    row(
      `${what} (p50 ${ms(pct(times, 50))})`,
      `p95 ${ms(pct(times, 95))}`,
      'p95 ≤ 100 ms',
      pct(times, 95) <= 100,
    );
  }

  // the desk's CSV export of a month: streamed, the matching entries read by `_id` in batches
  {
    const times: number[] = [];
    let rowsOut = 0;
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const csv = await client.text(`/api/audit/export.csv?from=${iso(200)}&to=${iso(170)}&lang=fa`);
      times.push(performance.now() - start);
      rowsOut = csv.split('\r\n').length - 2;
      bytes = Buffer.byteLength(csv);
    }
    times.sort((a, b) => a - b);
    console.log(`  CSV of a month: median ${ms(pct(times, 50))}`);
    row(
      `the desk's CSV export of a month (${rowsOut.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB, 3 calls; slowest ${ms(times.at(-1)!)})`,
      `median ${ms(pct(times, 50))}`,
      'streamed, no whole-chain read',
      true,
    );
  }

  // the audit chain: the first check after the build verifies from nothing; then a full re-verification
  console.log('  audit verification …');
  t0 = performance.now();
  const first = await client.get<{ verifiedUpTo: number; total: number; running: boolean }>(
    '/api/audit/verify',
  );
  const firstMs = performance.now() - t0;
  row(
    `GET /api/audit/verify, chain never verified (${first.verifiedUpTo} of ${first.total} done in the answer)`,
    ms(firstMs),
    '≤ 5 s',
    firstMs <= 5000,
  );
  t0 = performance.now();
  await client.call('POST', '/api/audit/verify', {});
  type State = {
    running: boolean;
    ok: boolean;
    checked: number;
    total: number;
    progress: number;
    verifiedUpTo: number;
  };
  let full: State;
  let slowest = 0;
  // wait for the full job at most BENCH_FULL_VERIFY_S seconds (default 120); its rate tells the rest
  const waitFor = Number(process.env.BENCH_FULL_VERIFY_S ?? 120) * 1000;
  do {
    await new Promise((r) => setTimeout(r, 2000));
    const s = performance.now();
    full = await client.get<State>('/api/audit/verify');
    slowest = Math.max(slowest, performance.now() - s);
  } while (full.running && performance.now() - t0 < waitFor);
  const fullMs = performance.now() - t0;
  // done: the state may already be that of an incremental check after it (nothing left to check), so the
  // verified checkpoint tells how far the full job got
  const rate = (full.running ? full.checked : full.verifiedUpTo) / (fullMs / 1000);
  row(
    full.running
      ? `full re-verification in the background: ${full.checked} of ${full.total} after ${ms(fullMs)} (progress ${full.progress.toFixed(2)})`
      : `full re-verification in the background: done, verified up to ${full.verifiedUpTo} of ${full.total} (ok: ${full.ok})`,
    full.running
      ? `${Math.round(rate)}/s, about ${ms(((full.total - full.checked) / rate) * 1000 + fullMs)} in all`
      : `${ms(fullMs)} (${Math.round(rate)}/s)`,
    'background, with progress',
    full.ok,
  );
  row('GET /api/audit/verify while it ran (slowest answer)', ms(slowest), '≤ 5 s', slowest <= 5000);
  // new entries after it: verified incrementally
  const startRes = await client.call<{ id: string }>('POST', '/api/instances', {
    key: 'history-bench',
    businessKey: 'HB-NEW',
    variables: { title: 'New', directorate: 'legal', province: 'province-her' },
  });
  t0 = performance.now();
  const inc = await client.get<{ checked: number; running: boolean; verifiedUpTo: number; total: number }>(
    '/api/audit/verify',
  );
  const incMs = performance.now() - t0;
  row(
    `GET /api/audit/verify after new entries (verified up to ${inc.verifiedUpTo} of ${inc.total}${inc.running ? ', still running' : ''})`,
    ms(incMs),
    '≤ 5 s',
    incMs <= 5000,
  );

  // restart after kill -9 in the middle of work
  const moving = Array.from({ length: 20 }, (_, i) =>
    client
      .call('POST', '/api/instances', {
        key: 'history-bench',
        businessKey: `HB-KILL-${i}`,
        variables: { title: 'Kill', directorate: 'legal', province: 'province-her' },
      })
      .catch(() => undefined),
  );
  await Promise.race([Promise.all(moving), new Promise((r) => setTimeout(r, 150))]);
  await stopServer(server, 'SIGKILL');
  t0 = performance.now();
  server = spawnServer();
  url = await untilHealthy(server);
  const killStart = performance.now() - t0;
  row('restart to healthy after kill -9', ms(killStart), '≤ 5 s', killStart <= 5000);
  const after = new Client(url);
  await after.login();
  await after.get('/api/instances?status=completed&limit=50');
  const killReady = performance.now() - t0;
  await after.get('/api/metrics');
  console.log(`  after kill -9, start-up phases: ${phasesOf(server)}`);
  row(
    'restart after kill -9 until a search of ended instances answers',
    ms(killReady),
    '≤ 5 s',
    killReady <= 5000,
  );
  await after.get('/api/audit?actor=staff-001&limit=50');
  const killDesk = performance.now() - t0;
  const indexLoaded = /audit index loaded (\{.*\})/.exec(server.output());
  console.log(`audit index after kill -9: ${indexLoaded?.[1] ?? ''}`);
  row(
    "restart after kill -9 until the auditor's desk without an instance answers (audit index: stored parts + tail)",
    ms(killDesk),
    '≤ 5 s',
    killDesk <= 5000,
  );
  await stopServer(server, 'SIGTERM');
  void startRes;

  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), 8));
  const line = (r: string[]) => `| ${r.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    `\nbench:history — ${ENDED.toLocaleString('en')} ended + ${RUNNING.toLocaleString('en')} running instances, ` +
      `${marker.auditEntries.toLocaleString('en')} audit entries, ${os.cpus().length} cores, embedded database; ` +
      `${CALLS} calls per read; load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
  );
  console.log(line(['figure', 'measured', 'goal', 'met']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  console.log(`\n${marker.sampleCheck}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
