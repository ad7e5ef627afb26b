import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { apiRoutes } from '../../schemas/api/routes.js';
import { startHarness, type Harness } from './harness.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` express answers, read from its router stacks. */
function expressRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

describe('http/openapi', () => {
  let h: Harness;
  let doc: { paths: Record<string, Record<string, { operationId: string; 'x-roles': unknown }>> };

  before(async () => {
    h = await startHarness();
    doc = (await request(h.url).get('/api/openapi.json').expect(200)).body;
  });

  after(async () => {
    await h.close();
  });

  it('should serve a valid OpenAPI 3.1 document without signing in', async () => {
    // when
    const result = await new Validator().validate(doc as never);
    // then
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(doc).to.include({ openapi: '3.1.0' });
  });

  it('should document every API route that express answers, with its roles', () => {
    // given
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        documented.add(`${method.toUpperCase()} ${p.replace(/\{([A-Za-z]+)\}/g, ':$1')}`);
        expect(op['x-roles'], op.operationId).to.satisfy((r: unknown) => r === 'public' || Array.isArray(r));
      }
    }
    // when
    const served = expressRoutes(h.app).filter((r) => /^(GET|POST|PATCH|PUT|DELETE) \/(api|healthz)/.test(r));
    // then
    expect(served.length).to.be.at.least(apiRoutes.length);
    for (const route of served) expect(documented, route).to.include(route);
    expect(documented.size).to.equal(apiRoutes.length);
  });

  it('should describe request bodies with the same schemas that validate them', () => {
    // then
    const complete = doc.paths['/api/tasks/{id}/complete']!.post as unknown as {
      requestBody: {
        content: { 'application/json': { schema: { properties: object; additionalProperties: boolean } } };
      };
    };
    expect(complete.requestBody.content['application/json'].schema.additionalProperties).to.equal(false);
    expect(complete.requestBody.content['application/json'].schema.properties).to.have.key('data');
  });
});
