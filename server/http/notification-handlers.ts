import { AppError } from '../app-error.js';
import type { MailMode } from '../../schemas/notifications.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';

function notificationsOf(deps: ApiDeps) {
  if (!deps.notifications) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
  return deps.notifications;
}

/** The signed-in user's bell and mail settings: each user reads and changes only their own. */
export function notificationHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    async listNotifications({ principal }) {
      return notificationsOf(deps).list(principal!.user.id);
    },
    async markNotificationsRead({ principal, body }) {
      const { keys } = body as { keys?: string[] };
      return notificationsOf(deps).markRead(principal!.user.id, keys);
    },
    async getNotificationSettings({ principal }) {
      return notificationsOf(deps).getSettings(principal!.user.id);
    },
    async updateNotificationSettings({ principal, body }) {
      return notificationsOf(deps).setSettings(
        principal!.user.id,
        body as { email?: string; mode?: MailMode },
      );
    },
  };
}
