import {
  auditEventSchema,
  bulkInstanceResultSchema,
  auditVerificationSchema,
  bulkResultSchema,
  commentSchema,
  dateTimeSchema,
  definitionSchema,
  emptyBodySchema,
  groupSchema,
  i18nTextSchema,
  idSchema,
  instanceLinkSchema,
  instanceSchema,
  languageSchema,
  listSchema,
  meSchema,
  metricsSchema,
  pageSchema,
  roleSchema,
  startableSchema,
  taskHistorySchema,
  taskSchema,
  userIdSchema,
  userSchema,
  variablesSchema,
  type JsonSchema,
  backupInfoSchema,
} from './common.js';
import { documentRoutes } from './document-routes.js';

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

const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const idParams = obj({ id: idSchema }, ['id']);
const keyParams = obj({ key: idSchema }, ['key']);
const pagination = {
  skip: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
};
const taskIds = { type: 'array', items: idSchema, minItems: 1, maxItems: 100, uniqueItems: true };
const nameSchema = { type: 'string', minLength: 1, maxLength: 200 };
const STATUS = '(running|suspended|failed|completed|cancelled)';
const instanceIds = { type: 'array', items: idSchema, minItems: 1, maxItems: 100, uniqueItems: true };
/** The audit search filter (`GET /api/audit` and its CSV export). */
const auditQuery = {
  instanceId: idSchema,
  actor: { type: 'string', minLength: 1, maxLength: 64 },
  kind: {
    type: 'string',
    pattern: '^[a-z][a-z.-]{0,63}$',
    description: 'Entry type, e.g. task.completed; a prefix ending in "." (task.) matches a family',
  },
  from: dateTimeSchema,
  to: dateTimeSchema,
};

