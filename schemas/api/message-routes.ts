import { variablesSchema } from './common.js';
import { instanceSchema } from './engine-schemas.js';
import { type ApiRoute, obj } from './api-route.js';

const nameSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** Messages and signals into running instances. */
export const messageRoutes = [
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
] as const satisfies readonly ApiRoute[];
