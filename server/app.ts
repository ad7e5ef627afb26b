import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { Server as SocketServer } from 'socket.io';
import { AppError } from './app-error.js';
import { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { WorkflowRuntime } from './engine/types.js';
import type { Database } from './persistence/database.js';
import { CommentStore } from './persistence/comment-store.js';
import { EventLogStore } from './persistence/event-log-store.js';
import { GroupStore } from './persistence/group-store.js';
import { SessionStore } from './persistence/session-store.js';
import { UserStore } from './persistence/user-store.js';
import { projectRoot } from './project-root.js';
import { log } from './logger.js';
import { apiRouter } from './http/api-router.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { MetricsService } from './http/metrics-service.js';
import { projectionsOf, type Projections } from './persistence/runtime-stores.js';
import { EventLog } from './realtime/event-log.js';
import { forwardRuntimeEvents } from './realtime/event-forwarder.js';
import { MetricsPublisher } from './realtime/metrics-publisher.js';
import { attachSockets, type RavandSocketServer } from './realtime/socket-server.js';
import { rooms } from '../schemas/events.js';

/** Tunables of the HTTP and socket layers (tests shorten them). */
export interface HttpOptions {
  /** JSON body limit (default `100kb`). */
  jsonLimit: string;
  /** BPMN upload limit in bytes (default 2 MiB). */
  bpmnLimitBytes: number;
  /** Failed sign-ins allowed per address and user name per window (default 10 per 15 minutes). */
  loginRateLimit: { windowMs: number; limit: number };
  /** How often expired sessions are removed (default 10 minutes). */
  sessionSweepMs: number;
  /** Least time between two `metrics:updated` computations (default 1 s). */
  metricsIntervalMs: number;
  /** How many live events the catch-up log keeps (default 10 000). */
  eventLogKeep: number;
}

const defaultHttpOptions: HttpOptions = {
  jsonLimit: '100kb',
  bpmnLimitBytes: 2 * 1024 * 1024,
  loginRateLimit: { windowMs: 15 * 60_000, limit: 10 },
  sessionSweepMs: 10 * 60_000,
  metricsIntervalMs: 1000,
  eventLogKeep: 10_000,
};

/** Everything the HTTP and socket layers need, chosen by `main.ts` (tests pass their own). */
export interface Components {
  config: Config;
  db: Database;
  /** The engine facade; engine-backed routes answer RV_ERR_ENGINE_UNAVAILABLE without it. */
  runtime?: WorkflowRuntime;
  /** The projections the runtime's stores keep (default: those created on `db`, see `projectionsOf`). */
  projections?: Projections;
  http?: Partial<HttpOptions>;
  /** Task forms folder (default `schemas/forms`), served at `GET /api/forms/:key`. */
  formsDir?: string;
}

export interface App {
  app: Express;
  io: SocketServer;
  httpServer: http.Server;
  /** Stops timers and runtime forwarding and waits for live events in flight; call before closing the database. */
  close(): Promise<void>;
}

/** Builds the Express app and Socket.IO server on `httpServer` without listening. */
export function createApp(httpServer: http.Server, components: Components): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // bpmn-js sets inline styles on SVG elements
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
        },
      },
    }),
  );

  const options = { ...defaultHttpOptions, ...components.http };
  const { config, db } = components;
  const io: RavandSocketServer = new SocketServer(httpServer, { serveClient: false });
  const users = new UserStore(db.conn);
  const groups = new GroupStore(db.conn);
  const sessions = new SessionStore(db.conn);
  const eventLogStore = new EventLogStore(db.conn);
  const eventLog = new EventLog(eventLogStore, io as unknown as SocketServer, options.eventLogKeep);
  const auth = new AuthService(users, sessions, config.sessionTtlHours);
  const runtime = () => {
    if (!components.runtime) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
    return components.runtime;
  };
  const projections = () => {
    const p = components.projections ?? projectionsOf(db);
    if (!p) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
    return p;
  };
  const metrics = new MetricsService(groups, runtime, () => projections().readModel);
  const sockets = attachSockets(io, { auth, origins: config.origins, runtime: () => components.runtime });

  app.use(
    apiRouter(
      {
        config,
        db,
        auth,
        users,
        groups,
        sessions,
        comments: new CommentStore(db.conn),
        eventLogStore,
        eventLog,
        metrics,
        runtime,
        auditVerifier: () => projections().auditVerifier,
        sockets,
        formsDir: components.formsDir ?? path.join(projectRoot(), 'schemas', 'forms'),
      },
      options,
    ),
  );

  const publisher = new MetricsPublisher(
    metrics,
    eventLog,
    options.metricsIntervalMs,
    () => (io.sockets.adapter.rooms.get(rooms.dashboard)?.size ?? 0) > 0,
  );
  const detach = components.runtime
    ? forwardRuntimeEvents(components.runtime, eventLog, () => publisher.poke())
    : () => undefined;
  // FerretDB has no TTL indexes: expired sessions are swept here
  const sweep = setInterval(() => {
    sessions.sweep().catch((err: unknown) => log.warn('session sweep failed', { error: String(err) }));
  }, options.sessionSweepMs);
  sweep.unref();
  const close = async () => {
    clearInterval(sweep);
    publisher.close();
    detach();
    await eventLog.drain();
  };
  httpServer.once('close', () => void close());

  const clientDir = path.join(projectRoot(), 'dist', 'client');
  if (fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    // client-side routes fall back to the app shell
    app.get(/^\/(?!api\/|socket\.io\/|healthz).*/, (_req, res) =>
      res.sendFile(path.join(clientDir, 'index.html')),
    );
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send(placeholderPage);
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler);

  httpServer.on('request', app);
  return { app, io: io as unknown as SocketServer, httpServer, close };
}

const placeholderPage = `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>روند | Ravand</title></head>
<body><h1>روند — Ravand</h1><p>سرور در حال اجرا است. The server is running; build the client with <code>npm run build</code>.</p></body></html>`;
