/**
 * `npm run bench:web`: the first load over a provincial link. Builds the client if it is older than its sources,
 * starts the real server (embedded database, or MONGODB_URI), and opens sign-in, inbox, dashboard and modeller in
 * Chromium with an empty cache over 1.6 Mbit/s with 300 ms latency (CDP `Network.emulateNetworkConditions`).
 * Prints, per view: requests, bytes on the wire (what the network carried, compressed), bytes of the bodies
 * after decoding, and the time to a usable first view (its content shown and its fonts loaded), beside the same
 * view unthrottled (what the machine itself takes: on a busy machine most of the time); then the inbox
 * again from the browser's cache (a repeat visit).
 *
 * BENCH_WEB_KBPS (default 1600) and BENCH_WEB_LATENCY_MS (default 300) change the link; BENCH_WEB_WATERFALL=inbox
 * (or any view's name) also prints that view's throttled requests: sent, answered and finished (seconds from the
 * first request), bytes on the wire, cache, path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../server/auth/passwords.js';
import { loadConfig } from '../server/config.js';
import { SYSTEM_ACTOR, type Role } from '../server/engine/types.js';
import { setLogLevel } from '../server/logger.js';
import { startRavand, type RunningServer } from '../server/main.js';
import { GroupStore } from '../server/persistence/group-store.js';
import { UserStore } from '../server/persistence/user-store.js';
import { groups as organisationGroups } from '../server/seed/organisation.js';
import { ensureClientBuilt, launchChromium } from '../test/client/helpers/browser.js';

setLogLevel('warn');
const KBPS = Number(process.env.BENCH_WEB_KBPS ?? 1600);
const LATENCY_MS = Number(process.env.BENCH_WEB_LATENCY_MS ?? 300);
const PASSWORD = 'correct-horse-battery';
const WATERFALL = process.env.BENCH_WEB_WATERFALL;

interface View {
  name: string;
  user: string;
  path: string;
  /** Shown when this selector is in the page. */
  ready: string;
  /** Goal for the first view, in seconds. */
  goal?: number;
}

const VIEWS: View[] = [
  { name: 'sign-in', user: '', path: '/', ready: 'rv-sign-in input[name="username"]' },
  { name: 'inbox', user: 'staff', path: '/inbox', ready: 'rv-inbox li[data-task]', goal: 3 },
  { name: 'dashboard', user: 'leader', path: '/dashboard', ready: 'rv-dashboard [data-updated]' },
  { name: 'modeller', user: 'manager', path: '/modeller', ready: 'rv-modeller .djs-container', goal: 6 },
];

interface Measure {
  seconds: number;
  requests: number;
  wire: number;
  decoded: number;
  modellerChunk: boolean;
}

