/**
 * `npm run bench:api`: the whole server as a user meets it (real main, embedded database, HTTP, Socket.IO):
 * inbox query latency with many open tasks, start + complete throughput over HTTP, and how long a completion
 * takes to reach another user's socket as `task:completed` and the next `task:created`.
 *
 * BENCH_OPEN (open tasks in the inbox), BENCH_ROUNDS (live-update round trips), BENCH_HTTP_N override counts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { hashPassword } from '../server/auth/passwords.js';
import { loadConfig } from '../server/config.js';
import { setLogLevel } from '../server/logger.js';
import { startRavand } from '../server/main.js';
import { UserStore } from '../server/persistence/user-store.js';
import { projectRoot } from '../server/project-root.js';

setLogLevel('warn');
const OPEN = Number(process.env.BENCH_OPEN ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const HTTP_N = Number(process.env.BENCH_HTTP_N ?? 300);
const ORIGIN = 'http://bench.local';
const PASSWORD = 'bench-password-123';

// start → first review (group "bench") → second review (group "bench") → end
const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://ravand.bench">
  <bpmn:process id="api-bench" name="API bench" isExecutable="true">
    <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="آزمون سرعت API" /></camunda:properties></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="flow-1" sourceRef="start" targetRef="first" />
    <bpmn:userTask id="first" name="First" camunda:candidateGroups="bench">
      <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="گام اول" /></camunda:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow-2" sourceRef="first" targetRef="second" />
    <bpmn:userTask id="second" name="Second" camunda:candidateGroups="bench">
      <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="گام دوم" /></camunda:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow-3" sourceRef="second" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

class Client {
  cookie = '';
  csrf = '';
  constructor(readonly url: string) {}

  async login(username: string): Promise<void> {
    const res = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    this.cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  async call<T>(method: string, route: string, body?: unknown, type = 'application/json'): Promise<T> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: {
        cookie: this.cookie,
        origin: ORIGIN,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function pool(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await job(next++);
    }),
  );
}

type TaskEvent = { task: { id: string; instanceId: string; elementId: string } };

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-bench-api-'));
  const config = {
    ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: undefined }),
    mongodbUri: process.env.MONGODB_URI || undefined,
    dataDir,
    cacheDir: path.join(projectRoot(), '.cache'),
    demoSeed: false,
    origins: [ORIGIN],
    logLevel: 'warn' as const,
  };
  const server = await startRavand(config);
  const rows: [string, string, string][] = [];
  try {
    const users = new UserStore(server.db.conn);
    const passwordHash = await hashPassword(PASSWORD);
    const name = (n: string) => ({ fa: n, en: n });
    await users.create({
      id: 'bench-manager',
      name: name('manager'),
      passwordHash,
      roles: ['manager'],
      groups: [],
    });
    for (const id of ['bench-a', 'bench-b'])
      await users.create({ id, name: name(id), passwordHash, roles: ['staff'], groups: ['bench'] });

    const manager = new Client(server.url);
    const a = new Client(server.url);
    const b = new Client(server.url);
    await Promise.all([manager.login('bench-manager'), a.login('bench-a'), b.login('bench-b')]);
    await manager.call('POST', '/api/definitions', xml, 'application/xml');

    // 1. fill the inbox
    const tFill = await timed(() =>
      pool(OPEN, 8, async () => {
        await a.call('POST', '/api/instances', { key: 'api-bench', variables: {} });
      }),
    );
    rows.push(['start instance over HTTP (c8)', `${OPEN}`, `${((OPEN / tFill) * 1000).toFixed(0)} /s`]);

    // 2. inbox query latency with OPEN open group tasks
    const lat: number[] = [];
    for (let i = 0; i < 30; i++) lat.push(await timed(() => b.call('GET', '/api/tasks?view=group&limit=50')));
    lat.sort((x, y) => x - y);
    rows.push([
      `inbox page of 50 among ${OPEN} open tasks`,
      '30',
      `p50 ${percentile(lat, 50).toFixed(1)} ms, p95 ${percentile(lat, 95).toFixed(1)} ms`,
    ]);

    // 3. start + complete throughput over HTTP
    const tasksPage = await a.call<{ items: { id: string }[] }>(
      'GET',
      `/api/tasks?view=group&limit=${Math.min(HTTP_N, 200)}`,
    );
    const ids = tasksPage.items.map((t) => t.id);
    const tComplete = await timed(() =>
      pool(ids.length, 8, async (i) => {
        await a.call('POST', `/api/tasks/${ids[i]}/complete`, { data: {} });
      }),
    );
    rows.push([
      'complete task over HTTP (c8)',
      `${ids.length}`,
      `${((ids.length / tComplete) * 1000).toFixed(0)} /s`,
    ]);

    // 4. live-update latency: A completes, B's socket hears task:completed and the next task:created
    const socket: Socket = connect(server.url, {
      transports: ['websocket'],
      extraHeaders: { cookie: b.cookie, origin: ORIGIN },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const completedLat: number[] = [];
    const createdLat: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = await a.call<{ id: string }>('POST', '/api/instances', {
        key: 'api-bench',
        variables: {},
      });
      const open = await a.call<{ items: { id: string }[] }>(
        'GET',
        `/api/tasks?view=group&instanceId=${started.id}&limit=1`,
      );
      const taskId = open.items[0]?.id;
      if (!taskId) throw new Error('no open task for the started instance');
      const t0 = performance.now();
      const heardCompleted = new Promise<number>((resolve) => {
        const on = (e: TaskEvent) => {
          if (e.task.id !== taskId) return;
          socket.off('task:completed', on);
          resolve(performance.now() - t0);
        };
        socket.on('task:completed', on);
      });
      const heardCreated = new Promise<number>((resolve) => {
        const on = (e: TaskEvent) => {
          if (e.task.instanceId !== started.id || e.task.elementId !== 'second') return;
          socket.off('task:created', on);
          resolve(performance.now() - t0);
        };
        socket.on('task:created', on);
      });
      await a.call('POST', `/api/tasks/${taskId}/complete`, { data: {} });
      completedLat.push(await heardCompleted);
      createdLat.push(await heardCreated);
    }
    socket.disconnect();
    completedLat.sort((x, y) => x - y);
    createdLat.sort((x, y) => x - y);
    rows.push([
      "completion → other user's socket: task:completed",
      `${ROUNDS}`,
      `p50 ${percentile(completedLat, 50).toFixed(1)} ms, p95 ${percentile(completedLat, 95).toFixed(1)} ms`,
    ]);
    rows.push([
      "completion → other user's socket: next task:created",
      `${ROUNDS}`,
      `p50 ${percentile(createdLat, 50).toFixed(1)} ms, p95 ${percentile(createdLat, 95).toFixed(1)} ms`,
    ]);
    rows.push([
      'server RSS (Node, in-process)',
      '',
      `${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
    ]);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const w = [Math.max(...rows.map((r) => r[0].length)), 7, Math.max(...rows.map((r) => r[2].length))];
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  console.log('\nAPI and live updates (real server, embedded database, 2-core machine)\n');
  console.log(line(['measure', 'n', 'result']));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const r of rows) console.log(line(r));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
