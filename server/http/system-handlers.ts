import { AppError } from '../app-error.js';
import { apiRoutes } from '../../schemas/api/routes.js';
import { roomsOfUser } from '../realtime/socket-server.js';
import type { ApiDeps } from './api-deps.js';
import { buildOpenApi } from './openapi.js';
import type { RouteHandler } from './route-kit.js';
import { publicRoute, signedIn } from './typed-handler.js';

function backupsOf(deps: ApiDeps) {
  if (!deps.backups) throw new AppError('RV_ERR_BACKUP_UNAVAILABLE');
  return deps.backups;
}

let openApiDoc: Record<string, unknown> | undefined;

/** Health, the OpenAPI document, dashboard metrics and live-event catch-up. */
export function systemHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    health: publicRoute('health', async ({ res }) => {
      const dbUp = await deps.db.ping();
      res.status(dbUp ? 200 : 503).json({ status: dbUp ? 'ok' : 'degraded', database: dbUp ? 'up' : 'down' });
    }),
    openapi: publicRoute('openapi', async () => {
      openApiDoc ??= buildOpenApi(apiRoutes, '0.1.0');
      return openApiDoc;
    }),
    getMetrics: signedIn('getMetrics', async ({ query }) => {
      deps.runtime();
      return { ...(await deps.metrics.compute(query)), backup: deps.backups?.last() ?? null };
    }),
    listBackups: signedIn('listBackups', async () => {
      const backups = backupsOf(deps);
      return {
        items: backups.list(),
        schedule: { time: backups.schedule.time, timeZone: 'Asia/Kabul', keep: backups.schedule.keep },
      };
    }),
    createBackup: signedIn('createBackup', async () => backupsOf(deps).runNow()),
    listEvents: signedIn('listEvents', async ({ query: { after, limit }, principal }) => {
      // wait for events already handed out, so `lastSeq` never runs ahead of the log
      await deps.eventLog.drain();
      const [items, firstSeq] = await Promise.all([
        deps.eventLogStore.after(after, roomsOfUser(principal.user), limit),
        deps.eventLogStore.firstSeq(),
      ]);
      return {
        items: items.map((e) => ({
          seq: e.seq,
          event: e.event,
          at: e.at,
          payload: { ...(e.payload as object), seq: e.seq, at: e.at },
        })),
        lastSeq: deps.eventLog.lastSeq,
        // events between `after` and the oldest kept one were trimmed: reload instead of catching up
        reset: firstSeq > after + 1 || after > deps.eventLog.lastSeq,
      };
    }),
  };
}
