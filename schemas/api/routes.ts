import { authRoutes } from './auth-routes.js';
import { backupRoutes } from './backup-routes.js';
import { definitionRoutes } from './definition-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { documentRoutes } from './document-routes.js';
import { instanceRoutes } from './instance-routes.js';
import { messageRoutes } from './message-routes.js';
import { monitoringRoutes } from './monitoring-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { systemRoutes } from './system-routes.js';
import { taskRoutes } from './task-routes.js';
import type { ApiRoute } from './api-route.js';

export type { ApiRoute } from './api-route.js';

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
  ...notificationRoutes,
];
