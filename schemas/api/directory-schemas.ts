import {
  idSchema,
  userIdSchema,
  dateTimeSchema,
  i18nTextSchema,
  roleSchema,
  languageSchema,
} from './common.js';

// JSON Schemas of users, groups and the signed-in user.

export const groupSchema = {
  type: 'object',
  properties: {
    id: idSchema,
    name: i18nTextSchema,
    kind: { type: 'string' },
    province: { type: 'string' },
  },
  required: ['id', 'name', 'kind'],
} as const;

export const userSchema = {
  type: 'object',
  properties: {
    id: userIdSchema,
    name: i18nTextSchema,
    roles: { type: 'array', items: roleSchema },
    groups: { type: 'array', items: idSchema },
    language: languageSchema,
    active: { type: 'boolean' },
    createdAt: dateTimeSchema,
    passwordChangedAt: dateTimeSchema,
  },
  required: ['id', 'name', 'roles', 'groups', 'language', 'active'],
} as const;

export const meSchema = {
  type: 'object',
  properties: {
    id: userIdSchema,
    name: i18nTextSchema,
    roles: { type: 'array', items: roleSchema },
    groups: { type: 'array', items: groupSchema },
    language: languageSchema,
    capabilities: {
      type: 'object',
      properties: {
        canStart: { type: 'boolean' },
        hasInbox: { type: 'boolean' },
        canModel: { type: 'boolean' },
        canDashboard: { type: 'boolean' },
        canAudit: { type: 'boolean' },
        canSearch: { type: 'boolean' },
      },
      required: ['canStart', 'hasInbox', 'canModel', 'canDashboard', 'canAudit', 'canSearch'],
    },
  },
  required: ['id', 'name', 'roles', 'groups', 'language', 'capabilities'],
} as const;
