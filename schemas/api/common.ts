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

/** A bulk instance answer (BulkInstanceResult): each instance succeeds or fails on its own. */
export const bulkInstanceResultSchema = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          instanceId: { type: 'string' },
          ok: { type: 'boolean' },
          instance: { type: 'object' },
          error: errorBodySchema,
        },
        required: ['instanceId', 'ok'],
      },
    },
    succeeded: { type: 'integer' },
    failed: { type: 'integer' },
  },
  required: ['results', 'succeeded', 'failed'],
} as const;

/** One item of a bulk answer: each task succeeds or fails on its own. */
export const bulkResultSchema = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          taskId: { type: 'string' },
          ok: { type: 'boolean' },
          task: { type: 'object' },
          error: errorBodySchema,
        },
        required: ['taskId', 'ok'],
      },
    },
    succeeded: { type: 'integer' },
    failed: { type: 'integer' },
  },
  required: ['results', 'succeeded', 'failed'],
} as const;

const countRow = (keys: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: { ...keys, count: { type: 'integer' } },
  required: [...Object.keys(keys), 'count'],
});

/** One backup file: when it was written, its size and where it is. */
export const backupInfoSchema = {
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time' },
    bytes: { type: 'integer' },
    file: { type: 'string' },
  },
  required: ['at', 'bytes', 'file'],
} as const;

export const metricsSchema = {
  type: 'object',
  properties: {
    at: dateTimeSchema,
    period: {
      type: 'object',
      properties: { from: dateTimeSchema, to: dateTimeSchema },
      required: ['from', 'to'],
    },
    instances: { type: 'array', items: countRow({ key: { type: 'string' }, status: instanceStatusSchema }) },
    tasksByGroup: {
      type: 'array',
      items: {
        type: 'object',
        properties: { group: { type: 'string' }, open: { type: 'integer' }, overdue: { type: 'integer' } },
        required: ['group', 'open', 'overdue'],
      },
    },
    tasksByProvince: {
      type: 'array',
      items: {
        type: 'object',
        properties: { province: { type: 'string' }, open: { type: 'integer' }, overdue: { type: 'integer' } },
        required: ['province', 'open', 'overdue'],
      },
    },
    sla: {
      type: 'object',
      properties: {
        openOverdue: { type: 'integer' },
        completedLate: { type: 'integer' },
        completedOnTime: { type: 'integer' },
      },
      required: ['openOverdue', 'completedLate', 'completedOnTime'],
    },
    cycleTime: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          completed: { type: 'integer' },
          averageMs: { type: 'number' },
        },
        required: ['key', 'completed', 'averageMs'],
      },
    },
    waitingTokens: {
      type: 'array',
      items: countRow({
        key: { type: 'string' },
        version: { type: 'integer' },
        elementId: { type: 'string' },
      }),
    },
    backup: {
      description: 'The newest backup in the backup folder, or null when there is none',
      oneOf: [{ type: 'null' }, backupInfoSchema],
    },
    slaByProcess: rows({
      key: { type: 'string' },
      tasksOnTime: { type: 'integer' },
      tasksLate: { type: 'integer' },
      instancesWithin: { type: 'integer' },
      instancesLate: { type: 'integer' },
    }),
    slaByDirectorate: rows({
      group: { type: 'string' },
      onTime: { type: 'integer' },
      late: { type: 'integer' },
    }),
    slaByProvince: rows({
      province: { type: 'string' },
      onTime: { type: 'integer' },
      late: { type: 'integer' },
    }),
    weekly: rows({ weekStart: dateTimeSchema, started: { type: 'integer' }, ended: { type: 'integer' } }),
    cycleTimePercentiles: rows({
      key: { type: 'string' },
      completed: { type: 'integer' },
      p50Ms: { type: 'number' },
      p90Ms: { type: 'number' },
      p95Ms: { type: 'number' },
    }),
    elementDurations: rows({
      key: { type: 'string' },
      elementId: { type: 'string' },
      count: { type: 'integer' },
      averageMs: { type: 'number' },
      p90Ms: { type: 'number' },
    }),
  },
  required: [
    'at',
    'period',
    'instances',
    'tasksByGroup',
    'tasksByProvince',
    'sla',
    'cycleTime',
    'waitingTokens',
    'slaByProcess',
    'slaByDirectorate',
    'slaByProvince',
    'weekly',
    'cycleTimePercentiles',
    'elementDurations',
  ],
} as const;

/** An array of objects that have every one of `properties`. */
function rows(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'array', items: { type: 'object', properties, required: Object.keys(properties) } };
}
