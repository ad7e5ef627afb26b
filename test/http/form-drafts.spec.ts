import { expect } from 'chai';
import { engine, leaveProcess, startHarness, type ApiClient, type Harness } from './harness.js';

/** A designed form: days (1–`maxDays`), required. */
function daysForm(maxDays: number) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    'x-title': { fa: 'روزهای رخصتی', en: 'Leave days' },
    properties: {
      days: { type: 'integer', minimum: 1, maximum: maxDays, 'x-label': { fa: 'روزها', en: 'Days' } },
    },
    required: ['days'],
    additionalProperties: false,
  };
}

describe('http/form-draft-handlers (the form designer’s drafts on the server)', () => {
  let h: Harness;
  let manager: ApiClient;
  let otherManager: ApiClient;
  let admin: ApiClient;
  let staff: ApiClient;

  before(async function () {
    this.timeout(120_000);
    h = await startHarness({ runtime: engine() });
    await h.user('dawood', ['manager'], ['plan-policy']);
    await h.user('farid', ['manager'], ['finance']);
    await h.user('root', ['admin']);
    await h.user('amina', ['staff'], ['plan-policy']);
    [manager, otherManager, admin, staff] = await Promise.all(
      ['dawood', 'farid', 'root', 'amina'].map((u) => h.signIn(u)),
    );
  });

  after(async () => {
    await h.close();
  });

  it('should keep a saved draft for every manager, with who saved it and when, and list its title and fields', async () => {
    // when: one manager saves a draft
    const saved = await manager
      .post('/api/form-drafts', { key: 'leave-days', schema: daysForm(10) })
      .expect(200);
    // then: another manager (another browser) lists and opens it
    expect(saved.body).to.include({ key: 'leave-days', updatedBy: 'dawood' });
    const list = await otherManager.get('/api/form-drafts').expect(200);
    expect(list.body.items).to.have.length(1);
    expect(list.body.items[0]).to.deep.include({
      key: 'leave-days',
      title: { fa: 'روزهای رخصتی', en: 'Leave days' },
      updatedBy: 'dawood',
    });
    expect(list.body.items[0].fields).to.deep.equal([
      { name: 'days', label: { fa: 'روزها', en: 'Days' }, type: 'integer', kind: 'integer', required: true },
    ]);
    expect(Date.now() - Date.parse(list.body.items[0].updatedAt as string)).to.be.below(60_000);
    const one = await otherManager.get('/api/form-drafts/leave-days').expect(200);
    expect(one.body.schema).to.deep.equal(daysForm(10));
  });

  it('should replace a draft on a later save and name who saved it last', async () => {
    // when
    await admin.post('/api/form-drafts', { key: 'leave-days', schema: daysForm(20) }).expect(200);
    // then
    const one = await manager.get('/api/form-drafts/leave-days').expect(200);
    expect(one.body).to.include({ updatedBy: 'root' });
    expect(one.body.schema.properties.days.maximum).to.equal(20);
    expect((await manager.get('/api/form-drafts').expect(200)).body.items).to.have.length(1);
  });

  it('should refuse a draft that a deployment would refuse, with the problems in both languages, and keep the last good one', async () => {
    // given: a text field without maxLength and a label only in Dari
    const bad = daysForm(10) as Record<string, unknown> & { properties: Record<string, unknown> };
    bad.properties = { ...bad.properties, note: { type: 'string', 'x-label': { fa: 'یادداشت' } } };
    // when
    const res = await manager.post('/api/form-drafts', { key: 'leave-days', schema: bad }).expect(422);
    // then
    expect(res.body.code).to.equal('RV_ERR_FORM_SCHEMA_INVALID');
    expect(res.body.message).to.have.keys('fa', 'en');
    const problems = res.body.details.errors as Array<{ formKey: string; path: string; message: object }>;
    expect(problems.length).to.be.at.least(1);
    expect(
      problems.every((p) => p.formKey === 'leave-days' && 'fa' in p.message && 'en' in p.message),
    ).to.equal(true);
    const one = await manager.get('/api/form-drafts/leave-days').expect(200);
    expect(one.body.schema.properties).to.not.have.property('note');
  });

  it('should answer 400 to a key that is not a form key and 404 to a draft that does not exist', async () => {
    // when
    const badKey = await manager
      .post('/api/form-drafts', { key: '../etc', schema: daysForm(10) })
      .expect(400);
    const missing = await manager.get('/api/form-drafts/no-such-form').expect(404);
    const missingDelete = await manager.delete('/api/form-drafts/no-such-form').expect(404);
    // then
    expect(badKey.body.code).to.equal('RV_ERR_VALIDATION');
    expect(missing.body.code).to.equal('RV_ERR_NOT_FOUND');
    expect(missingDelete.body.code).to.equal('RV_ERR_NOT_FOUND');
  });

  it('should keep drafts from staff, and discard a draft for everyone', async () => {
    // when / then: staff can neither list nor save
    expect((await staff.get('/api/form-drafts').expect(403)).body.code).to.equal('RV_ERR_FORBIDDEN');
    await staff.post('/api/form-drafts', { key: 'mine', schema: daysForm(3) }).expect(403);
    // when
    await otherManager.delete('/api/form-drafts/leave-days').expect(204);
    // then
    expect((await manager.get('/api/form-drafts').expect(200)).body.items).to.deep.equal([]);
  });

  it("should offer a draft to the modeller's lint rules and close it once a deployment carries it unchanged", async () => {
    // given: a saved draft
    await manager.post('/api/form-drafts', { key: 'leave-days', schema: daysForm(10) }).expect(200);
    const context = await manager.get('/api/definitions/lint-context').expect(200);
    expect(context.body.forms).to.include('leave-days');
    // when: a process deployed with it (as the modeller and the designer send it)
    const res = await manager
      .post('/api/definitions', {
        xml: leaveProcess('leave-draft', 'leave-days'),
        forms: { 'leave-days': daysForm(10) },
      })
      .expect(201);
    // then: the version carries the form and the draft is closed
    expect(res.body.definition.formKeys).to.deep.equal(['leave-days']);
    expect((await manager.get('/api/form-drafts').expect(200)).body.items).to.deep.equal([]);
  });

  it('should keep a draft changed since the form it carries, for the next deployment', async () => {
    // given: the draft allows 20 days, the deployment carries 15
    await manager.post('/api/form-drafts', { key: 'leave-days', schema: daysForm(20) }).expect(200);
    // when
    await manager
      .post('/api/definitions', {
        xml: leaveProcess('leave-draft', 'leave-days', 'Record the leave days'),
        forms: { 'leave-days': daysForm(15) },
      })
      .expect(201);
    // then
    const list = (await manager.get('/api/form-drafts').expect(200)).body.items as Array<{ key: string }>;
    expect(list.map((d) => d.key)).to.deep.equal(['leave-days']);
  });
});
