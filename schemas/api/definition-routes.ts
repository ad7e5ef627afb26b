import { idSchema, listSchema } from './common.js';
import { definitionSchema } from './engine-schemas.js';
import { type ApiRoute, obj, keyParams } from './api-route.js';

/** Process definitions: deploy, validate, versions, XML. */
export const definitionRoutes = [
  {
    id: 'listDefinitions',
    method: 'get',
    path: '/api/definitions',
    summary: 'Deployed processes (latest version of each)',
    tag: 'definitions',
    response: { status: 200, schema: listSchema(definitionSchema) },
  },
  {
    id: 'deployDefinition',
    method: 'post',
    path: '/api/definitions',
    summary: 'Deploy a BPMN file (XML body or multipart field `file`); the same id again makes a new version',
    tag: 'definitions',
    bodyKind: 'bpmn',
    response: {
      status: 201,
      schema: {
        type: 'object',
        properties: { definition: definitionSchema, created: { type: 'boolean' } },
        required: ['definition', 'created'],
      },
    },
  },
  {
    id: 'validateDefinition',
    method: 'post',
    path: '/api/definitions/validate',
    summary: 'Check a BPMN file as deploy would, without storing it',
    tag: 'definitions',
    bodyKind: 'bpmn',
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: { key: { type: 'string' }, elements: { type: 'array' }, lint: { type: 'array' } },
        required: ['key', 'elements'],
      },
    },
  },
  {
    id: 'listVersions',
    method: 'get',
    path: '/api/definitions/:key/versions',
    summary: 'All versions of a process',
    tag: 'definitions',
    params: keyParams,
    response: { status: 200, schema: listSchema(definitionSchema) },
  },
  {
    id: 'getDefinitionXml',
    method: 'get',
    path: '/api/definitions/:key/versions/:version/xml',
    summary: 'The BPMN XML of one version',
    tag: 'definitions',
    params: obj({ key: idSchema, version: { type: 'integer', minimum: 1, maximum: 100000 } }, [
      'key',
      'version',
    ]),
    response: { status: 200, contentType: 'application/xml' },
  },
  {
    id: 'getLintContext',
    method: 'get',
    path: '/api/definitions/lint-context',
    summary:
      "The names the modeller's lint rules check against: the organisation's groups and the form keys (folder, deployed, and the form designer's drafts, which the modeller carries when it deploys)",
    tag: 'definitions',
    response: {
      status: 200,
      schema: obj(
        {
          groups: { type: 'array', items: { type: 'string' } },
          forms: { type: 'array', items: { type: 'string' } },
        },
        ['groups', 'forms'],
      ),
    },
  },
  {
    id: 'definitionImpact',
    method: 'post',
    path: '/api/definitions/impact',
    summary:
      "A draft's effect on the running instances of its process: how many, and whether each could migrate to it",
    tag: 'definitions',
    bodyKind: 'bpmn',
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          running: { type: 'integer' },
          migratable: { type: 'integer' },
          items: { type: 'array' },
        },
        required: ['key', 'running', 'migratable', 'items'],
      },
    },
  },
] as const satisfies readonly ApiRoute[];
