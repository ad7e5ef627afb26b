import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { Server as SocketServer } from 'socket.io';
import type { Config } from './config.js';
import type { Database } from './persistence/database.js';
import { projectRoot } from './project-root.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { healthRouter } from './http/health-router.js';

/** Everything the HTTP and socket layers need, chosen by `main.ts` (tests pass their own). */
export interface Components {
  config: Config;
  db: Database;
}

export interface App {
  app: Express;
  io: SocketServer;
  httpServer: http.Server;
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

  app.use(healthRouter(components));

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

  const io = new SocketServer(httpServer, { serveClient: false });
  httpServer.on('request', app);
  return { app, io, httpServer };
}

const placeholderPage = `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>روند | Ravand</title></head>
<body><h1>روند — Ravand</h1><p>سرور در حال اجرا است. The server is running; build the client with <code>npm run build</code>.</p></body></html>`;
