import path from 'node:path';
import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import { createOfficeServices } from '../../server/engine/services/office-services.js';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import { projectRoot } from '../../server/project-root.js';
import { deployProcesses } from '../../server/seed/deploy-processes.js';
import { ApiClient, ORIGIN, PASSWORD, startHarness, type Harness } from './harness.js';
import { officeRuntime } from './office-harness.js';

describe('http/directory-handlers', () => {
  let h: Harness;
  let staff: ApiClient;

  before(async function () {
    this.timeout(60_000);
    h = await startHarness({
      runtime: officeRuntime(createOfficeServices(), path.join(projectRoot(), 'schemas', 'forms')),
      formsDir: path.join(projectRoot(), 'schemas', 'forms'),
    });
    await h.groups.insertMissing([
      {
        id: 'commission-secretariat',
        kind: 'unit',
        name: { fa: 'دارالانشای کمیسیون', en: 'Commission Secretariat' },
      },
    ]);
    await h.user('admin', ['admin']);
    await h.user('secretary', ['staff'], ['commission-secretariat']);
    await h.user('aud', ['auditor']);
    staff = await h.signIn('secretary');
    await deployProcesses(h.runtime!);
  });

  after(async () => {
    await h.close();
  });

  it('should give every signed-in user display names of people, groups and provinces, and nothing more of accounts', async () => {
    // given
    const auditor = await h.signIn('aud');
    // when
    const res = await auditor.get('/api/directory');
    // then
    expect(res.status).to.equal(200);
    const body = res.body as {
      users: Array<Record<string, unknown>>;
      groups: Array<{ id: string; name: { fa: string; en: string } }>;
      provinces: Array<{ code: string; name: { fa: string; en: string } }>;
      holidays: string[];
    };
    expect(body.users.find((u) => u.id === 'secretary')).to.deep.equal({
      id: 'secretary',
      name: { fa: 'کاربر secretary', en: 'User secretary' },
      active: true,
    });
    expect(body.groups.find((g) => g.id === 'commission-secretariat')?.name.en).to.equal(
      'Commission Secretariat',
    );
    expect(body.provinces).to.have.length(34);
    expect(body.provinces.find((p) => p.code === 'bds')?.name).to.deep.equal({
      fa: 'بدخشان',
      en: 'Badakhshan',
    });
    expect(body.holidays).to.be.an('array');
  });

  it('should refuse the directory without a session', async () => {
    // when
    const res = await new ApiClient(h.url).get('/api/directory');
    // then
    expect(res.status).to.equal(401);
  });

  it('should tell every signed-in socket that the directory changed when an account is added', async () => {
    // given
    const socket = connect(h.url, {
      transports: ['websocket'],
      extraHeaders: { cookie: staff.cookie, origin: ORIGIN },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const changed = new Promise<{ what: string }>((resolve) => socket.once('directory:changed', resolve));
    const admin = await h.signIn('admin');
    // when
    const res = await admin.post('/api/users', {
      id: 'new.officer',
      name: { fa: 'افسر نو', en: 'New Officer' },
      password: `${PASSWORD}-Aa1!`,
      roles: ['staff'],
      groups: [],
    });
    // then
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((await changed).what).to.equal('users');
    socket.close();
  });

  it('should answer 422 naming the field when a Solar Hijri year is sent as a Gregorian date', async () => {
    // given a policy waiting for the commission's decision
    const runtime = h.runtime!;
    const instance = await runtime.start(
      { key: 'policy-approval', businessKey: 'POL-1405-007', variables: {} },
      SYSTEM_ACTOR,
    );
    const step = async (data: Record<string, unknown>) => {
      const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
      await runtime.completeTask(task!.id, data, SYSTEM_ACTOR);
    };
    await step({
      title: 'Complaint intake policy',
      policyType: 'strategic',
      changeType: 'new',
      summary: 'How complaints are registered.',
      policyText: 'Every complaint is registered within one working day.',
    });
    await step({ decision: 'approve' });
    await step({ decision: 'approve', comments: 'Consistent with the law.' });
    await step({ decision: 'approve' });
    const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
    expect(task!.elementId).to.equal('record-commission-decision');
    // when
    const res = await staff.post(`/api/tasks/${task!.id}/complete`, {
      data: {
        commissionDecision: 'approved',
        sessionDate: '1405-09-15',
        resolutionNumber: '45',
        effectiveDate: '2026-12-21',
      },
    });
    // then
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    const body = res.body as {
      code: string;
      details: { errors: Array<{ field: string; message: { fa: string; en: string } }> };
    };
    expect(body.code).to.equal('RV_ERR_FORM_INVALID');
    const error = body.details.errors.find((e) => e.field === 'sessionDate');
    expect(error?.message.fa).to.contain('تاریخ جلسه');
    expect(error?.message.en).to.contain('Session date');
    expect((await runtime.listTasks({ instanceId: instance.id })).items.map((t) => t.id)).to.deep.equal([
      task!.id,
    ]);
  });
});
