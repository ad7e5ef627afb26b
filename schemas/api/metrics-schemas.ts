import { dateTimeSchema, type JsonSchema } from './common.js';
import { instanceStatusSchema } from './engine-schemas.js';

// JSON Schemas of the dashboards' metrics and of backups.

const openOverdue = { open: { type: 'integer' }, overdue: { type: 'integer' } };
const onTimeLate = { onTime: { type: 'integer' }, late: { type: 'integer' } };

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
    instances: rows({ key: { type: 'string' }, status: instanceStatusSchema, count: { type: 'integer' } }),
    tasksByGroup: rows({ group: { type: 'string' }, ...openOverdue }),
    tasksByProvince: rows({ province: { type: 'string' }, ...openOverdue }),
    sla: {
      type: 'object',
      properties: {
        openOverdue: { type: 'integer' },
        completedLate: { type: 'integer' },
        completedOnTime: { type: 'integer' },
      },
      required: ['openOverdue', 'completedLate', 'completedOnTime'],
    },
    cycleTime: rows({
      key: { type: 'string' },
      completed: { type: 'integer' },
      averageMs: { type: 'number' },
    }),
    waitingTokens: rows({
      key: { type: 'string' },
      version: { type: 'integer' },
      elementId: { type: 'string' },
      count: { type: 'integer' },
    }),
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
      ...onTimeLate,
    }),
    slaByProvince: rows({
      province: { type: 'string' },
      ...onTimeLate,
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
