import {
  dateTimeSchema,
  emptyBodySchema,
  idSchema,
  listSchema,
  pageSchema,
  userIdSchema,
  variablesSchema,
} from './common.js';
import {
  auditEventSchema,
  bulkInstanceResultSchema,
  commentSchema,
  instanceLinkSchema,
  instanceSchema,
  startableSchema,
  taskHistorySchema,
  taskSchema,
} from './engine-schemas.js';
import { type ApiRoute, bulkIds, obj, idParams, pagination } from './api-route.js';

const STATUS = '(running|suspended|failed|completed|cancelled)';
/** Process instances: start, search, read, comment, cancel, migrate, in bulk. */
export const instanceRoutes = [
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
    body: obj({ instanceIds: bulkIds, reason: { type: 'string', minLength: 1, maxLength: 2000 } }, [
      'instanceIds',
      'reason',
    ]),
    response: { status: 200, schema: bulkInstanceResultSchema },
  },
  ...(['suspend', 'resume', 'retry'] as const).map((action) => ({
    id: `bulk${action[0]!.toUpperCase()}${action.slice(1)}Instances` as `bulk${Capitalize<typeof action>}Instances`,
    method: 'post' as const,
    path: `/api/instances/bulk/${action}`,
    summary: `${action} many instances; one result per instance`,
    tag: 'instances',
    body: obj({ instanceIds: bulkIds }, ['instanceIds']),
    response: { status: 200, schema: bulkInstanceResultSchema },
  })),
  {
    id: 'bulkMigrateInstances',
    method: 'post',
    path: '/api/instances/bulk/migrate',
    summary: 'Move many instances to another version of their process; one result per instance',
    tag: 'instances',
    body: obj({ instanceIds: bulkIds, toVersion: { type: 'integer', minimum: 1 } }, [
      'instanceIds',
      'toVersion',
    ]),
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
  ...(['suspend', 'resume', 'retry'] as const).map((action) => ({
    id: `${action}Instance` as const,
    method: 'post' as const,
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
] as const satisfies readonly ApiRoute[];
