import { expect } from 'chai';
import type { JsonSchema } from '../../schemas/api/common.js';
import { apiRoutes } from '../../schemas/api/routes.js';
import { ApiClient, engine, fixture, ORIGIN, startHarness, type Harness } from './harness.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  '',
  ' ',
  '$where',
  '../../etc/passwd',
  'x'.repeat(5000),
  '٢٠٢٦',
  [],
  [null],
  {},
  { $ne: null },
  { $gt: '' },
  { a: { b: { c: [1, { d: null }] } } },
  'http-approval',
  'review',
  '2026-02-30T00:00:00Z',
];

/** A body of the route's shape whose values are junk (or, now and then, a valid-looking value). */
function junkBody(schema: JsonSchema, next: () => number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of Object.keys((schema.properties ?? {}) as object)) {
    if (next() < 0.8) body[name] = JUNK[Math.floor(next() * JUNK.length)];
  }
  return body;
}

/** No input, however odd, makes the API answer 5xx: every refusal is a catalogue 4xx. */
describe('http/no server errors on odd input', () => {
  let h: Harness;
  let admin: ApiClient;

  before(async () => {
    h = await startHarness({
      runtime: engine(),
      http: { loginRateLimit: { windowMs: 60_000, limit: 10_000 } },
    });
    await h.user('root', ['admin'], ['plan-policy']);
    admin = await h.signIn('root');
    await h.runtime!.deploy(fixture('http-approval'), { id: 'root', groups: [], roles: ['admin'] });
    await admin.post('/api/instances', { key: 'http-approval' }).expect(201);
  });

  after(async () => {
    await h.close();
  });

  it('should answer every route with odd bodies, ids and queries without a 5xx', async function () {
    this.timeout(120_000);
    const next = random(20261128);
    const ids = ['no-such-id', 'http-approval', 'review', '1', 'a.b:c', 'Z'.repeat(128)];
    const failures: string[] = [];
    for (const route of apiRoutes) {
      if (route.id === 'logout') continue;
      for (let round = 0; round < 12; round++) {
        const id = ids[Math.floor(next() * ids.length)]!;
        const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
          name === 'version' ? String(Math.floor(next() * 4)) : id,
        );
        const queryKeys = Object.keys((route.query?.properties ?? {}) as object);
        const query = queryKeys
          .filter(() => next() < 0.5)
          .map((k) => `${k}=${encodeURIComponent(String(JUNK[Math.floor(next() * JUNK.length)]))}`)
          .join('&');
        const url = query ? `${path}?${query}` : path;
        const req = admin.agent[route.method](url);
        const res =
          route.method === 'get'
            ? await req
            : await req
                .set('x-csrf-token', admin.csrf)
                .set('Origin', ORIGIN)
                .send(route.body ? junkBody(route.body, next) : { junk: true });
        if (res.status >= 500 && !(res.status === 503 && route.id === 'health')) {
          failures.push(`${route.method.toUpperCase()} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
        }
        if (res.status >= 400) expect(res.body.code, url).to.match(/^RV_ERR_/);
      }
    }
    expect(failures).to.deep.equal([]);
  });
});
