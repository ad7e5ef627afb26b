import type { NotificationItem } from '../../../schemas/notifications.js';
import { i18n, t } from './i18n.js';

/** One line saying what a notification is about, in the current language (the bell and browser notifications). */
export function notificationSentence(item: NotificationItem): string {
  const name = i18n.text(item.name);
  const process = i18n.text(item.processName);
  switch (item.kind) {
    case 'task-offered':
      return t('bell.kind.offered', { name, process });
    case 'task-assigned':
      return t('bell.kind.assigned', { name, process });
    case 'task-due-soon':
      return t('bell.kind.dueSoon', { name, process });
    case 'task-overdue':
      return t('bell.kind.overdue', { name, process });
    case 'instance-ended':
      return t(item.outcome === 'cancelled' ? 'bell.kind.cancelled' : 'bell.kind.ended', { process });
  }
}
