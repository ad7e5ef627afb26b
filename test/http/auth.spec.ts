import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { sessionModel, SessionStore } from '../../server/persistence/session-store.js';
import { ApiClient, ORIGIN, PASSWORD, startHarness, waitUntil, type Harness } from './harness.js';

describe('http/auth', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({
      http: { loginRateLimit: { windowMs: 60_000, limit: 3 }, loginDelay: { baseMs: 300, maxMs: 3000 } },
    });
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('bashir', ['staff'], ['plan-policy']);
    await h.user('karim', ['staff']);
    await h.user('limited', ['staff']);
  });

  after(async () => {
    await h.close();
  });

  it('should sign in with an httpOnly SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    // given
    const client = new ApiClient(h.url);
    // when
    const res = await client.login('amina', PASSWORD);
    // then
    const cookies = res.headers['set-cookie'] as unknown as string[];
    const session = cookies.find((c) => c.startsWith('rv_session='))!;
    const csrf = cookies.find((c) => c.startsWith('rv_csrf='))!;
    expect(session)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i)
      .and.match(/Path=\//);
    expect(session).not.to.match(/Secure/i); // plain http in tests; Secure behind https
    expect(csrf).not.to.match(/HttpOnly/i);
    expect(res.body.user).to.include({ id: 'amina', language: 'fa' });
    expect(res.body.user.groups[0]).to.include({ id: 'plan-policy' });
    expect(res.body.csrfToken).to.be.a('string').with.length.greaterThan(20);
    expect((await client.get('/api/me')).body).to.include({ id: 'amina' });
  });

  it('should store only the SHA-256 of the 32-byte session token, with an expiry', async () => {
    // given
    const client = await h.signIn('bashir');
    const token = /rv_session=([^;]+)/.exec(client.cookie)![1]!;
    // when
    const stored = await sessionModel(h.db.conn).find({ userId: 'bashir' }).lean();
    // then
    expect(Buffer.from(token, 'base64url')).to.have.length(32);
    const ids = stored.map((s) => s._id);
    expect(ids).to.include(crypto.createHash('sha256').update(token).digest('hex'));
    expect(ids).not.to.include(token);
    expect(stored[0]!.expiresAt.getTime()).to.be.greaterThan(Date.now());
  });

  it('should answer 401 with the same message for a wrong password and an unknown user', async () => {
    // when
    const wrong = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'karim', password: 'nope-nope-nope' });
    const unknown = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'ghost', password: 'nope-nope-nope' });
    // then
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body).to.deep.equal(unknown.body);
    expect(wrong.body.code).to.equal('RV_ERR_BAD_CREDENTIALS');
    expect(wrong.body.message).to.have.keys('fa', 'en');
  });

  it('should slow down failed sign-ins per account, whatever address they claim to come from', async () => {
    // given: the limit is 3 failures, each from another forwarded address (trust proxy is loopback)
    for (let i = 0; i < 3; i++) {
      const res = await request(h.url)
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i + 1}`)
        .send({ username: 'limited', password: `wrong-${i}-password` });
      expect(res.status).to.equal(401);
    }
    // when: a fourth address, even with the right password, and another account meanwhile
    const blocked = await request(h.url)
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ username: 'LIMITED', password: PASSWORD });
    const other = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'karim', password: PASSWORD });
    // then
    expect(blocked.status).to.equal(429);
    expect(blocked.body.code).to.equal('RV_ERR_RATE_LIMITED');
    expect(blocked.body.message).to.have.keys('fa', 'en');
    expect(Number(blocked.headers['retry-after'])).to.be.within(1, 3);
    expect(blocked.body.details.retryAfterMs).to.be.within(1, 300);
    expect(other.status).to.equal(200);
  });

  it('should let the right password in after the delay, and clear the failures', async () => {
    // given: four failures, so the account waits 2 × the base delay
    for (let i = 0; i < 4; i++) {
      await waitUntil(
        async () => {
          const res = await request(h.url)
            .post('/api/auth/login')
            .set('X-Forwarded-For', `192.0.2.${i + 1}`)
            .send({ username: 'amina', password: `wrong-${i}-password` });
          return res.status === 401;
        },
        `failure ${i + 1} counted`,
      );
    }
    const waiting = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'amina', password: PASSWORD });
    expect(waiting.status).to.equal(429);
    // when: the client waits as long as the server says
    await new Promise((resolve) => setTimeout(resolve, waiting.body.details.retryAfterMs + 20));
    const late = await request(h.url).post('/api/auth/login').send({ username: 'amina', password: PASSWORD });
    // then: signed in, and the next wrong password is free again (no delay carried over)
    expect(late.status).to.equal(200);
    const wrong = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'amina', password: 'wrong-again-password' });
    expect(wrong.status).to.equal(401);
  });

  it('should refuse an expired session and sweep it away', async () => {
    // given
    const client = await h.signIn('karim');
    await sessionModel(h.db.conn).updateMany(
      { userId: 'karim' },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    // when
    const res = await client.get('/api/me');
    const swept = await new SessionStore(h.db.conn).sweep();
    // then
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('RV_ERR_UNAUTHENTICATED');
    expect(swept).to.be.at.least(1);
    expect(await sessionModel(h.db.conn).countDocuments({ userId: 'karim' })).to.equal(0);
  });

  it('should sign out and end the session', async () => {
    // given
    const client = await h.signIn('amina');
    const stolen = client.cookie;
    // when
    const out = await client.post('/api/auth/logout');
    // then
    expect(out.status).to.equal(204);
    expect((await request(h.url).get('/api/me').set('Cookie', stolen)).status).to.equal(401);
  });

  it('should change the password, end the other sessions and keep this one', async () => {
    // given
    await h.user('changer', ['staff']);
    const other = await h.signIn('changer');
    const client = await h.signIn('changer');
    // when
    const weak = await client.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'short' });
    const wrong = await client.post('/api/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-new-long-password',
    });
    const ok = await client.post('/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'a-new-long-password',
    });
    // then
    expect(weak.status).to.equal(400);
    expect(weak.body.code).to.equal('RV_ERR_WEAK_PASSWORD');
    expect(wrong.status).to.equal(401);
    expect(ok.status).to.equal(204);
    expect((await client.get('/api/me')).status).to.equal(200);
    expect((await other.get('/api/me')).status).to.equal(401);
    const fresh = new ApiClient(h.url);
    await fresh.login('changer', 'a-new-long-password');
    const old = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'changer', password: PASSWORD });
    expect(old.status).to.equal(401);
  });

  it('should keep the language preference', async () => {
    // given
    const client = await h.signIn('bashir');
    // when
    const res = await client.patch('/api/me', { language: 'en' });
    // then
    expect(res.status).to.equal(200);
    expect(res.body.language).to.equal('en');
    expect((await client.get('/api/me')).body.language).to.equal('en');
  });

  describe('CSRF on cookie-authenticated writes', () => {
    it('should refuse a write without the CSRF token', async () => {
      // given
      const client = await h.signIn('amina');
      // when
      const res = await client.agent.patch('/api/me').set('Origin', ORIGIN).send({ language: 'en' });
      // then
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('RV_ERR_CSRF');
    });

    it('should refuse a write with a token that does not match the cookie', async () => {
      // given
      const client = await h.signIn('amina');
      // when
      const res = await client.agent.patch('/api/me').set('x-csrf-token', 'forged').send({ language: 'en' });
      // then
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('RV_ERR_CSRF');
    });

    it('should refuse a write from a foreign origin even with the token', async () => {
      // given
      const client = await h.signIn('amina');
      // when
      const res = await client.agent
        .patch('/api/me')
        .set('x-csrf-token', client.csrf)
        .set('Origin', 'https://evil.example')
        .send({ language: 'en' });
      const login = await request(h.url)
        .post('/api/auth/login')
        .set('Origin', 'https://evil.example')
        .send({ username: 'amina', password: PASSWORD });
      // then
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('RV_ERR_CSRF');
      expect(login.status).to.equal(403);
    });

    it('should accept a write with the token from a trusted origin or from a non-browser client', async () => {
      // given
      const client = await h.signIn('amina');
      // when
      const browser = await client.patch('/api/me', { language: 'fa' });
      const curl = await client.agent
        .patch('/api/me')
        .set('x-csrf-token', client.csrf)
        .send({ language: 'fa' });
      // then
      expect(browser.status).to.equal(200);
      expect(curl.status).to.equal(200);
    });
  });

  it('should send security headers and never a stack trace', async () => {
    // when
    const res = await request(h.url).get('/api/nothing-here');
    // then
    expect(res.status).to.equal(404);
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.include("default-src 'self'");
    expect(res.headers).not.to.have.property('x-powered-by');
    expect(res.body).to.have.keys('code', 'message');
    expect(JSON.stringify(res.body)).not.to.match(/\bat .*\.ts:\d+/);
  });

  describe('the periodic session sweep', () => {
    let swept: Harness;

    before(async () => {
      swept = await startHarness({ http: { sessionSweepMs: 50 } });
      await swept.user('temp', ['staff']);
    });

    after(async () => {
      await swept.close();
    });

    it('should remove expired sessions on its own (FerretDB has no TTL indexes)', async () => {
      // given
      await swept.signIn('temp');
      await swept.signIn('temp');
      const sessions = sessionModel(swept.db.conn);
      await sessions.updateOne({ userId: 'temp' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      // when
      const remaining = await waitUntil(async () => {
        const n = await sessions.countDocuments({ userId: 'temp' });
        return n === 1 ? n : undefined;
      }, 'the sweep');
      // then
      expect(remaining).to.equal(1);
    });
  });

  describe('many user names from one address', () => {
    let fresh: Harness;

    before(async () => {
      fresh = await startHarness({ http: { loginRateLimit: { windowMs: 60_000, limit: 3 } } });
    });

    after(async () => {
      await fresh.close();
    });

    it('should rate-limit one address trying many user names', async () => {
      // given: 15 failures (5 × the per-name limit), each with another name
      for (let i = 0; i < 15; i++) {
        await request(fresh.url)
          .post('/api/auth/login')
          .send({ username: `guess-${i}`, password: 'wrong-password' });
      }
      // when
      const blocked = await request(fresh.url)
        .post('/api/auth/login')
        .send({ username: 'guess-99', password: 'x' });
      // then
      expect(blocked.status).to.equal(429);
    });
  });
});
