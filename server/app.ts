import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { Server as SocketServer } from 'socket.io';
import { AppError } from './app-error.js';
import { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { WorkflowRuntime } from './engine/types.js';
import type { Database } from './persistence/database.js';
import { FormDraftStore } from './persistence/form-draft-store.js';
import { CommentStore } from './persistence/comment-store.js';
import { MongoCounterStore } from './persistence/counter-store.js';
import { ProcessRules } from './http/process-rules.js';
import { EventLogStore } from './persistence/event-log-store.js';
import { GroupStore } from './persistence/group-store.js';
import { SessionStore } from './persistence/session-store.js';
import { UserStore } from './persistence/user-store.js';
import { projectRoot } from './project-root.js';
import { log } from './logger.js';
import { apiRouter } from './http/api-router.js';
import { clientAssets } from './http/client-assets.js';
import { inlineScriptHashes } from './http/inline-scripts.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { MetricsService } from './persistence/metrics-service.js';
import { projectionsOf, type Projections } from './persistence/runtime-stores.js';
import { EventLog } from './realtime/event-log.js';
import { forwardRuntimeEvents } from './realtime/event-forwarder.js';
import { MetricsPublisher } from './realtime/metrics-publisher.js';
import type { Backups } from './http/api-deps.js';
import { attachSockets, type RavandSocketServer } from './realtime/socket-server.js';
import { rooms } from '../schemas/events.js';
import { DocumentService } from './documents/document-service.js';
import { MongoDocumentStore } from './persistence/document-store.js';
import type { LetterService } from './letters/letter-service.js';
import { verifyRouter } from './http/verify-router.js';
import { Notifications, type NotificationConfig } from './notifications/notifications.js';

/** Tunables of the HTTP and socket layers (tests shorten them). */
export interface HttpOptions {
  /** JSON body limit (default `100kb`). */
  jsonLimit: string;
  /** BPMN upload limit in bytes (default 2 MiB). */
  bpmnLimitBytes: number;
  /** Failed sign-ins per account before delays start, forgotten after the window (default 5 per 15 minutes);
   * one address may fail five times as often across accounts before it gets 429s. */
  loginRateLimit: { windowMs: number; limit: number };
  /** Delay per account after those failures: `baseMs`, doubling with each further failure, at most `maxMs`. */
  loginDelay: { baseMs: number; maxMs: number };
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
  loginRateLimit: { windowMs: 15 * 60_000, limit: 5 },
  loginDelay: { baseMs: 2000, maxMs: 60_000 },
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
  /** Backups for the admin routes and `/api/metrics` (main.ts's scheduler). */
  backups?: Backups;
  /** False while the database is known to be down: API calls answer 503 at once (default: connection state). */
  databaseUp?: () => boolean;
  /** Documents of instances (default: in this database, limits from config, audited through `runtime`). */
  documents?: DocumentService;
  /** Official letters (regeneration, verification); `main.ts` builds them with the office services. */
  letters?: LetterService;
  /** Notification tunables (tests: retry delays, the clock); mail settings come from `config`. */
  notifications?: Pick<NotificationConfig, 'sender' | 'now'>;
  /** Settles when the start-up's own reads are in (`main.ts`: the instance index); later reads wait for it. */
  startupReads?: Promise<unknown>;
}

export interface App {
  app: Express;
  /** The bell and mail notifications (absent without an engine). */
  notifications: Notifications | undefined;
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
          'script-src': ["'self'", ...inlineScriptHashes()],
        },
      },
    }),
  );

  // API answers (JSON) compressed on the fly, brotli at quality 4 or gzip; the client's files are precompressed
  // at build time (http/client-assets.ts) and pass through as they are
  app.use(compression({ threshold: 1024 }));

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
  const documents =
    components.documents ??
    new DocumentService(new MongoDocumentStore(db.conn), {
      maxBytes: config.documentMaxMb * 1024 * 1024,
      types: config.documentTypes,
    });
  if (!components.documents && components.runtime) {
    const rt = components.runtime;
    documents.bindAudit((drafts) => rt.recordAudit(drafts));
  }
  const stopDocumentEvents = documents.onAdded(({ document, version }) => {
    void eventLog.publish('document:added', [rooms.instance(document.instanceId)], { document, version });
  });
  const notifications = components.runtime
    ? new Notifications(
        db.conn,
        components.runtime,
        users,
        {
          smtpUrl: config.smtpUrl,
          mailFrom: config.mailFrom,
          digestTime: config.mailDigestTime,
          publicUrl: config.publicUrl,
          ...components.notifications,
        },
        (userId, item, unread) =>
          void eventLog.publish('notification:added', [rooms.user(userId)], { item, unread }),
      )
    : undefined;
  void notifications?.start(components.startupReads);
  const sockets = attachSockets(io, { auth, origins: config.origins, runtime: () => components.runtime });
  const processRules = new ProcessRules({
    runtime,
    groups,
    counters: new MongoCounterStore(db.conn),
    formsDir: components.formsDir ?? path.join(projectRoot(), 'schemas', 'forms'),
  });

  const databaseUp = components.databaseUp ?? (() => db.conn.readyState === 1);
  app.use('/api', (_req, _res, next) => {
    next(databaseUp() ? undefined : new AppError('RV_ERR_DB_UNAVAILABLE'));
  });
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
        formDrafts: new FormDraftStore(db.conn),
        eventLogStore,
        eventLog,
        metrics,
        processRules,
        auditReader: {
          byInstance: (id) => projections().auditReader.byInstance(id),
          scan: () => projections().auditReader.scan(),
          read: (seqs) => projections().readAudit(seqs),
        },
        auditIndex: () => projections().auditIndex,
        runtime,
        auditVerifier: () => projections().auditVerifier,
        async instanceIndex() {
          const readModel = (components.projections ?? projectionsOf(db))?.readModel;
          await readModel?.instancesReady();
          return readModel?.index;
        },
        sockets,
        backups: components.backups,
        formsDir: components.formsDir ?? path.join(projectRoot(), 'schemas', 'forms'),
        documents,
        ...(notifications ? { notifications } : {}),
        ...(components.letters ? { letters: components.letters } : {}),
      },
      { ...options, documentLimitBytes: documents.limits.maxBytes },
    ),
  );

  const publisher = new MetricsPublisher(
    metrics,
    eventLog,
    options.metricsIntervalMs,
    () => (io.sockets.adapter.rooms.get(rooms.dashboard)?.size ?? 0) > 0,
  );
  const detach = components.runtime
    ? forwardRuntimeEvents(
        components.runtime,
        eventLog,
        () => publisher.poke(),
        (task) => processRules.barredFrom(task),
      )
    : () => undefined;
  // FerretDB has no TTL indexes: expired sessions are swept here
  const sweep = setInterval(() => {
    sessions.sweep().catch((err: unknown) => log.warn('session sweep failed', { error: String(err) }));
  }, options.sessionSweepMs);
  sweep.unref();
  const close = async () => {
    clearInterval(sweep);
    stopDocumentEvents();
    publisher.close();
    detach();
    await notifications?.close();
    await eventLog.drain();
  };
  httpServer.once('close', () => void close());

  // public letter verification (no sign-in): `/verify/<code>`
  app.use(verifyRouter({ letters: components.letters, documentLimitBytes: documents.limits.maxBytes }));

  const clientDir = path.join(projectRoot(), 'dist', 'client');
  if (fs.existsSync(path.join(clientDir, 'index.html'))) {
    // precompressed, immutable hashed assets; the app shell for client-side routes
    app.use(clientAssets(clientDir));
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send(placeholderPage);
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler);

  httpServer.on('request', app);
  return { app, io: io as unknown as SocketServer, httpServer, close, notifications };
}

const placeholderPage = `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>روند | Ravand</title></head>
<body><h1>روند — Ravand</h1><p>سرور در حال اجرا است. The server is running; build the client with <code>npm run build</code>.</p></body></html>`;
