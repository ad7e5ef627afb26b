import { Router } from 'express';
import type { Components } from '../app.js';

/** `GET /healthz`: 200 when the database answers a ping, 503 when it does not. */
export function healthRouter({ db }: Pick<Components, 'db'>): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const dbUp = await db.ping();
    res.status(dbUp ? 200 : 503).json({ status: dbUp ? 'ok' : 'degraded', database: dbUp ? 'up' : 'down' });
  });
  return router;
}
