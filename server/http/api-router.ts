import type { Router } from 'express';
import { apiRoutes } from '../../schemas/api/routes.js';
import type { ApiDeps } from './api-deps.js';
import { authHandlers } from './auth-handlers.js';
import { directoryHandlers } from './directory-handlers.js';
import { engineHandlers } from './engine-handlers.js';
import { auditHandlers } from './audit-handlers.js';
import { bulkInstanceHandlers } from './bulk-instance-handlers.js';
import { commentHandlers } from './comment-handlers.js';
import { documentHandlers } from './document-handlers.js';
import { notificationHandlers } from './notification-handlers.js';
import { buildApiRouter, type RouteKitOptions } from './route-kit.js';
import { systemHandlers } from './system-handlers.js';
import { formHandlers } from './form-handlers.js';
import { formDraftHandlers } from './form-draft-handlers.js';

/** Every route of schemas/api/routes.ts, with its handler, behind one auth/CSRF/matrix/validation chain. */
export function apiRouter(deps: ApiDeps, options: Omit<RouteKitOptions, 'auth' | 'origins'>): Router {
  return buildApiRouter(
    apiRoutes,
    {
      ...systemHandlers(deps),
      ...authHandlers(deps),
      ...engineHandlers(deps),
      ...commentHandlers(deps),
      ...bulkInstanceHandlers(deps),
      ...auditHandlers(deps),
      ...directoryHandlers(deps),
      ...documentHandlers(deps),
      ...formHandlers(deps),
      ...formDraftHandlers(deps),
      ...notificationHandlers(deps),
    },
    { ...options, auth: deps.auth, origins: deps.config.origins },
  );
}
