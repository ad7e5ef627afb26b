import type {
  MailMode,
  NotificationItem,
  NotificationList,
  NotificationSettings,
} from '../../../schemas/notifications.js';
import { i18n, t } from '../i18n/i18n.js';
import { notificationSentence } from '../i18n/notification-text.js';
import { api } from './api.js';
import { router } from './router.js';
import { live } from './socket.js';

export type { MailMode, NotificationItem, NotificationSettings };

/** The bell's own calls (GET/POST /api/me/notifications…, the mail settings). */
export const notificationApi = {
  list: () => api.request<NotificationList>('GET', '/api/me/notifications'),
  markRead: (keys?: string[]) =>
    api.request<NotificationList>('POST', '/api/me/notifications/read', { body: keys ? { keys } : {} }),
  settings: () => api.request<NotificationSettings>('GET', '/api/me/notification-settings'),
  updateSettings: (patch: { email?: string; mode?: MailMode }) =>
    api.request<NotificationSettings>('PATCH', '/api/me/notification-settings', { body: patch }),
};

/** Whether this browser can show system notifications at all. */
export function browserNotificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

/** This browser's permission for system notifications, read afresh (the browser keeps it, not Ravand). */
export function browserPermission(): NotificationPermission | 'unsupported' {
  return browserNotificationsSupported() ? Notification.permission : 'unsupported';
}

/**
 * The signed-in user's notifications: loaded once, kept current by `notification:added`, read state changed
 * here. A task that arrives while the tab is hidden also shows as a browser notification (when allowed).
 * @fires change when the list or the unread count changes
 */
class NotificationFeed extends EventTarget {
  items: NotificationItem[] = [];
  unread = 0;
  loaded = false;
  private user: string | undefined;

  constructor() {
    super();
    live.on('notification:added', (e) => {
      if (this.items.some((i) => i.key === e.item.key)) return;
      this.items = [e.item, ...this.items].slice(0, 50);
      this.unread = e.unread;
      this.changed();
      this.tellBrowser(e.item);
    });
    live.addEventListener('reset', () => void this.reload());
  }

  /** Loads the list for `userId` (again after a sign-in as someone else); clears it on sign-out. */
  async start(userId: string | undefined): Promise<void> {
    if (userId === this.user) return;
    this.user = userId;
    this.items = [];
    this.unread = 0;
    this.loaded = false;
    this.changed();
    if (userId) await this.reload();
  }

  async reload(): Promise<void> {
    if (!this.user) return;
    try {
      this.apply(await notificationApi.list());
      this.loaded = true;
    } catch {
      // the bell stays as it was; the next event or reload tries again
    }
  }

  async markRead(keys?: string[]): Promise<void> {
    this.apply(await notificationApi.markRead(keys));
  }

  /**
   * Asks the browser for permission to show system notifications; call it only from a click (browsers ignore
   * or block requests made without a gesture). Every view showing the permission re-renders on `change`.
   */
  async allowBrowser(): Promise<void> {
    await Notification.requestPermission();
    this.changed();
  }

  /** Opens what a notification is about and marks it read. */
  open(item: NotificationItem): void {
    if (!item.read) void this.markRead([item.key]).catch(() => undefined);
    router.navigate(item.path);
  }

  private apply(list: NotificationList): void {
    this.items = list.items;
    this.unread = list.unread;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /** A system notification for a task that arrives while the tab is in the background. */
  private tellBrowser(item: NotificationItem): void {
    if (!browserNotificationsSupported() || Notification.permission !== 'granted') return;
    if (document.visibilityState !== 'hidden' || !item.taskId) return;
    try {
      const n = new Notification(t('app.name'), {
        body: notificationSentence(item),
        tag: item.key,
        lang: i18n.lang,
        dir: i18n.dir,
      });
      n.onclick = () => {
        window.focus();
        this.open(item);
        n.close();
      };
    } catch {
      // some browsers allow notifications only from a service worker: the bell still has it
    }
  }
}

export const notificationFeed = new NotificationFeed();
