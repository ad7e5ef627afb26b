import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Server as SocketServer } from 'socket.io';
import { createApp, type Components, type HttpOptions } from '../../server/app.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { loadConfig, type Config } from '../../server/config.js';
import { EngineRuntime } from '../../server/engine/runtime.js';
import type { Role, ServiceHandler, WorkflowRuntime } from '../../server/engine/types.js';
import type { Database } from '../../server/persistence/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { registerHttpModels } from '../../server/persistence/http-models.js';
import { GroupStore } from '../../server/persistence/group-store.js';
import { UserStore } from '../../server/persistence/user-store.js';
import { projectRoot } from '../../server/project-root.js';
import { openTestDatabase } from '../helpers/database.js';

export const FIXTURES = path.join(projectRoot(), 'test', 'fixtures', 'http');

/** A fixture BPMN file of this folder. */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, `${name}.bpmn`), 'utf8');
}

/** The real engine over the harness database, with the fixture forms and the given services. */
export function engine(
  services: Record<string, ServiceHandler> = {},
  formsDir = path.join(FIXTURES, 'forms'),
) {
  return async (db: Database): Promise<WorkflowRuntime> =>
    new EngineRuntime({ stores: await createRuntimeStores(db), formsDir, services });
}

/** A one-task process `key` for plan-policy whose task uses `formKey`; another `taskName` makes a new version. */
export function leaveProcess(key: string, formKey: string, taskName = 'Record the leave'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs-leave" targetNamespace="http://ravand.test/http">
  <bpmn:process id="${key}" name="Leave note" isExecutable="true">
    <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="یادداشت رخصتی" /></camunda:properties></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="flow-start-record" sourceRef="start" targetRef="record" />
    <bpmn:userTask id="record" name="${taskName}" camunda:candidateGroups="plan-policy" camunda:formKey="${formKey}">
      <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="ثبت رخصتی" /></camunda:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow-record-end" sourceRef="record" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

export { waitUntil } from '../helpers/wait.js';

/** The browser origin the test server trusts. */
export const ORIGIN = 'http://ravand.test';
export const PASSWORD = 'correct-horse-battery';

export interface Harness {
  url: string;
  app: Express;
  io: SocketServer;
  config: Config;
  users: UserStore;
  groups: GroupStore;
  db: Awaited<ReturnType<typeof openTestDatabase>>;
  /** The bell and mail notifications (with an engine). */
  notifications: ReturnType<typeof createApp>['notifications'];
  /** The engine, when the harness was started with one. */
  runtime: WorkflowRuntime | undefined;
  /** Creates a user with PASSWORD (argon2id). */
  user(id: string, roles: Role[], groups?: string[]): Promise<void>;
  /** A signed-in client (cookies kept, CSRF header added to writes). */
  signIn(id: string): Promise<ApiClient>;
  close(): Promise<void>;
}

// one hash for all test users: argon2id is deliberately slow
let passwordHash: Promise<string> | undefined;

/** A real Ravand HTTP + socket server on port 0 over a fresh database, with `runtime` when given. */
export async function startHarness(
  options: {
    runtime?: (db: Harness['db']) => Promise<WorkflowRuntime>;
    http?: Partial<HttpOptions>;
    /** Task forms served at GET /api/forms/:key (default the fixture forms). */
    formsDir?: string;
    /** Configuration over the defaults (mail settings, public URL). */
    config?: Partial<Config>;
    /** Notification tunables (retry delays). */
    notifications?: Components['notifications'];
    /** What the notifier's first read of the open tasks waits for (a server's own start-up reads). */
    startupReads?: Promise<unknown>;
  } = {},
): Promise<Harness> {
  const db = await openTestDatabase();
  registerHttpModels(db.conn);
  const runtime = options.runtime ? await options.runtime(db) : undefined;
  await db.ensureIndexes();
  const config: Config = {
    ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: undefined }),
    demoSeed: false,
    logLevel: 'warn',
    origins: [ORIGIN],
    ...options.config,
  };
  const httpServer = http.createServer();
  const {
    app,
    io,
    close: closeApp,
    notifications,
  } = createApp(httpServer, {
    config,
    db,
    runtime,
    formsDir: options.formsDir ?? path.join(FIXTURES, 'forms'),
    http: { metricsIntervalMs: 50, ...options.http },
    ...(options.notifications ? { notifications: options.notifications } : {}),
    ...(options.startupReads ? { startupReads: options.startupReads } : {}),
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const users = new UserStore(db.conn);
  const groups = new GroupStore(db.conn);
  const harness = {
    url,
    app,
    io,
    config,
    users,
    groups,
    db,
    runtime,
    notifications,
    async user(id: string, roles: Role[], groupIds: string[] = []) {
      passwordHash ??= hashPassword(PASSWORD);
      await users.create({
        id,
        name: { fa: `کاربر ${id}`, en: `User ${id}` },
        passwordHash: await passwordHash,
        roles,
        groups: groupIds,
      });
    },
    async signIn(id: string) {
      const client = new ApiClient(url);
      await client.login(id, PASSWORD);
      return client;
    },
    async close() {
      await io.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await runtime?.close();
      await closeApp();
      await db.drop();
    },
  };
  return harness;
}

/** supertest with a cookie jar and the CSRF header on writes. */
export class ApiClient {
  readonly agent: ReturnType<typeof request.agent>;
  csrf = '';
  cookie = '';

  constructor(readonly url: string) {
    this.agent = request.agent(url);
  }

  async login(username: string, password: string) {
    const res = await this.agent.post('/api/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrf = (res.body as { csrfToken: string }).csrfToken;
    this.cookie = ((res.headers['set-cookie'] as unknown as string[]) ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    return res;
  }

  get(path: string) {
    return this.agent.get(path);
  }

  post(path: string, body?: unknown) {
    const req = this.agent.post(path).set('x-csrf-token', this.csrf).set('Origin', ORIGIN);
    return body === undefined ? req : req.send(body as object);
  }

  patch(path: string, body?: unknown) {
    const req = this.agent.patch(path).set('x-csrf-token', this.csrf).set('Origin', ORIGIN);
    return body === undefined ? req : req.send(body as object);
  }

  delete(path: string) {
    return this.agent.delete(path).set('x-csrf-token', this.csrf).set('Origin', ORIGIN);
  }
}
