import { type ApiRoute } from './api-route.js';

/** Health and the API contract. */
export const systemRoutes = [
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
] as const satisfies readonly ApiRoute[];
