import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { Role } from '../../server/engine/types.js';
import { accessMatrix } from '../../server/policy/access-matrix.js';
import { projectRoot } from '../../server/project-root.js';
import type { JsonSchema } from '../../schemas/api/common.js';
import { apiRoutes, type ApiRoute } from '../../schemas/api/routes.js';
import { ApiClient, ORIGIN, startHarness, type Harness } from './harness.js';

const ROLES: Role[] = ['admin', 'manager', 'staff', 'leadership', 'auditor'];
const SAMPLE: Record<string, string> = { id: 'sample-1', key: 'trip-authorization', version: '1' };

function pathOf(route: ApiRoute, values: Record<string, string> = SAMPLE): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? 'x');
}

/** A value of the wrong JSON type for `schema`. */
function wrongValue(schema: JsonSchema): unknown {
  const type = schema.type ?? (schema.oneOf ? 'string' : 'object');
  if (type === 'string') return 12345;
  if (type === 'integer' || type === 'number') return 'twelve';
  if (type === 'boolean') return 'yes';
  if (type === 'array') return { not: 'an array' };
  return 'not an object';
}

/**
 * The access matrix and the input rules, route by route: 401 without a session, 403 for every role the
 * matrix leaves out, and 400 (not 500) for malformed JSON, unknown fields, wrong types, operator injection
 * and invalid ids; 413 for a body over the limit. The success paths are in the route specs beside this one.
 */
