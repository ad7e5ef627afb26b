import { i18nTextSchema, type JsonSchema } from './common.js';
import { type ApiRoute, obj } from './api-route.js';

const itemSchema: JsonSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    kind: {
      type: 'string',
      enum: ['task-offered', 'task-assigned', 'task-due-soon', 'task-overdue', 'instance-ended'],
    },
    at: { type: 'string' },
    read: { type: 'boolean' },
    taskId: { type: 'string' },
    instanceId: { type: 'string' },
    reference: { type: 'string' },
    name: i18nTextSchema,
    processName: i18nTextSchema,
    dueAt: { type: 'string' },
    outcome: { type: 'string', enum: ['completed', 'cancelled'] },
    path: { type: 'string' },
  },
  required: ['key', 'kind', 'at', 'read', 'instanceId', 'name', 'processName', 'path'],
};

const listSchema: JsonSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: itemSchema }, unread: { type: 'integer', minimum: 0 } },
  required: ['items', 'unread'],
};

const modeSchema = { type: 'string', enum: ['immediate', 'digest', 'off'] } as const;

const settingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    mode: modeSchema,
    mailEnabled: { type: 'boolean' },
    digestTime: { type: 'string' },
  },
  required: ['email', 'mode', 'mailEnabled', 'digestTime'],
};

/** The signed-in user's notifications (the bell) and mail settings. */
export const notificationRoutes = [
  {
    id: 'listNotifications',
    method: 'get',
    path: '/api/me/notifications',
    summary: 'The newest notifications (at most 50) and the unread count',
    tag: 'me',
    response: { status: 200, schema: listSchema },
  },
  {
    id: 'markNotificationsRead',
    method: 'post',
    path: '/api/me/notifications/read',
    summary: 'Mark the given notifications read (all when `keys` is left out)',
    tag: 'me',
    body: obj({ keys: { type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 50 } }),
    response: { status: 200, schema: listSchema },
  },
  {
    id: 'getNotificationSettings',
    method: 'get',
    path: '/api/me/notification-settings',
    summary: 'Mail address and choice: each notification at once, a daily digest (Asia/Kabul) or none',
    tag: 'me',
    response: { status: 200, schema: settingsSchema },
  },
  {
    id: 'updateNotificationSettings',
    method: 'patch',
    path: '/api/me/notification-settings',
    summary: 'Change the mail address (empty: no mail) or the choice',
    tag: 'me',
    body: obj({
      email: {
        anyOf: [
          { type: 'string', maxLength: 0 },
          { type: 'string', format: 'email', maxLength: 254 },
        ],
      },
      mode: modeSchema,
    }),
    response: { status: 200, schema: settingsSchema },
  },
] as const satisfies readonly ApiRoute[];
