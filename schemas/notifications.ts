/**
 * Notifications: what the bell lists and what is mailed. Shared by server and client. A notification names a
 * task or an instance (its reference and name), never the contents of a form.
 */
import type { I18nText } from './records.js';

/** Why someone is told: offered or assigned a task, a task due within a day or past due, their instance ended. */
export type NotificationKind =
  'task-offered' | 'task-assigned' | 'task-due-soon' | 'task-overdue' | 'instance-ended';

/** How a user wants mail: each notification at once, one digest a day (Asia/Kabul time), or none. */
export type MailMode = 'immediate' | 'digest' | 'off';

export const MAIL_MODES: readonly MailMode[] = ['immediate', 'digest', 'off'];

/** One notification of one user. `key` is unique per event and user (the idempotency key of its mail). */
export interface NotificationItem {
  key: string;
  kind: NotificationKind;
  at: string;
  read: boolean;
  /** The task (task kinds) and its instance. */
  taskId?: string;
  instanceId: string;
  /** The instance's reference (business key), when it has one. */
  reference?: string;
  /** The task's name (task kinds) or the process's name (instance-ended). */
  name: I18nText;
  processName: I18nText;
  dueAt?: string;
  /** instance-ended: how it ended. */
  outcome?: 'completed' | 'cancelled';
  /** Path in the web client: `/inbox/task/<id>` or `/instances/<id>`. */
  path: string;
}

/** A user's bell: the newest notifications (at most 50) and how many of all are unread. */
export interface NotificationList {
  items: NotificationItem[];
  unread: number;
}

/** A user's mail settings. `email` empty means no mail whatever the mode. */
export interface NotificationSettings {
  email: string;
  mode: MailMode;
  /** Whether the server sends mail at all (RAVAND_SMTP_URL is set); read-only. */
  mailEnabled: boolean;
  /** The daily digest's time, `HH:MM` Asia/Kabul; read-only. */
  digestTime: string;
}
