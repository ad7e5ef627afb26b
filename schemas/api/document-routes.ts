import { idSchema, i18nTextSchema, listSchema } from './common.js';
import { idParams, obj, type ApiRoute } from './api-route.js';

const versionSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    fileId: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: ['pdf', 'docx', 'xlsx', 'odt', 'jpeg', 'png'] },
    mime: { type: 'string' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    by: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    reason: { type: 'string' },
    taskId: { type: 'string' },
    origin: { type: 'string', enum: ['generated', 'upload'] },
  },
  required: ['version', 'name', 'type', 'size', 'sha256', 'by', 'at', 'origin'],
} as const;

/** A document with all its versions (schemas/documents.ts `DocumentRecord`). */
export const documentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    instanceId: { type: 'string' },
    kind: { type: 'string', enum: ['attachment', 'letter'] },
    title: i18nTextSchema,
    letter: {
      type: 'object',
      properties: { code: { type: 'string' }, number: { type: 'string' }, kind: { type: 'string' } },
    },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    versions: { type: 'array', items: versionSchema },
  },
  required: ['id', 'instanceId', 'kind', 'title', 'createdAt', 'createdBy', 'versions'],
} as const;

/** Multipart fields beside `file` (checked after the upload is read). */
export const uploadFieldsSchema = obj({
  reason: { type: 'string', maxLength: 500 },
  taskId: idSchema,
  title: { type: 'string', minLength: 1, maxLength: 200 },
});

/** Routes of documents: attachments of instances, their versions and their bytes. */
export const documentRoutes = [
  {
    id: 'listDocuments',
    method: 'get',
    path: '/api/instances/:id/documents',
    summary: "An instance's documents with every version (who, when, why, SHA-256)",
    tag: 'documents',
    params: idParams,
    response: { status: 200, schema: listSchema(documentSchema) },
  },
  {
    id: 'uploadDocument',
    method: 'post',
    path: '/api/instances/:id/documents',
    summary:
      'Attach a file (multipart `file`, optional `reason`, `taskId`, `title`): PDF, DOCX, XLSX, ODT, JPEG or PNG by content',
    tag: 'documents',
    params: idParams,
    bodyKind: 'document',
    response: { status: 201, schema: documentSchema },
  },
  {
    id: 'getDocument',
    method: 'get',
    path: '/api/documents/:id',
    summary: 'A document with every version',
    tag: 'documents',
    params: idParams,
    response: { status: 200, schema: documentSchema },
  },
  {
    id: 'addDocumentVersion',
    method: 'post',
    path: '/api/documents/:id/versions',
    summary: 'Upload the next version of a document (multipart `file`, `reason`); earlier versions stay',
    tag: 'documents',
    params: idParams,
    bodyKind: 'document',
    response: { status: 201, schema: documentSchema },
  },
  {
    id: 'regenerateLetter',
    method: 'post',
    path: '/api/documents/:id/regenerate',
    summary: 'Generate an official letter again from the instance as a new version (before its signed copy)',
    tag: 'documents',
    params: idParams,
    body: obj({ reason: { type: 'string', minLength: 1, maxLength: 500 } }),
    response: { status: 201, schema: documentSchema },
  },
  {
    id: 'downloadDocument',
    method: 'get',
    path: '/api/documents/:id/versions/:version/content',
    summary:
      'The bytes of a version; `inline=true` shows a PDF or image in the browser, anything else is an attachment',
    tag: 'documents',
    params: obj({ id: idSchema, version: { type: 'integer', minimum: 1, maximum: 10000 } }, [
      'id',
      'version',
    ]),
    query: obj({ inline: { type: 'boolean', default: false } }),
    response: { status: 200, contentType: 'application/octet-stream' },
  },
] as const satisfies readonly ApiRoute[];
