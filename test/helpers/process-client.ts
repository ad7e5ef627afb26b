import { expect } from 'chai';
import request from 'supertest';

/** The demo admin's one-time password from the seed's table on a spawned server's stdout. */
export function adminPassword(output: string): string {
  const m = /^\s+admin\s+(\S+)\s/m.exec(output);
  if (!m) throw new Error(`no admin password in:\n${output}`);
  return m[1]!;
}

/** A signed-in API client of a spawned server, without a browser Origin (the CSRF token is still checked). */
export async function signInTo(url: string, username: string, password: string) {
  const agent = request.agent(url);
  const res = await agent.post('/api/auth/login').send({ username, password });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  const csrf = (res.body as { csrfToken: string }).csrfToken;
  return {
    get: (p: string) => agent.get(p),
    post: (p: string, body: object | string, type = 'application/json') =>
      agent.post(p).set('x-csrf-token', csrf).set('content-type', type).send(body),
  };
}
