import { dateTimeSchema, emptyBodySchema, idSchema, pageSchema } from './common.js';
import { auditEventSchema, auditVerificationSchema } from './engine-schemas.js';
import { metricsSchema } from './metrics-schemas.js';
import { type ApiRoute, obj, pagination } from './api-route.js';

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
} as const;

/** Dashboards, the audit trail and its verification, live events. */
export const monitoringRoutes = [
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
    summary:
      'The audit trail filtered by instance, actor, kind and time, newest first (order=asc: oldest first), with the total that match (auditors, admin)',
    tag: 'audit',
    query: obj({
      ...auditQuery,
      ...pagination,
      order: { type: 'string', enum: ['desc', 'asc'], default: 'desc' },
    }),
    response: { status: 200, schema: pageSchema(auditEventSchema) },
  },
  {
    id: 'exportAudit',
    method: 'get',
    path: '/api/audit/export.csv',
    summary:
      "The filtered audit trail as CSV, oldest first, with names beside ids in the language asked (default: the user's); UTF-8 with BOM, so Excel shows Dari",
    tag: 'audit',
    query: obj({ ...auditQuery, lang: { type: 'string', enum: ['fa', 'en'] } }),
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
] as const satisfies readonly ApiRoute[];
