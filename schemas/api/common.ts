/**
 * JSON Schemas (draft 2020-12) of the HTTP API's shared shapes. They validate requests (ajv) and build the
 * OpenAPI 3.1 document served at `GET /api/openapi.json`; the client reads the same types.
 */
export type JsonSchema = Record<string, unknown>;

/** Ids of users, groups, definitions, instances and tasks: no operators, no slashes, no spaces. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';

export const idSchema = { type: 'string', pattern: ID_PATTERN } as const;
export const userIdSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' } as const;
export const dateTimeSchema = { type: 'string', format: 'date-time' } as const;
export const i18nTextSchema = {
  type: 'object',
  properties: { fa: { type: 'string', maxLength: 500 }, en: { type: 'string', maxLength: 500 } },
  required: ['fa', 'en'],
  additionalProperties: false,
} as const;
export const roleSchema = {
  type: 'string',
  enum: ['admin', 'manager', 'staff', 'leadership', 'auditor'],
} as const;
export const languageSchema = { type: 'string', enum: ['fa', 'en'] } as const;
/** Process variables and form data: a JSON object (keys are checked by the engine and the form schema). */
export const variablesSchema = {
  type: 'object',
  maxProperties: 200,
  // top-level names are plain identifiers: no `$operators`, no dotted paths
  propertyNames: { pattern: '^(?!__proto__$|constructor$|prototype$)[A-Za-z_][A-Za-z0-9_-]{0,99}$' },
} as const;
export const emptyBodySchema = { type: 'object', additionalProperties: false, maxProperties: 0 } as const;

export const errorBodySchema = {
  type: 'object',
  properties: {
    code: { type: 'string', pattern: '^RV_ERR_[A-Z_]+$' },
    message: i18nTextSchema,
    details: {},
  },
  required: ['code', 'message'],
  additionalProperties: false,
} as const;

/** A paginated list of `item`. */
export function pageSchema(item: JsonSchema): JsonSchema {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      total: { type: 'integer', minimum: 0 },
      skip: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 0 },
    },
    required: ['items', 'total', 'skip', 'limit'],
  };
}

/** `{ items: [...] }` for short unpaginated lists. */
export function listSchema(item: JsonSchema): JsonSchema {
  return { type: 'object', properties: { items: { type: 'array', items: item } }, required: ['items'] };
}
