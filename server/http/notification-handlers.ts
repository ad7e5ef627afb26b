import { AppError } from '../app-error.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

function notificationsOf(deps: ApiDeps) {
  if (!deps.notifications) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
  return deps.notifications;
}

/** The signed-in user's bell and mail settings: each user reads and changes only their own. */
export function notificationHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    listNotifications: signedIn('listNotifications', async ({ principal }) =>
      notificationsOf(deps).list(principal.user.id),
    ),
    markNotificationsRead: signedIn('markNotificationsRead', async ({ principal, body: { keys } }) =>
      notificationsOf(deps).markRead(principal.user.id, keys),
    ),
    getNotificationSettings: signedIn('getNotificationSettings', async ({ principal }) =>
      notificationsOf(deps).getSettings(principal.user.id),
    ),
    updateNotificationSettings: signedIn('updateNotificationSettings', async ({ principal, body }) =>
      notificationsOf(deps).setSettings(principal.user.id, body),
    ),
  };
}
