import { emptyBodySchema } from './common.js';
import { backupInfoSchema } from './metrics-schemas.js';
import { type ApiRoute } from './api-route.js';

/** Backups of the whole database. */
export const backupRoutes = [
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
] as const satisfies readonly ApiRoute[];