/** Every route of the HTTP API. Order matters for express: literal segments before `:id`. */
export const apiRoutes: ApiRoute[] = [
  // health and contract
  {
    id: 'health',
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and database reachability',
    tag: 'system',
    response: { status: 200, schema: { type: 'object' } },
  },
  {
    id: 'openapi',
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'system',
    response: { status: 200, schema: { type: 'object' } },
  },

  // sign-in
  {
    id: 'login',
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; sets the rv_session and rv_csrf cookies',
    tag: 'auth',
    body: obj(
      {
        username: { type: 'string', minLength: 1, maxLength: 64 },
        password: { type: 'string', maxLength: 1024 },
      },
      ['username', 'password'],
    ),
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: { user: meSchema, csrfToken: { type: 'string' } },
        required: ['user', 'csrfToken'],
      },
    },
  },
  {
    id: 'logout',
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Sign out (ends this session)',
    tag: 'auth',
    body: emptyBodySchema,
    response: { status: 204 },
  },

  // me
  {
    id: 'getMe',
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in user: profile, roles, groups, language',
    tag: 'me',
    response: { status: 200, schema: meSchema },
  },
  {
    id: 'updateMe',
    method: 'patch',
    path: '/api/me',
    summary: 'Change the language preference',
    tag: 'me',
    body: obj({ language: languageSchema }, ['language']),
    response: { status: 200, schema: meSchema },
  },
  {
    id: 'changePassword',
    method: 'post',
    path: '/api/me/password',
    summary: 'Change the password (other sessions end)',
    tag: 'me',
    body: obj(
      {
        currentPassword: { type: 'string', maxLength: 1024 },
        newPassword: { type: 'string', maxLength: 1024 },
      },
      ['currentPassword', 'newPassword'],
    ),
    response: { status: 204 },
  },

  // users and groups
  {
    id: 'listUsers',
    method: 'get',
    path: '/api/users',
    summary: 'All accounts',
    tag: 'users',
    response: { status: 200, schema: listSchema(userSchema) },
  },
  {
    id: 'createUser',
    method: 'post',
    path: '/api/users',
    summary: 'Create an account',
    tag: 'users',
    body: obj(
      {
        id: userIdSchema,
        name: i18nTextSchema,
        password: { type: 'string', maxLength: 1024 },
        roles: { type: 'array', items: roleSchema, uniqueItems: true, maxItems: 5 },
        groups: { type: 'array', items: idSchema, uniqueItems: true, maxItems: 100 },
        language: languageSchema,
      },
      ['id', 'name', 'password', 'roles', 'groups'],
    ),
    response: { status: 201, schema: userSchema },
  },
  {
    id: 'updateUser',
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Change roles, groups, name, language or deactivate an account',
    tag: 'users',
    params: obj({ id: userIdSchema }, ['id']),
    body: {
      ...obj({
        name: i18nTextSchema,
        roles: { type: 'array', items: roleSchema, uniqueItems: true, maxItems: 5 },
        groups: { type: 'array', items: idSchema, uniqueItems: true, maxItems: 100 },
        language: languageSchema,
        active: { type: 'boolean' },
      }),
      minProperties: 1,
    },
    response: { status: 200, schema: userSchema },
  },
  {
    id: 'listGroups',
    method: 'get',
    path: '/api/groups',
    summary: 'Directorates, provincial offices and other groups',
    tag: 'users',
    response: { status: 200, schema: listSchema(groupSchema) },
  },
  {
    id: 'getDirectory',
    method: 'get',
    path: '/api/directory',
    summary:
      'Names for codes, for every signed-in user: display names of accounts, groups, provinces, and the holidays',
    tag: 'users',
    response: {
      status: 200,
      schema: obj(
        {
          users: {
            type: 'array',
            items: obj({ id: userIdSchema, name: i18nTextSchema, active: { type: 'boolean' } }, [
              'id',
              'name',
              'active',
            ]),
          },
          groups: { type: 'array', items: groupSchema },
          provinces: {
            type: 'array',
            items: obj({ code: { type: 'string' }, name: i18nTextSchema }, ['code', 'name']),
          },
          holidays: { type: 'array', items: { type: 'string', format: 'date' } },
        },
        ['users', 'groups', 'provinces', 'holidays'],
      ),
    },
  },

  // definitions
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
        properties: { key: { type: 'string' }, elements: { type: 'array' } },
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

  // instances
  {
    id: 'listStartable',
    method: 'get',
    path: '/api/startable',
    summary:
      'The processes the signed-in user may start (latest versions), each with its start form and reference pattern',
    tag: 'instances',
    response: { status: 200, schema: listSchema(startableSchema) },
  },
  {
    id: 'startInstance',
    method: 'post',
    path: '/api/instances',
    summary:
      "Start a process instance: starters enforced (403 RV_ERR_NOT_A_STARTER), variables checked against the start form (422 RV_ERR_FORM_INVALID), reference made from the process's pattern when none is given; firstTaskId when the first open task is offered to the starter",
    tag: 'instances',
    body: obj(
      {
        key: idSchema,
        version: { type: 'integer', minimum: 1 },
        businessKey: { type: 'string', minLength: 1, maxLength: 200 },
        variables: variablesSchema,
      },
      ['key'],
    ),
    response: {
      status: 201,
      schema: {
        ...instanceSchema,
        properties: { ...instanceSchema.properties, firstTaskId: { type: 'string' } },
      },
    },
  },
  {
    id: 'listInstances',
    method: 'get',
    path: '/api/instances',
    summary:
      'Instance search: text, process, version, status (comma-separated), starter, directorate, province, start/end ranges, parent; sorted and paged',
    tag: 'instances',
    query: obj({
      q: { type: 'string', maxLength: 200, description: 'Reference, process name (fa/en), starter or title' },
      key: idSchema,
      version: { type: 'integer', minimum: 1 },
      status: {
        type: 'string',
        pattern: `^${STATUS}(,${STATUS}){0,4}$`,
        description: 'One or more, comma-separated',
      },
      businessKey: { type: 'string', minLength: 1, maxLength: 200 },
      startedBy: userIdSchema,
      directorate: idSchema,
      province: { type: 'string', pattern: '^[a-z]{3}$' },
      startedAfter: dateTimeSchema,
      startedBefore: dateTimeSchema,
      endedAfter: dateTimeSchema,
      endedBefore: dateTimeSchema,
      parentId: idSchema,
      sort: {
        type: 'string',
        enum: ['startedAt', '-startedAt', 'endedAt', '-endedAt', 'businessKey', '-businessKey'],
        default: '-startedAt',
      },
      ...pagination,
    }),
    response: { status: 200, schema: pageSchema(instanceSchema) },
  },
  {
    id: 'bulkCancelInstances',
    method: 'post',
    path: '/api/instances/bulk/cancel',
    summary: 'Cancel many instances with one reason; one result per instance',
    tag: 'instances',
    body: obj({ instanceIds, reason: { type: 'string', minLength: 1, maxLength: 2000 } }, [
      'instanceIds',
      'reason',
    ]),
    response: { status: 200, schema: bulkInstanceResultSchema },
  },
  ...(['suspend', 'resume', 'retry'] as const).map((action): ApiRoute => ({
    id: `bulk${action[0]!.toUpperCase()}${action.slice(1)}Instances`,
    method: 'post',
    path: `/api/instances/bulk/${action}`,
    summary: `${action} many instances; one result per instance`,
    tag: 'instances',
    body: obj({ instanceIds }, ['instanceIds']),
    response: { status: 200, schema: bulkInstanceResultSchema },
  })),
  {
    id: 'bulkMigrateInstances',
    method: 'post',
    path: '/api/instances/bulk/migrate',
    summary: 'Move many instances to another version of their process; one result per instance',
    tag: 'instances',
    body: obj({ instanceIds, toVersion: { type: 'integer', minimum: 1 } }, ['instanceIds', 'toVersion']),
    response: { status: 200, schema: bulkInstanceResultSchema },
  },
  {
    id: 'getInstance',
    method: 'get',
    path: '/api/instances/:id',
    summary:
      'An instance with its variables, open tasks, tokens per element, task history, comments, parent and children',
    tag: 'instances',
    params: idParams,
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: {
          instance: instanceSchema,
          openTasks: { type: 'array', items: taskSchema },
          tokens: {
            type: 'array',
            items: {
              type: 'object',
              properties: { elementId: { type: 'string' }, count: { type: 'integer' } },
              required: ['elementId', 'count'],
            },
          },
          history: { type: 'array', items: taskHistorySchema },
          comments: { type: 'array', items: commentSchema },
          parent: instanceLinkSchema,
          children: { type: 'array', items: instanceLinkSchema },
        },
        required: ['instance', 'openTasks', 'tokens', 'history', 'comments', 'children'],
      },
    },
  },
  {
    id: 'listInstanceComments',
    method: 'get',
    path: '/api/instances/:id/comments',
    summary: 'Every comment of an instance (on any of its tasks or on the instance), oldest first',
    tag: 'instances',
    params: idParams,
    response: { status: 200, schema: listSchema(commentSchema) },
  },
  {
    id: 'addInstanceComment',
    method: 'post',
    path: '/api/instances/:id/comments',
    summary:
      'Comment on an instance, optionally on one of its tasks; live as comment:added in the instance room',
    tag: 'instances',
    params: idParams,
    body: obj({ text: { type: 'string', minLength: 1, maxLength: 4000 }, taskId: idSchema }, ['text']),
    response: { status: 201, schema: commentSchema },
  },
  {
    id: 'getInstanceAudit',
    method: 'get',
    path: '/api/instances/:id/audit',
    summary: "An instance's audit trail (hash-chained)",
    tag: 'audit',
    params: idParams,
    response: { status: 200, schema: listSchema(auditEventSchema) },
  },
  {
    id: 'cancelInstance',
    method: 'post',
    path: '/api/instances/:id/cancel',
    summary: 'Cancel a running instance',
    tag: 'instances',
    params: idParams,
    body: obj({ reason: { type: 'string', minLength: 1, maxLength: 2000 } }, ['reason']),
    response: { status: 200, schema: instanceSchema },
  },
  ...(['suspend', 'resume', 'retry'] as const).map((action): ApiRoute => ({
    id: `${action}Instance`,
    method: 'post',
    path: `/api/instances/:id/${action}`,
    summary:
      action === 'retry' ? 'Retry the failed step of an instance with an incident' : `${action} an instance`,
    tag: 'instances',
    params: idParams,
    body: emptyBodySchema,
    response: { status: 200, schema: instanceSchema },
  })),
  {
    id: 'migrateInstance',
    method: 'post',
    path: '/api/instances/:id/migrate',
    summary: 'Move an instance to another version of its process',
    tag: 'instances',
    params: idParams,
    body: obj({ toVersion: { type: 'integer', minimum: 1 } }, ['toVersion']),
    response: { status: 200, schema: instanceSchema },
  },

  // tasks
  {
    id: 'listTasks',
    method: 'get',
    path: '/api/tasks',
    summary:
      'Inbox: view=mine (assigned to me), group (my groups, unclaimed), overdue, visible (default), all (readers of everything)',
    tag: 'tasks',
    query: obj({
      view: { type: 'string', enum: ['visible', 'mine', 'group', 'overdue', 'all'], default: 'visible' },
      key: idSchema,
      instanceId: idSchema,
      sort: { type: 'string', enum: ['dueAt', '-dueAt', 'priority', '-priority', 'createdAt', '-createdAt'] },
      q: {
        type: 'string',
        maxLength: 200,
        description: 'Text in the task or process name (either language), reference or process key',
      },
      dueBy: { ...dateTimeSchema, description: 'Only tasks due at or before this time' },
      minPriority: { type: 'integer', minimum: 0, maximum: 100 },
      ...pagination,
    }),
    response: { status: 200, schema: pageSchema(taskSchema) },
  },
  {
    id: 'bulkClaim',
    method: 'post',
    path: '/api/tasks/bulk/claim',
    summary: 'Claim many tasks; one result per task',
    tag: 'tasks',
    body: obj({ taskIds }, ['taskIds']),
    response: { status: 200, schema: bulkResultSchema },
  },
  {
    id: 'bulkAssign',
    method: 'post',
    path: '/api/tasks/bulk/assign',
    summary: 'Assign many tasks to one person (null releases them); one result per task',
    tag: 'tasks',
    body: obj({ taskIds, assignee: { oneOf: [userIdSchema, { type: 'null' }] } }, ['taskIds', 'assignee']),
    response: { status: 200, schema: bulkResultSchema },
  },
  {
    id: 'bulkComplete',
    method: 'post',
    path: '/api/tasks/bulk/complete',
    summary:
      'Complete many tasks with their form data; one result per task, a failure does not stop the rest',
    tag: 'tasks',
    body: obj(
      {
        items: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: obj({ taskId: idSchema, data: variablesSchema }, ['taskId', 'data']),
        },
      },
      ['items'],
    ),
    response: { status: 200, schema: bulkResultSchema },
  },
  {
    id: 'getTask',
    method: 'get',
    path: '/api/tasks/:id',
    summary: 'One open task',
    tag: 'tasks',
    params: idParams,
    response: { status: 200, schema: taskSchema },
  },
  {
    id: 'claimTask',
    method: 'post',
    path: '/api/tasks/:id/claim',
    summary: 'Take a task offered to me or my groups',
    tag: 'tasks',
    params: idParams,
    body: emptyBodySchema,
    response: { status: 200, schema: taskSchema },
  },
  {
    id: 'unclaimTask',
    method: 'post',
    path: '/api/tasks/:id/unclaim',
    summary: 'Give a claimed task back to its groups',
    tag: 'tasks',
    params: idParams,
    body: emptyBodySchema,
    response: { status: 200, schema: taskSchema },
  },
  {
    id: 'assignTask',
    method: 'post',
    path: '/api/tasks/:id/assign',
    summary: 'Assign or delegate a task to a person (null releases it)',
    tag: 'tasks',
    params: idParams,
    body: obj({ assignee: { oneOf: [userIdSchema, { type: 'null' }] } }, ['assignee']),
    response: { status: 200, schema: taskSchema },
  },
  {
    id: 'completeTask',
    method: 'post',
    path: '/api/tasks/:id/complete',
    summary: "Complete a task with its form's data",
    tag: 'tasks',
    params: idParams,
    body: obj({ data: variablesSchema }, ['data']),
    response: { status: 200, schema: taskHistorySchema },
  },
  {
    id: 'listComments',
    method: 'get',
    path: '/api/tasks/:id/comments',
    summary: "The comments of the task's instance (every task of it), oldest first",
    tag: 'tasks',
    params: idParams,
    response: { status: 200, schema: listSchema(commentSchema) },
  },
  {
    id: 'addComment',
    method: 'post',
    path: '/api/tasks/:id/comments',
    summary: 'Comment on a task (the comment belongs to its instance)',
    tag: 'tasks',
    params: idParams,
    body: obj({ text: { type: 'string', minLength: 1, maxLength: 4000 } }, ['text']),
    response: { status: 201, schema: commentSchema },
  },

  {
    id: 'getForm',
    method: 'get',
    path: '/api/forms/:key',
    summary: "A task form's JSON Schema (schemas/forms/<formKey>.json) for the client to render",
    tag: 'tasks',
    params: obj({ key: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$' } }, ['key']),
    response: { status: 200, schema: { type: 'object' } },
  },

  // messages and signals
  {
    id: 'correlateMessage',
    method: 'post',
    path: '/api/messages',
    summary: 'Deliver a message to the instance waiting for it',
    tag: 'messages',
    body: obj(
      {
        name: nameSchema,
        correlationKey: { type: 'string', minLength: 1, maxLength: 200 },
        variables: variablesSchema,
      },
      ['name'],
    ),
    response: { status: 200, schema: instanceSchema },
  },
  {
    id: 'sendSignal',
    method: 'post',
    path: '/api/signals',
    summary: 'Broadcast a signal to every waiting instance',
    tag: 'messages',
    body: obj({ name: nameSchema, variables: variablesSchema }, ['name']),
    response: {
      status: 200,
      schema: { type: 'object', properties: { delivered: { type: 'integer' } }, required: ['delivered'] },
    },
  },

  // dashboards, audit, live events
  {
    id: 'getMetrics',
    method: 'get',
    path: '/api/metrics',
    summary:
      'Dashboard figures: instances per process and state, open/overdue tasks per group and province, SLA, cycle time, waiting tokens',
    tag: 'metrics',
    query: obj({ from: dateTimeSchema, to: dateTimeSchema, key: idSchema }),
    response: { status: 200, schema: metricsSchema },
  },
  {
    id: 'searchAudit',
    method: 'get',
    path: '/api/audit',
    summary: 'The audit trail filtered by instance, actor, kind and time, in seq order (auditors, admin)',
    tag: 'audit',
    query: obj({ ...auditQuery, ...pagination }),
    response: { status: 200, schema: pageSchema(auditEventSchema) },
  },
  {
    id: 'exportAudit',
    method: 'get',
    path: '/api/audit/export.csv',
    summary: 'The filtered audit trail as CSV (UTF-8 with BOM, so Excel shows Dari)',
    tag: 'audit',
    query: obj(auditQuery),
    response: { status: 200, contentType: 'text/csv' },
  },
  {
    id: 'verifyAudit',
    method: 'get',
    path: '/api/audit/verify',
    summary:
      'Verify the audit hash chain from the last verified checkpoint (answers within 5 s; the rest goes on in the background)',
    tag: 'audit',
    response: { status: 200, schema: auditVerificationSchema },
  },
  {
    id: 'startAuditVerification',
    method: 'post',
    path: '/api/audit/verify',
    summary: 'Start a full re-verification of the audit chain as a background job (poll GET for progress)',
    tag: 'audit',
    body: emptyBodySchema,
    response: { status: 202, schema: auditVerificationSchema },
  },
  {
    id: 'listEvents',
    method: 'get',
    path: '/api/events',
    summary: 'Live events after a sequence number, for a reconnecting client to catch up',
    tag: 'events',
    query: obj(
      {
        after: { type: 'integer', minimum: 0 },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 500 },
      },
      ['after'],
    ),
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                seq: { type: 'integer' },
                event: { type: 'string' },
                at: dateTimeSchema,
                payload: {},
              },
              required: ['seq', 'event', 'at', 'payload'],
            },
          },
          lastSeq: { type: 'integer' },
          reset: { type: 'boolean' },
        },
        required: ['items', 'lastSeq', 'reset'],
      },
    },
  },

  // operations
  {
    id: 'listBackups',
    method: 'get',
    path: '/api/admin/backups',
    summary: 'Backups in the backup folder (newest first) and the daily schedule',
    tag: 'system',
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: {
          items: { type: 'array', items: backupInfoSchema },
          schedule: {
            type: 'object',
            properties: { time: { type: 'string' }, timeZone: { type: 'string' }, keep: { type: 'integer' } },
            required: ['time', 'timeZone', 'keep'],
          },
        },
        required: ['items', 'schedule'],
      },
    },
  },
  {
    id: 'createBackup',
    method: 'post',
    path: '/api/admin/backups',
    summary: 'Take a backup now (consistent, compressed, checksummed), kept like the scheduled ones',
    tag: 'system',
    body: emptyBodySchema,
    response: { status: 201, schema: backupInfoSchema },
  },
  // documents (schemas/api/document-routes.ts)
  ...documentRoutes,
];
