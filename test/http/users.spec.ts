import { expect } from 'chai';
import request from 'supertest';
import { groups as organisationGroups } from '../../server/seed/organisation.js';
import { ApiClient, PASSWORD, startHarness, type Harness } from './harness.js';

describe('http/users (me, users, groups, forms, health)', () => {
  let h: Harness;
  let admin: ApiClient;
  let staff: ApiClient;

  before(async () => {
    h = await startHarness();
    await h.groups.insertMissing(organisationGroups.map((g) => ({ ...g })));
    await h.user('root', ['admin']);
    await h.user('sara', ['staff'], ['plan-policy', 'province-kab']);
    admin = await h.signIn('root');
    staff = await h.signIn('sara');
  });

  after(async () => {
    await h.close();
  });

  it('should answer GET /healthz without a session', async () => {
    // when
    const res = await request(h.url).get('/healthz');
    // then
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', database: 'up' });
  });

  it('should show me with my groups named in both languages', async () => {
    // when
    const res = await staff.get('/api/me');
    // then
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: 'sara', language: 'fa' });
    expect(res.body.roles).to.deep.equal(['staff']);
    const kabul = res.body.groups.find((g: { id: string }) => g.id === 'province-kab');
    expect(kabul).to.deep.include({ kind: 'province', province: 'kab' });
    expect(kabul.name).to.have.keys('fa', 'en');
  });

  it('should list the groups, with the 34 provincial offices', async () => {
    // when
    const res = await staff.get('/api/groups');
    // then
    expect(res.status).to.equal(200);
    expect(res.body.items.filter((g: { kind: string }) => g.kind === 'province')).to.have.length(34);
  });

  it('should let an administrator create, list and deactivate an account', async () => {
    // when
    const created = await admin.post('/api/users', {
      id: 'new.officer',
      name: { fa: 'کارمند نو', en: 'New officer' },
      password: 'a-fine-long-password',
      roles: ['staff'],
      groups: ['plan-policy'],
      language: 'en',
    });
    const listed = await admin.get('/api/users');
    const signedIn = new ApiClient(h.url);
    await signedIn.login('new.officer', 'a-fine-long-password');
    const deactivated = await admin.patch('/api/users/new.officer', { active: false });
    // then
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ id: 'new.officer', active: true, language: 'en' });
    expect(created.body).not.to.have.property('passwordHash');
    expect(listed.body.items.map((u: { id: string }) => u.id)).to.include('new.officer');
    expect(JSON.stringify(listed.body)).not.to.include('argon2');
    expect(deactivated.status).to.equal(200);
    expect(deactivated.body.active).to.equal(false);
    expect((await signedIn.get('/api/me')).status).to.equal(401);
    const again = await request(h.url)
      .post('/api/auth/login')
      .send({ username: 'new.officer', password: 'a-fine-long-password' });
    expect(again.status).to.equal(401);
  });

  it('should refuse a taken user name, an unknown group and a weak password', async () => {
    // when
    const taken = await admin.post('/api/users', {
      id: 'sara',
      name: { fa: 'س', en: 'S' },
      password: PASSWORD,
      roles: ['staff'],
      groups: [],
    });
    const group = await admin.post('/api/users', {
      id: 'x.y',
      name: { fa: 'س', en: 'S' },
      password: PASSWORD,
      roles: ['staff'],
      groups: ['no-such-group'],
    });
    const weak = await admin.post('/api/users', {
      id: 'x.z',
      name: { fa: 'س', en: 'S' },
      password: 'short',
      roles: ['staff'],
      groups: [],
    });
    const missing = await admin.patch('/api/users/nobody', { active: false });
    // then
    expect([taken.status, taken.body.code]).to.deep.equal([409, 'RV_ERR_USER_EXISTS']);
    expect([group.status, group.body.code]).to.deep.equal([400, 'RV_ERR_UNKNOWN_GROUP']);
    expect([weak.status, weak.body.code]).to.deep.equal([400, 'RV_ERR_WEAK_PASSWORD']);
    expect([missing.status, missing.body.code]).to.deep.equal([404, 'RV_ERR_USER_NOT_FOUND']);
  });

  it('should serve a task form schema and 404 an unknown one', async () => {
    // when
    const form = await staff.get('/api/forms/http-approval');
    const unknown = await staff.get('/api/forms/no-such-form');
    // then
    expect(form.status).to.equal(200);
    expect(form.body['x-title']).to.deep.equal({ fa: 'تأیید آزمایشی', en: 'Test approval' });
    expect(unknown.status).to.equal(404);
  });

  it('should answer an empty catch-up when nothing happened', async () => {
    // when
    const res = await staff.get('/api/events?after=0');
    // then
    expect(res.status).to.equal(200);
    // accounts created above sent directory:changed, which is numbered but never replayed
    expect(res.body).to.include({ reset: false });
    expect(res.body.items).to.deep.equal([]);
    expect(res.body.lastSeq).to.be.a('number');
  });
});
