import { authRoutes } from './auth-routes.js';
import { backupRoutes } from './backup-routes.js';
import { definitionRoutes } from './definition-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { documentRoutes } from './document-routes.js';
import { formRoutes } from './form-routes.js';
import { formDraftRoutes } from './form-draft-routes.js';
import { instanceRoutes } from './instance-routes.js';
import { messageRoutes } from './message-routes.js';
import { monitoringRoutes } from './monitoring-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { systemRoutes } from './system-routes.js';
import { taskRoutes } from './task-routes.js';
import type { ApiRoute } from './api-route.js';

export type { ApiRoute } from './api-route.js';

/**
 * Every route with its literal schemas, so handlers get their params, query and body typed from them
 * (`server/http/typed-handler.ts`). A route file joins by ending its array `as const satisfies readonly ApiRoute[]`.
 */
export type TypedApiRoute =
  | (typeof systemRoutes)[number]
  | (typeof authRoutes)[number]
  | (typeof directoryRoutes)[number]
  | (typeof definitionRoutes)[number]
  | (typeof instanceRoutes)[number]
  | (typeof taskRoutes)[number]
  | (typeof messageRoutes)[number]
  | (typeof monitoringRoutes)[number]
  | (typeof backupRoutes)[number]
  | (typeof documentRoutes)[number]
  | (typeof formRoutes)[number]
  | (typeof formDraftRoutes)[number]
  | (typeof notificationRoutes)[number];

/** Every route of the HTTP API, one file per resource. Order matters for express: literal segments before `:id`. */
export const apiRoutes: ApiRoute[] = [
  ...systemRoutes,
  ...authRoutes,
  ...directoryRoutes,
  ...definitionRoutes,
  ...instanceRoutes,
  ...taskRoutes,
  ...messageRoutes,
  ...monitoringRoutes,
  ...backupRoutes,
  ...documentRoutes,
  ...formRoutes,
  ...formDraftRoutes,
  ...notificationRoutes,
];