/** Opens `path` in `context` over the throttled link; counts what crossed the wire until the view is usable. */
async function measure(context: BrowserContext, view: View, throttled = true): Promise<Measure> {
  const page: Page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[browser ${view.name}]`, err));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttled)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LATENCY_MS,
      downloadThroughput: (KBPS * 1000) / 8,
      uploadThroughput: (KBPS * 1000) / 8,
    });
  let wire = 0;
  let decoded = 0;
  let requests = 0;
  let modellerChunk = false;
  cdp.on('Network.requestWillBeSent', (e) => {
    requests++;
    if (/\/assets\/rv-modeller-[^/]*\.js$/.test(e.request.url)) modellerChunk = true;
  });
  cdp.on('Network.dataReceived', (e) => (decoded += e.dataLength));
  cdp.on('Network.loadingFinished', (e) => (wire += e.encodedDataLength));
  const waterfall = new Map<
    string,
    { path: string; sent: number; answered?: number; end?: number; bytes?: number; cached?: boolean }
  >();
  if (throttled && WATERFALL === view.name) {
    cdp.on('Network.requestWillBeSent', (e) =>
      waterfall.set(e.requestId, { path: e.request.url.replace(server.url, ''), sent: e.timestamp }),
    );
    cdp.on('Network.responseReceived', (e) => {
      const r = waterfall.get(e.requestId);
      if (r)
        Object.assign(r, {
          answered: e.timestamp,
          cached: !!e.response.fromDiskCache,
        });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = waterfall.get(e.requestId);
      if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
    });
  }
  const t0 = performance.now();
  await page.goto(`${server.url}${view.path}`);
  await page.waitForSelector(view.ready, { timeout: 120_000 });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const seconds = (performance.now() - t0) / 1000;
  await page.close();
  if (waterfall.size) {
    const rows = [...waterfall.values()].sort((a, b) => a.sent - b.sent);
    const first = rows[0]!.sent;
    const at = (t?: number) => (t === undefined ? '-' : (t - first).toFixed(2)).padStart(6);
    console.log(`\n${view.name} (${seconds.toFixed(2)} s): sent, answered, finished, bytes, path`);
    for (const r of rows)
      console.log(
        `${at(r.sent)} ${at(r.answered)} ${at(r.end)} ${String(r.bytes ?? '').padStart(7)} ${r.cached ? 'cache' : '     '} ${r.path}`,
      );
  }
  return { seconds, requests, wire, decoded, modellerChunk };
}

let server: RunningServer;
let browser: Browser;

async function seed(): Promise<void> {
  await new GroupStore(server.db.conn).insertMissing(organisationGroups.map((g) => ({ ...g })));
  const users = new UserStore(server.db.conn);
  const passwordHash = await hashPassword(PASSWORD);
  const add = (id: string, roles: Role[], groups: string[]) =>
    users.create({
      id,
      name: { fa: `کاربر ${id}`, en: `User ${id}` },
      passwordHash,
      roles,
      groups,
      language: 'fa',
    });
  await add('staff', ['staff'], ['plan-policy']);
  await add('leader', ['leadership'], ['leadership']);
  await add('manager', ['manager'], ['deputy']);
  // an inbox with a page of tasks: policy drafts for the plan-and-policy directorate
  for (let i = 0; i < 20; i++)
    await server.runtime.start(
      { key: 'policy-approval', businessKey: `Bench policy ${i + 1}`, variables: {} },
      SYSTEM_ACTOR,
    );
}

/** A context signed in as `user` (through the API, unthrottled), with an empty HTTP cache. */
async function signedIn(user: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (!user) return context;
  const res = await context.request.post(`${server.url}/api/auth/login`, {
    data: { username: user, password: PASSWORD },
  });
  if (!res.ok()) throw new Error(`sign-in of ${user} failed: ${res.status()} ${await res.text()}`);
  return context;
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;

async function main() {
  await ensureClientBuilt();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-bench-web-'));
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', RAVAND_DATA_DIR: tmp };
  server = await startRavand({ ...loadConfig(env), demoSeed: false, logLevel: 'warn' });
  try {
    await seed();
    browser = await launchChromium();
    const rows: string[][] = [];
    for (const view of VIEWS) {
      const context = await signedIn(view.user);
      const first = await measure(context, view);
      // the same view on the local link, also with an empty cache: what the machine (not the link) takes
      const local = await signedIn(view.user);
      const unthrottled = await measure(local, view, false);
      await local.close();
      const goal =
        view.goal === undefined
          ? ''
          : `goal ≤ ${view.goal} s: ${first.seconds <= view.goal ? 'met' : 'MISSED'}`;
      const note = view.name !== 'modeller' && first.modellerChunk ? ' (fetched the modeller chunk!)' : '';
      rows.push([
        `${view.name}, first view`,
        `${first.requests}`,
        kb(first.wire),
        kb(first.decoded),
        `${first.seconds.toFixed(2)} s`,
        `${unthrottled.seconds.toFixed(2)} s`,
        goal + note,
      ]);
      if (view.name === 'inbox') {
        const again = await measure(context, view);
        rows.push([
          'inbox, repeat visit (cached)',
          `${again.requests}`,
          kb(again.wire),
          kb(again.decoded),
          `${again.seconds.toFixed(2)} s`,
          '',
          '',
        ]);
      }
      await context.close();
    }
    const head = ['view', 'requests', 'on the wire', 'decoded', 'time', 'unthrottled', ''];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
    const fmt = (r: string[]) =>
      `| ${r.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    console.log(
      `\nRavand web bench: empty cache over ${KBPS / 1000} Mbit/s with ${LATENCY_MS} ms latency (Chromium, 1440x900; Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(line);
    console.log(fmt(head));
    console.log(line);
    for (const r of rows) console.log(fmt(r));
    console.log(line);
  } finally {
    await browser?.close();
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
