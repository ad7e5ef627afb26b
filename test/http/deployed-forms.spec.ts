import { expect } from 'chai';
import type { TaskRecord } from '../../server/engine/types.js';
import { engine, leaveProcess, startHarness, type ApiClient, type Harness } from './harness.js';

/** A designed form: days (1–`maxDays`) required, a reason, and a note shown only when a reason is chosen. */
function leaveForm(maxDays: number, title = 'Leave') {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    'x-title': { fa: 'رخصتی', en: title },
    properties: {
      days: { type: 'integer', minimum: 1, maximum: maxDays, 'x-label': { fa: 'روزها', en: 'Days' } },
      reason: {
        type: 'string',
        enum: ['sick', 'family'],
        'x-label': { fa: 'دلیل', en: 'Reason' },
        'x-enum-labels': { sick: { fa: 'مریضی', en: 'Sickness' }, family: { fa: 'فامیلی', en: 'Family' } },
      },
      note: {
        type: 'string',
        maxLength: 200,
        'x-label': { fa: 'یادداشت', en: 'Note' },
        'x-show-if': { field: 'reason' },
      },
    },
    required: ['days'],
    additionalProperties: false,
  };
}

describe('http/form-handlers (forms deployed with their process)', () => {
  let h: Harness;
  let manager: ApiClient;
  let staff: ApiClient;

  before(async function () {
    this.timeout(120_000);
    h = await startHarness({ runtime: engine() });
    await h.user('dawood', ['manager'], ['plan-policy']);
    await h.user('amina', ['staff'], ['plan-policy']);
    [manager, staff] = await Promise.all([h.signIn('dawood'), h.signIn('amina')]);
  });

  after(async () => {
    await h.close();
  });

  async function openTaskOf(instanceId: string): Promise<TaskRecord> {
    const tasks = await staff.get(`/api/tasks?instanceId=${instanceId}`).expect(200);
    return (tasks.body.items as TaskRecord[])[0]!;
  }

  it('should deploy a process with its form and validate task data against that form', async () => {
    // given
    const res = await manager
      .post('/api/definitions', {
        xml: leaveProcess('leave-note', 'leave-days'),
        forms: { 'leave-days': leaveForm(10) },
      })
      .expect(201);
    expect(res.body.definition).to.include({ key: 'leave-note', version: 1 });
    expect(res.body.definition.formKeys).to.deep.equal(['leave-days']);
    const started = await staff.post('/api/instances', { key: 'leave-note' }).expect(201);
    const task = await openTaskOf(started.body.id as string);
    // when
    const bad = await staff.post(`/api/tasks/${task.id}/complete`, { data: { days: 11 } }).expect(422);
    const good = await staff.post(`/api/tasks/${task.id}/complete`, { data: { days: 10 } });
    // then
    expect(bad.body.code).to.equal('RV_ERR_FORM_INVALID');
    expect(bad.body.details.errors).to.deep.include({
      field: 'days',
      keyword: 'maximum',
      message: { fa: 'مقدار باید حداکثر 10 باشد.', en: 'The value must be at most 10.' },
    });
    expect(good.status).to.equal(200);
  });

  it('should keep the form of its version for a running instance after a new version changes the form', async () => {
    // given an instance of the version whose form allows 10 days
    const v1 = await manager.get('/api/definitions/leave-note/versions').expect(200);
    const before = (v1.body.items as Array<{ version: number }>)[0]!.version;
    const old = await staff.post('/api/instances', { key: 'leave-note' }).expect(201);
    const oldTask = await openTaskOf(old.body.id as string);
    // when a new version allows at most 3 days
    const next = await manager
      .post('/api/definitions', {
        xml: leaveProcess('leave-note', 'leave-days'),
        forms: { 'leave-days': leaveForm(3, 'Short leave') },
      })
      .expect(201);
    const fresh = await staff.post('/api/instances', { key: 'leave-note' }).expect(201);
    const freshTask = await openTaskOf(fresh.body.id as string);
    // then each instance is held to its own version's form, on the server and in what the client is served
    expect(next.body.definition.version).to.equal(before + 1);
    expect(freshTask.definitionVersion).to.equal(before + 1);
    await staff.post(`/api/tasks/${freshTask.id}/complete`, { data: { days: 5 } }).expect(422);
    await staff.post(`/api/tasks/${oldTask.id}/complete`, { data: { days: 5 } }).expect(200);
    const served = await staff.get(`/api/forms/leave-days?definition=leave-note:${before}`).expect(200);
    expect(served.body.properties.days.maximum).to.equal(10);
    const servedNew = await staff
      .get(`/api/forms/leave-days?definition=leave-note:${before + 1}`)
      .expect(200);
    expect(servedNew.body.properties.days.maximum).to.equal(3);
  });

  it('should keep the forms of the previous version when only the diagram is deployed again', async () => {
    // given
    const latest = (await manager.get('/api/definitions/leave-note/versions').expect(200)).body.items[0];
    // when the modeller deploys a redrawn diagram as plain XML
    const res = await manager
      .post('/api/definitions')
      .set('content-type', 'application/xml')
      .send(leaveProcess('leave-note', 'leave-days', 'Record the leave days'))
      .expect(201);
    // then the new version still has the form, unchanged
    expect(res.body.definition.version).to.equal(latest.version + 1);
    expect(res.body.definition.formKeys).to.deep.equal(['leave-days']);
    const served = await staff
      .get(`/api/forms/leave-days?definition=leave-note:${res.body.definition.version as number}`)
      .expect(200);
    expect(served.body['x-title'].en).to.equal('Short leave');
  });

  it('should refuse with 422 and the list a deployment whose form breaks JSON Schema or the conventions', async () => {
    // given
    const broken = {
      ...leaveForm(5),
      properties: { days: { type: 'integr', 'x-label': { fa: 'روز', en: 'Days' } } },
    };
    const unlabelled = { ...leaveForm(5) };
    unlabelled.properties = { ...unlabelled.properties, note: { type: 'string', maxLength: 10 } as never };
    const versionsBefore = (await manager.get('/api/definitions/leave-note/versions').expect(200)).body.items
      .length;
    // when
    const meta = await manager
      .post('/api/definitions', {
        xml: leaveProcess('leave-note', 'bad-form'),
        forms: { 'bad-form': broken },
      })
      .expect(422);
    const convention = await manager
      .post('/api/definitions', {
        xml: leaveProcess('leave-note', 'no-label'),
        forms: { 'no-label': unlabelled },
      })
      .expect(422);
    // then
    expect(meta.body.code).to.equal('RV_ERR_FORM_SCHEMA_INVALID');
    expect(meta.body.details.errors[0]).to.include({ formKey: 'bad-form' });
    expect(convention.body.details.errors).to.deep.include({
      formKey: 'no-label',
      path: '/properties/note',
      message: {
        fa: 'خانه باید نامی به دری و انگلیسی داشته باشد (x-label).',
        en: 'A field needs a Dari and an English label (x-label).',
      },
    });
    const versionsAfter = (await manager.get('/api/definitions/leave-note/versions').expect(200)).body.items
      .length;
    expect(versionsAfter).to.equal(versionsBefore);
  });

  it('should refuse a diagram naming a form neither deployed with it nor in the repository', async () => {
    // when
    const res = await manager.post('/api/definitions', { xml: leaveProcess('leave-note', 'nowhere-form') });
    // then
    expect(res.status).to.equal(422);
    expect(res.body.code).to.equal('RV_ERR_MODEL_LINT');
    expect(JSON.stringify(res.body.details.issues)).to.contain('nowhere-form');
  });

  it('should use a start form deployed with its process on the start page and when starting', async () => {
    // given a process whose start event uses a designed form
    const xml = leaveProcess('leave-start', 'leave-days')
      .replace(
        '<bpmn:startEvent id="start" />',
        '<bpmn:startEvent id="start" camunda:formKey="leave-start-form" />',
      )
      .replace(
        '<camunda:property name="name-fa" value="یادداشت رخصتی" />',
        '<camunda:property name="name-fa" value="یادداشت رخصتی" /><camunda:property name="starter-groups" value="plan-policy" />',
      );
    await manager
      .post('/api/definitions', {
        xml,
        forms: { 'leave-days': leaveForm(10), 'leave-start-form': leaveForm(2, 'Start a leave') },
      })
      .expect(201);
    // when
    const startable = await staff.get('/api/startable').expect(200);
    const tooLong = await staff.post('/api/instances', { key: 'leave-start', variables: { days: 3 } });
    const fine = await staff.post('/api/instances', { key: 'leave-start', variables: { days: 2 } });
    // then
    const item = (
      startable.body.items as Array<{ key: string; startForm?: { 'x-title'?: { en: string } } }>
    ).find((p) => p.key === 'leave-start');
    expect(item?.startForm?.['x-title']?.en).to.equal('Start a leave');
    expect(tooLong.status).to.equal(422);
    expect(tooLong.body.code).to.equal('RV_ERR_FORM_INVALID');
    expect(fine.status).to.equal(201);
  });

  it('should list the forms available to a definition with titles and fields in both languages', async () => {
    // when
    const own = await manager.get('/api/forms?definition=leave-note').expect(200);
    const all = await manager.get('/api/forms').expect(200);
    const denied = await staff.get('/api/forms');
    // then
    const leave = (own.body.items as Array<Record<string, unknown>>).find((f) => f.key === 'leave-days');
    expect(leave).to.deep.include({ source: 'deployment', title: { fa: 'رخصتی', en: 'Short leave' } });
    expect(leave!.fields).to.deep.equal([
      { name: 'days', label: { fa: 'روزها', en: 'Days' }, type: 'integer', kind: 'integer', required: true },
      {
        name: 'reason',
        label: { fa: 'دلیل', en: 'Reason' },
        type: 'string',
        kind: 'choice',
        required: false,
      },
      { name: 'note', label: { fa: 'یادداشت', en: 'Note' }, type: 'string', kind: 'string', required: false },
    ]);
    const keys = (all.body.items as Array<{ key: string; source: string }>).map(
      (f) => `${f.source}:${f.key}`,
    );
    expect(keys).to.include.members(['deployment:leave-days', 'repository:http-approval']);
    expect(denied.status).to.equal(403);
  });
});
