import { i18nTextSchema } from './common.js';
import { type ApiRoute, obj } from './api-route.js';

/** `key` or `key:version` of a deployed definition. */
const definitionRef = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(:[0-9]{1,6})?$' } as const;

/** One field of a form as the modeller's form picker and the designer list it. */
export const formFieldSummarySchema = obj(
  {
    name: { type: 'string' },
    label: i18nTextSchema,
    type: { type: 'string' },
    /** What a manager calls it: choice, date, list, textarea, or the JSON type. */
    kind: { type: 'string' },
    widget: { type: 'string' },
    required: { type: 'boolean' },
  },
  ['name', 'label', 'type', 'kind', 'required'],
);

/** A form available to a definition: key, title in both languages, fields, and where it comes from. */
export const formSummarySchema = obj(
  {
    key: { type: 'string' },
    title: i18nTextSchema,
    fields: { type: 'array', items: formFieldSummarySchema },
    source: { type: 'string', enum: ['deployment', 'repository'] },
    definitionId: { type: 'string' },
  },
  ['key', 'title', 'fields', 'source'],
);

/** The forms catalogue: what the modeller's form picker and the form designer read. */
export const formRoutes = [
  {
    id: 'listForms',
    method: 'get',
    path: '/api/forms',
    summary:
      'Forms available to a definition (`definition=key[:version]`, default latest): those deployed with it first, then the repository forms; without `definition`, the repository forms and those of every latest version',
    tag: 'forms',
    query: obj({ definition: definitionRef }),
    response: {
      status: 200,
      schema: obj({ items: { type: 'array', items: formSummarySchema } }, ['items']),
    },
  },
  {
    id: 'checkForm',
    method: 'post',
    path: '/api/forms/check',
    summary:
      "Check a designed form as a deployment would (JSON Schema and Ravand's conventions) and, when it is sound, data against it with the server's validation",
    tag: 'forms',
    body: obj(
      {
        key: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$' },
        schema: { type: 'object' },
        data: { type: 'object' },
      },
      ['key', 'schema'],
    ),
    response: {
      status: 200,
      schema: obj({ problems: { type: 'array' }, errors: { type: 'array' } }, ['problems', 'errors']),
    },
  },
] as const satisfies readonly ApiRoute[];