describe('http/access-matrix', () => {
  let h: Harness;
  const clients = new Map<Role, ApiClient>();

  before(async () => {
    h = await startHarness({ http: { loginRateLimit: { windowMs: 60_000, limit: 1000 } } });
    for (const role of ROLES) {
      await h.user(`r-${role}`, [role], ['plan-policy']);
      clients.set(role, await h.signIn(`r-${role}`));
    }
  });

  after(async () => {
    await h.close();
  });

  it('should list every route of the API in the matrix, and nothing else', () => {
    // then
    expect(Object.keys(accessMatrix).sort()).to.deep.equal(apiRoutes.map((r) => r.id).sort());
  });

  it('should be documented in the README exactly as enforced', () => {
    // given
    const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
    const rows = new Map<string, string[]>();
    for (const m of readme.matchAll(/^\| `(GET|POST|PATCH|DELETE) ([^`]+)`\s*\|(.*)\|$/gm)) {
      rows.set(
        `${m[1]} ${m[2]}`,
        m[3]!.split('|').map((c) => c.trim()),
      );
    }
    // then
    expect([...rows.keys()].sort()).to.deep.equal(
      apiRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort(),
    );
    for (const route of apiRoutes) {
      const access = accessMatrix[route.id]!;
      const expected = ROLES.map((role) =>
        access === 'public' ? 'public' : access.includes(role) ? '✓' : '',
      );
      expect(rows.get(`${route.method.toUpperCase()} ${route.path}`), route.id).to.deep.equal(expected);
    }
  });

  for (const route of apiRoutes) {
    const access = accessMatrix[route.id]!;
    const label = `${route.method.toUpperCase()} ${route.path}`;
    const call = (client: ApiClient | undefined, path = pathOf(route)) => {
      const agent = client ? client.agent : request.agent(h.url);
      const req = agent[route.method](path);
      return route.method === 'get' ? req : req.set('x-csrf-token', client?.csrf ?? '').set('Origin', ORIGIN);
    };
    const allowed = access === 'public' ? undefined : access[0]!;
    const caller = () => (allowed ? clients.get(allowed) : undefined);

    describe(label, () => {
      if (access !== 'public') {
        it('should answer 401 without a session', async () => {
          // when
          const res = await call(undefined);
          // then
          expect(res.status).to.equal(401);
          expect(res.body.code).to.equal('RV_ERR_UNAUTHENTICATED');
        });

        const denied = ROLES.filter((r) => !access.includes(r));
        if (denied.length > 0) {
          it(`should answer 403 to ${denied.join(', ')}`, async () => {
            for (const role of denied) {
              // when
              const res = await call(clients.get(role)).send(route.method === 'get' ? undefined : {});
              // then
              expect(res.status, role).to.equal(403);
              expect(res.body.code, role).to.equal('RV_ERR_FORBIDDEN');
            }
          });
        }
      }

      if (route.body) {
        it('should answer 400 to malformed JSON', async () => {
          // when
          const res = await call(caller()).set('Content-Type', 'application/json').send('{"broken": ');
          // then
          expect(res.status).to.equal(400);
          expect(res.body.code).to.equal('RV_ERR_MALFORMED_JSON');
        });

        it('should answer 400 to a body that smuggles __proto__', async () => {
          // when
          const res = await call(caller())
            .set('Content-Type', 'application/json')
            .send('{"data": {"a": {"__proto__": {"isAdmin": true}}}}');
          // then
          expect(res.status).to.equal(400);
          expect(res.body.code).to.equal('RV_ERR_MALFORMED_JSON');
        });

        it('should answer 413 to a body over the limit', async () => {
          // when
          const res = await call(caller()).send({ padding: 'x'.repeat(200_000) });
          // then
          expect(res.status).to.equal(413);
          expect(res.body.code).to.equal('RV_ERR_PAYLOAD_TOO_LARGE');
        });

        it('should answer 400 to unknown fields', async () => {
          // when
          const res = await call(caller()).send({ unexpectedField: 1 });
          // then
          expect(res.status).to.equal(400);
          expect(res.body.code).to.equal('RV_ERR_VALIDATION');
          expect(res.body.details.errors.map((e: { path: string }) => e.path)).to.include('/unexpectedField');
        });

        const props = Object.entries((route.body.properties ?? {}) as Record<string, JsonSchema>);
        if (props.length > 0) {
          it('should answer 400 to wrong types and to query operators such as {"$ne": null}', async () => {
            for (const [name, schema] of props) {
              // when
              const wrong = await call(caller()).send({ [name]: wrongValue(schema) });
              const injected = await call(caller()).send({ [name]: { $ne: null } });
              const nested = await call(caller()).send({ [name]: { $gt: '' }, assignee: { $ne: null } });
              // then
              for (const res of [wrong, injected, nested]) {
                expect(res.status, name).to.equal(400);
                expect(res.body.code, name).to.equal('RV_ERR_VALIDATION');
              }
            }
          });
        }

        it('should answer 415 to a body that is not JSON', async () => {
          // when
          const res = await call(caller()).set('Content-Type', 'text/plain').send('hello');
          // then
          expect(res.status).to.equal(415);
          expect(res.body.code).to.equal('RV_ERR_UNSUPPORTED_MEDIA_TYPE');
        });
      }

      if (route.bodyKind === 'bpmn') {
        it('should answer 415 to plain text, 400 to bad JSON or an empty file and 413 to a file over the limit', async () => {
          // when
          const text = await call(caller()).set('Content-Type', 'text/plain').send('<definitions/>');
          const json = await call(caller()).send({ xml: 5 });
          const empty = await call(caller()).set('Content-Type', 'application/xml').send('   ');
          const large = await call(caller())
            .set('Content-Type', 'application/xml')
            .send(`<x>${'a'.repeat(3 * 1024 * 1024)}</x>`);
          const largeFile = await call(caller()).attach(
            'file',
            Buffer.alloc(3 * 1024 * 1024, 'a'),
            'big.bpmn',
          );
          // then
          expect(text.status).to.equal(415);
          expect(json.status).to.equal(400);
          expect(empty.status).to.equal(400);
          expect(large.status).to.equal(413);
          expect(largeFile.status).to.equal(413);
          expect(largeFile.body.code).to.equal('RV_ERR_PAYLOAD_TOO_LARGE');
        });

        it('should answer 400 to a wrong upload field, extra fields, two files and a truncated upload', async () => {
          // when
          const wrongField = await call(caller()).attach('model', Buffer.from('<x/>'), 'x.bpmn');
          const extraField = await call(caller())
            .field('note', 'hello')
            .attach('file', Buffer.from('<x/>'), 'x.bpmn');
          const twoFiles = await call(caller())
            .attach('file', Buffer.from('<x/>'), 'a.bpmn')
            .attach('file', Buffer.from('<y/>'), 'b.bpmn');
          const truncated = await call(caller())
            .set('Content-Type', 'multipart/form-data; boundary=XYZ')
            .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.bpmn"\r\n\r\n<x');
          // then
          for (const res of [wrongField, extraField, twoFiles, truncated]) {
            expect(res.status, JSON.stringify(res.body)).to.equal(400);
            expect(res.body.code).to.equal('RV_ERR_VALIDATION');
          }
        });
      }

      if (route.id !== 'health' && route.id !== 'openapi') {
        it('should answer 400 to unknown and operator query parameters', async () => {
          // given
          const base = pathOf(route);
          // when
          const unknown = await call(caller(), `${base}?unexpected=1`).send(
            route.method === 'get' ? undefined : {},
          );
          const operator = await call(caller(), `${base}?assignee[$ne]=x&key[$gt]=`).send(
            route.method === 'get' ? undefined : {},
          );
          // then
          expect(unknown.status).to.equal(400);
          expect(operator.status).to.equal(400);
          expect(operator.body.code).to.equal('RV_ERR_VALIDATION');
        });
      }

      if (route.params) {
        it('should answer 400 (not 500) to invalid ids', async () => {
          for (const bad of ['$ne', 'a b', '..', '%00', 'x'.repeat(300)]) {
            const values = Object.fromEntries(
              Object.keys((route.params!.properties ?? {}) as object).map((k) => [
                k,
                encodeURIComponent(bad),
              ]),
            );
            // when
            const res = await call(caller(), pathOf(route, values)).send(
              route.method === 'get' ? undefined : {},
            );
            // then
            expect(res.status, bad).to.equal(400);
            expect(res.body.code, bad).to.equal('RV_ERR_INVALID_ID');
          }
          // broken percent-encoding, sent as is
          const raw = pathOf(route, { id: '%E0%A4%A', key: '%', version: '%ZZ' });
          const res = await call(caller(), raw).send(route.method === 'get' ? undefined : {});
          expect(res.status, raw).to.equal(400);
          expect(res.body.code, raw).to.equal('RV_ERR_INVALID_ID');
        });
      }
    });
  }
});
