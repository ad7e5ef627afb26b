import { type ApiRoute, obj } from './api-route.js';
import { i18nTextSchema } from './common.js';
import { formFieldSummarySchema } from './form-routes.js';

/** A form key: Latin letters, digits, `_` and `-` (as the forms folder and deploy accept). */
const formKeySchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$' } as const;
/** Who saved a draft last (username) and when. */
const savedBy = {
  updatedBy: { type: 'string' },
  updatedAt: { type: 'string', format: 'date-time' },
} as const;

/** A draft as the designer's list and the modeller's form picker show it: title and fields, who saved it, when. */
export const formDraftSummarySchema = obj(
  {
    key: formKeySchema,
    title: i18nTextSchema,
    fields: { type: 'array', items: formFieldSummarySchema },
    ...savedBy,
  },
  ['key', 'title', 'fields', 'updatedBy', 'updatedAt'],
);

/** Drafts of the form designer, kept on the server (any modeller's browser sees them) until deployed. */
export const formDraftRoutes = [
  {
    id: 'listFormDrafts',
    method: 'get',
    path: '/api/form-drafts',
    summary: 'Form drafts not yet deployed, by key: title, fields, who saved each last and when',
    tag: 'forms',
    response: {
      status: 200,
      schema: obj({ items: { type: 'array', items: formDraftSummarySchema } }, ['items']),
    },
  },
  {
    id: 'saveFormDraft',
    method: 'post',
    path: '/api/form-drafts',
    summary:
      "Save the draft of a form (replaces the key's earlier draft); checked as a deployment would check it (422 `RV_ERR_FORM_SCHEMA_INVALID` with the problems)",
    tag: 'forms',
    body: obj({ key: formKeySchema, schema: { type: 'object' } }, ['key', 'schema']),
    response: { status: 200, schema: formDraftSummarySchema },
  },
  {
    id: 'getFormDraft',
    method: 'get',
    path: '/api/form-drafts/:key',
    summary: "A draft's JSON Schema, with who saved it last and when",
    tag: 'forms',
    params: obj({ key: formKeySchema }, ['key']),
    response: {
      status: 200,
      schema: obj({ key: formKeySchema, schema: { type: 'object' }, ...savedBy }, [
        'key',
        'schema',
        'updatedBy',
        'updatedAt',
      ]),
    },
  },
  {
    id: 'deleteFormDraft',
    method: 'delete',
    path: '/api/form-drafts/:key',
    summary: 'Discard a draft (the designer does after deploying it with a process)',
    tag: 'forms',
    params: obj({ key: formKeySchema }, ['key']),
    response: { status: 204 },
  },
] as const satisfies readonly ApiRoute[];
