import { errorBodySchema, type JsonSchema } from '../../schemas/api/common.js';
import type { ApiRoute } from '../../schemas/api/routes.js';
import { accessMatrix } from '../policy/access-matrix.js';

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function parameters(route: ApiRoute): object[] {
  const out: object[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const required = (schema?.required ?? []) as string[];
    for (const [name, s] of Object.entries(props)) {
      out.push({ name, in: where, required: where === 'path' || required.includes(name), schema: s });
    }
  }
  return out;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The OpenAPI 3.1 document, generated from the same route contracts that validate requests. */
export function buildOpenApi(routes: ApiRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const access = accessMatrix[route.id]!;
    const op: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      'x-roles': access === 'public' ? 'public' : [...access],
      parameters: parameters(route),
      responses: {
        [String(route.response.status)]: {
          description: 'Success',
          ...(route.response.schema
            ? { content: { 'application/json': { schema: route.response.schema } } }
            : route.response.contentType
              ? { content: { [route.response.contentType]: { schema: { type: 'string' } } } }
              : {}),
        },
        '400': errorResponse('Bad input (validation, malformed JSON, invalid id)'),
        ...(access === 'public'
          ? {}
          : {
              '401': errorResponse('Not signed in'),
              '403': errorResponse('Role not allowed or CSRF check failed'),
            }),
        default: errorResponse('Any other error, in the catalogue shape'),
      },
    };
    if (access !== 'public') op.security = [{ session: [] }];
    if (route.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: route.body } } };
    } else if (route.bodyKind === 'bpmn') {
      op.requestBody = {
        required: true,
        content: {
          'application/xml': { schema: { type: 'string' } },
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'string', contentMediaType: 'application/xml' } },
              required: ['file'],
            },
          },
        },
      };
    }
    if (route.bodyKind === 'document') {
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                file: { type: 'string', contentMediaType: 'application/octet-stream' },
                reason: { type: 'string' },
                taskId: { type: 'string' },
                title: { type: 'string' },
              },
              required: ['file'],
            },
          },
        },
      };
    }
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ravand API',
      version,
      description:
        'BPMN workflow server of the ECC Deputy for Policy and Coordination. Sign in with POST /api/auth/login; ' +
        'writes need the x-csrf-token header (the rv_csrf cookie value). Errors: { code, message: { fa, en }, details }.',
    },
    servers: [{ url: '/' }],
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'rv_session' },
      },
      schemas: { Error: errorBodySchema },
    },
    paths,
  };
}
