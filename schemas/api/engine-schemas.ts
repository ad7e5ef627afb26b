import { dateTimeSchema, i18nTextSchema, errorBodySchema, type JsonSchema } from './common.js';

// JSON Schemas of definitions, instances, tasks, comments, the audit trail and bulk answers.

const elementInfoSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, type: { type: 'string' }, name: i18nTextSchema },
  required: ['id', 'type', 'name'],
} as const;

export const definitionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    name: i18nTextSchema,
    hash: { type: 'string' },
    deployedAt: dateTimeSchema,
    deployedBy: { type: 'string' },
    elements: { type: 'array', items: elementInfoSchema },
    attributes: {
      type: 'object',
      properties: {
        starterGroups: { type: 'array', items: { type: 'string' } },
        starterUsers: { type: 'array', items: { type: 'string' } },
        startFormKey: { type: 'string' },
        referencePattern: { type: 'string' },
        ownerGroup: { type: 'string' },
        separateFrom: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
      required: ['starterGroups', 'starterUsers', 'separateFrom'],
    },
  },
  required: ['id', 'key', 'version', 'name', 'deployedAt', 'elements'],
} as const;

export const incidentSchema = {
  type: 'object',
  properties: {
    elementId: { type: 'string' },
    executionId: { type: 'string' },
    message: { type: 'string' },
    code: { type: 'string' },
    at: dateTimeSchema,
  },
  required: ['elementId', 'message', 'at'],
} as const;

export const instanceStatusSchema = {
  type: 'string',
  enum: ['running', 'suspended', 'failed', 'completed', 'cancelled'],
} as const;

export const instanceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    definitionId: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'integer' },
    businessKey: { type: 'string' },
    status: instanceStatusSchema,
    variables: { type: 'object' },
    waiting: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          elementId: { type: 'string' },
          executionId: { type: 'string' },
          type: { type: 'string' },
        },
        required: ['elementId', 'executionId', 'type'],
      },
    },
    incident: incidentSchema,
    startedAt: dateTimeSchema,
    startedBy: { type: 'string' },
    endedAt: dateTimeSchema,
    cancelReason: { type: 'string' },
    parentId: { type: 'string' },
    directorate: { type: 'string' },
    province: { type: 'string' },
  },
  required: ['id', 'key', 'version', 'status', 'variables', 'waiting', 'startedAt', 'startedBy'],
} as const;

export const taskSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    instanceId: { type: 'string' },
    definitionKey: { type: 'string' },
    definitionVersion: { type: 'integer' },
    businessKey: { type: 'string' },
    elementId: { type: 'string' },
    executionId: { type: 'string' },
    name: i18nTextSchema,
    processName: i18nTextSchema,
    assignee: { type: 'string' },
    candidateGroups: { type: 'array', items: { type: 'string' } },
    candidateUsers: { type: 'array', items: { type: 'string' } },
    dueAt: dateTimeSchema,
    followUpAt: dateTimeSchema,
    priority: { type: 'integer' },
    formKey: { type: 'string' },
    createdAt: dateTimeSchema,
    claimedAt: dateTimeSchema,
    separateFrom: { type: 'array', items: { type: 'string' } },
  },
  required: [
    'id',
    'instanceId',
    'definitionKey',
    'elementId',
    'name',
    'candidateGroups',
    'priority',
    'createdAt',
  ],
} as const;

export const taskHistorySchema = {
  type: 'object',
  properties: {
    ...taskSchema.properties,
    outcome: { type: 'string', enum: ['completed', 'cancelled'] },
    endedAt: dateTimeSchema,
    endedBy: { type: 'string' },
    data: { type: 'object' },
  },
  required: [...taskSchema.required, 'outcome', 'endedAt', 'endedBy'],
} as const;

/** The audit chain's verification state (`AuditVerification`). */
export const auditVerificationSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    checked: { type: 'integer' },
    total: { type: 'integer' },
    verifiedUpTo: { type: 'integer' },
    verifiedAt: { type: 'string', format: 'date-time' },
    running: { type: 'boolean' },
    mode: { type: 'string', enum: ['incremental', 'full'] },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    startedAt: { type: 'string', format: 'date-time' },
    brokenAt: { type: 'integer' },
    brokenEntry: {
      type: 'object',
      properties: {
        seq: { type: 'integer' },
        at: { type: 'string' },
        actor: { type: 'string' },
        type: { type: 'string' },
        instanceId: { type: 'string' },
        reference: { type: 'string' },
        processKey: { type: 'string' },
        processName: i18nTextSchema,
        stepName: i18nTextSchema,
      },
      required: ['seq', 'at', 'actor', 'type'],
    },
  },
  required: ['ok', 'checked', 'total', 'verifiedUpTo', 'running', 'mode', 'progress'],
} as const;

export const auditEventSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: dateTimeSchema,
    actor: { type: 'string' },
    type: { type: 'string' },
    instanceId: { type: 'string' },
    elementId: { type: 'string' },
    taskId: { type: 'string' },
    data: { type: 'object' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
    // what the auditor's desk shows beside the ids (GET /api/audit)
    reference: { type: 'string' },
    processKey: { type: 'string' },
    processName: i18nTextSchema,
    stepName: i18nTextSchema,
  },
  required: ['seq', 'at', 'actor', 'type', 'prevHash', 'hash'],
} as const;

/** A comment of an instance (CommentView): on one of its tasks (`taskId`, `taskName`) or on the instance. */
export const commentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    instanceId: { type: 'string' },
    taskId: { type: 'string' },
    taskName: i18nTextSchema,
    author: { type: 'string' },
    authorName: i18nTextSchema,
    text: { type: 'string' },
    at: dateTimeSchema,
  },
  required: ['id', 'instanceId', 'author', 'authorName', 'text', 'at'],
} as const;

/** A short link to another instance (parent ↔ child). */
export const instanceLinkSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'integer' },
    name: i18nTextSchema,
    businessKey: { type: 'string' },
    status: instanceStatusSchema,
  },
  required: ['id', 'key', 'version', 'name', 'status'],
} as const;

/** A process the user may start (StartableProcess). */
export const startableSchema = {
  type: 'object',
  properties: {
    definitionId: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'integer' },
    name: i18nTextSchema,
    startFormKey: { type: 'string' },
    startForm: { type: 'object' },
    referencePattern: { type: 'string' },
    referencePreview: { type: 'string' },
  },
  required: ['definitionId', 'key', 'version', 'name'],
} as const;

/** A bulk answer whose entries are `{ <idKey>, ok, <valueKey> | error }`: each item succeeds or fails on its own. */
function bulkSchema(idKey: string, valueKey: string): JsonSchema {
  return {
    type: 'object',
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            [idKey]: { type: 'string' },
            ok: { type: 'boolean' },
            [valueKey]: { type: 'object' },
            error: errorBodySchema,
          },
          required: [idKey, 'ok'],
        },
      },
      succeeded: { type: 'integer' },
      failed: { type: 'integer' },
    },
    required: ['results', 'succeeded', 'failed'],
  };
}

/** A bulk instance answer (BulkInstanceResult): each instance succeeds or fails on its own. */
export const bulkInstanceResultSchema = bulkSchema('instanceId', 'instance');

/** A bulk task answer: each task succeeds or fails on its own. */
export const bulkResultSchema = bulkSchema('taskId', 'task');
