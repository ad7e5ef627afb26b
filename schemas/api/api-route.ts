import { idSchema, type JsonSchema } from './common.js';

/** One HTTP route of the API: its contract (validated on the server, published as OpenAPI). */
export interface ApiRoute {
  /** operationId; the access matrix is keyed on it. */
  id: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path (`/api/tasks/:id`). */
  path: string;
  summary: string;
  tag: string;
  params?: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  /** `json` (default), a BPMN file (XML text body or a multipart `file` field) or a document (multipart `file`). */
  bodyKind?: 'json' | 'bpmn' | 'document';
  response: { status: number; schema?: JsonSchema; contentType?: string };
}

/** A closed object schema: only these properties, `required` among them (literal types kept, see `FromSchema`). */
export const obj = <
  const P extends Record<string, JsonSchema>,
  const R extends readonly (keyof P & string)[] = readonly [],
>(
  properties: P,
  required: R = [] as unknown as R,
) =>
  ({
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  }) as const;
/** `:id` in the path. */
export const idParams = obj({ id: idSchema }, ['id']);
/** `:key` in the path. */
export const keyParams = obj({ key: idSchema }, ['key']);
/** `skip` and `limit` of a paged list. */
export const pagination = {
  skip: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
} as const;
/** The ids a bulk action works on: 1 to 100, no repeats. */
export const bulkIds = {
  type: 'array',
  items: idSchema,
  minItems: 1,
  maxItems: 100,
  uniqueItems: true,
} as const;
