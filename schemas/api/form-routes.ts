import { i18nTextSchema, listSchema } from './common.js';
import type { ApiRoute } from './api-route.js';

/** One field of a form as the modeller's form picker previews it. */
export const formFieldSummarySchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    label: i18nTextSchema,
    type: { type: 'string' },
    required: { type: 'boolean' },
  },
  required: ['name', 'label', 'type', 'required'],
  additionalProperties: false,
} as const;

/** A form the engine can run (`schemas/forms/<key>.json`): its key, title and fields. */
export const formSummarySchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    title: i18nTextSchema,
    fields: { type: 'array', items: formFieldSummarySchema },
  },
  required: ['key', 'title', 'fields'],
  additionalProperties: false,
} as const;

/** The forms list (read-only) that the modeller's properties panel picks task and start forms from. */
export const formRoutes: ApiRoute[] = [
  {
    id: 'listForms',
    method: 'get',
    path: '/api/forms',
    summary: 'Every form a task or start event may name (key, title in both languages, fields), by key',
    tag: 'tasks',
    response: { status: 200, schema: listSchema(formSummarySchema) },
  },
];
