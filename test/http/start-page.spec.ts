import { expect } from 'chai';
import { solarHijriYear } from '../../server/engine/calendar.js';
import { readProcessModel } from '../../server/engine/process-attributes.js';
import type { Capabilities, StartableProcess, TaskRecord } from '../../server/engine/types.js';
import { mayCall } from '../../server/policy/access-matrix.js';
import { readProcessFiles } from '../../server/seed/deploy-processes.js';
import { demoUsers, groups as organisationGroups, provinces } from '../../server/seed/organisation.js';
import type { ApiClient, Harness } from './harness.js';
import { POLICY_REQUEST, PROPOSAL, officeHarness, work } from './office-harness.js';

describe('http/start page: starters, start forms, references, capabilities', () => {
  let h: Harness;
  let as: (user: string) => Promise<ApiClient>;

  before(async function () {
    this.timeout(120_000);
    ({ h, as } = await officeHarness());
  });

  after(async () => {
    await h.close();
  });

  it('should list only the processes a user may start, with their start form and reference pattern', async () => {
    // given
    const officer = await as('plan-policy.officer');
    const legal = await as('legal.officer');
    // when
    const mine = (await officer.get('/api/startable')).body.items as StartableProcess[];
    const theirs = (await legal.get('/api/startable')).body.items as StartableProcess[];
    // then
    const policy = mine.find((p) => p.key === 'policy-approval')!;
    expect(policy.startFormKey).to.equal('policy-request');
    expect((policy.startForm as { required: string[] }).required).to.include('title');
    expect(policy.referencePreview).to.equal(`POL-${solarHijriYear(new Date())}-###`);
    expect(mine.map((p) => p.key)).to.include('trip-authorization');
    expect(theirs.map((p) => p.key)).to.include('trip-authorization');
    expect(theirs.map((p) => p.key)).to.not.include('policy-approval');
  });

  it('should refuse a start by a user outside the starter groups with 403 RV_ERR_NOT_A_STARTER', async () => {
    // given
    const legal = await as('legal.officer');
    // when
    const res = await legal.post('/api/instances', { key: 'policy-approval', variables: POLICY_REQUEST });
    // then
    expect(res.status).to.equal(403);
    expect(res.body.code).to.equal('RV_ERR_NOT_A_STARTER');
    expect(res.body.message.fa).to.be.a('string').and.not.equal('');
  });

  it('should check the start variables against the start form with 422 and per-field errors', async () => {
    // given
    const officer = await as('plan-policy.officer');
    // when
    const res = await officer.post('/api/instances', {
      key: 'policy-approval',
      variables: { title: 'x', policyType: 'forever', changeType: 'amendment' },
    });
    // then
    expect(res.status).to.equal(422);
    expect(res.body.code).to.equal('RV_ERR_FORM_INVALID');
    const fields = (res.body.details.errors as { field: string }[]).map((e) => e.field);
    expect(fields).to.include.members(['policyType', 'reason', 'amendedPolicyNumber']);
  });

  it('should give concurrent starts distinct consecutive references from the pattern, and the first task to its starter', async () => {
    // given
    const officer = await as('plan-policy.officer');
    const year = solarHijriYear(new Date());
    // when: five starts at once
    const res = await Promise.all(
      Array.from({ length: 5 }, () =>
        officer.post('/api/instances', { key: 'policy-approval', variables: POLICY_REQUEST }),
      ),
    );
    // then
    for (const r of res) expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const keys = res.map((r) => r.body.businessKey as string).sort();
    expect(keys).to.deep.equal([1, 2, 3, 4, 5].map((n) => `POL-${year}-00${n}`));
    const first = await officer.get(`/api/tasks/${res[0]!.body.firstTaskId}`);
    expect(first.status).to.equal(200);
    expect((first.body as TaskRecord).elementId).to.equal('draft-policy');
    expect(res[0]!.body.directorate).to.equal('plan-policy');
  });

  it('should refuse starts by offices outside the starters of each process', async () => {
    // given
    const planning = await as('plan-policy.officer');
    const publicInfo = await as('public-info.officer');
    // when
    const info = await planning.post('/api/instances', { key: 'access-to-information', variables: {} });
    const coop = await publicInfo.post('/api/instances', { key: 'international-cooperation', variables: {} });
    // then
    expect(info.status).to.equal(403);
    expect(coop.status).to.equal(403);
  });

  it('should keep a reference given by the starter and give no first task that is not theirs', async () => {
    // given: a media item's first task is Public Information's, the deputy starts it
    const deputy = await as('deputy');
    // when
    const res = await deputy.post('/api/instances', {
      key: 'media-publication',
      businessKey: 'MED-OWN-1',
      variables: { itemType: 'news', title: 'Results', urgency: 'normal', brief: 'Final results are out.' },
    });
    // then
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.businessKey).to.equal('MED-OWN-1');
    expect(res.body).to.not.have.property('firstTaskId');
    expect(res.body.directorate).to.equal('public-info');
  });

  it('should tell each role what it can do', async () => {
    // given
    const who = [
      'plan-policy.officer',
      'plan-policy.head',
      'deputy',
      'chair',
      'auditor',
      'admin',
      'kab.head',
    ];
    // when
    const caps = new Map<string, Capabilities>();
    for (const id of who) caps.set(id, (await (await as(id)).get('/api/me')).body.capabilities);
    // then
    expect(caps.get('plan-policy.officer')).to.deep.include({
      canStart: true,
      hasInbox: true,
      canSearch: false,
    });
    expect(caps.get('plan-policy.head')).to.deep.include({ canStart: true, hasInbox: true, canModel: true });
    expect(caps.get('deputy')).to.deep.include({ hasInbox: true, canDashboard: true, canStart: true });
    expect(caps.get('chair')).to.deep.equal({
      canStart: false,
      hasInbox: true,
      canModel: false,
      canDashboard: true,
      canAudit: false,
      canSearch: true,
    });
    expect(caps.get('auditor')).to.deep.equal({
      canStart: false,
      hasInbox: false,
      canModel: false,
      canDashboard: false,
      canAudit: true,
      canSearch: true,
    });
    expect(caps.get('admin')).to.deep.include({ canStart: true, hasInbox: true, canAudit: true });
    expect(caps.get('kab.head')).to.deep.include({ hasInbox: true, canStart: false });
  });

  it('should offer every user task of the eight processes to a group with a demo user who has the inbox and may work it', async function () {
    this.timeout(120_000);
    // given: the models' offers and the demo accounts
    const users = demoUsers();
    const members = (group: string) => users.filter((u) => u.groups.includes(group));
    const offices = organisationGroups.filter((g) => g.kind !== 'leadership' && g.kind !== 'province');
    const problems: string[] = [];
    const checked = new Map<string, boolean>();
    /** Whether one of the group's demo users has the inbox and may claim, complete and comment. */
    const workable = async (group: string) => {
      if (checked.has(group)) return checked.get(group)!;
      let ok = false;
      for (const u of members(group)) {
        const me = (await (await as(u.username)).get('/api/me')).body as { capabilities: Capabilities };
        const may = ['claimTask', 'completeTask', 'addComment'].every((op) => mayCall(op, u.roles));
        if (me.capabilities.hasInbox && may) ok = true;
      }
      checked.set(group, ok);
      return ok;
    };
    // when
    for (const file of readProcessFiles()) {
      const model = await readProcessModel(file.xml);
      for (const task of model.userTasks) {
        const groups = [...task.candidateGroups];
        for (const expr of task.dynamic) {
          // computed groups: a province's office, or any central office a form lets the user pick
          if (expr.includes('"province-"')) groups.push(...provinces.map((p) => `province-${p.code}`));
          else groups.push(...offices.map((g) => g.id));
        }
        if (groups.length === 0 && task.candidateUsers.length === 0)
          problems.push(`${model.key}/${task.id}: offered to nobody`);
        for (const g of groups)
          if (!(await workable(g))) problems.push(`${model.key}/${task.id}: nobody in ${g} can work it`);
      }
    }
    // then
    expect(problems).to.deep.equal([]);
    expect(checked.size).to.be.greaterThan(40);
  });

  it('should let the deputy and the chair claim, comment on and complete the tasks offered to them', async function () {
    this.timeout(60_000);
    // given: a cooperation proposal, assessed by Foreign Relations
    const fr = await as('foreign-relations.officer');
    const started = await fr.post('/api/instances', {
      key: 'international-cooperation',
      variables: PROPOSAL,
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const id = started.body.id as string;
    expect(started.body.businessKey).to.match(/^COOP-\d{4}-001$/);
    await work(fr, id, 'assess-proposal', {
      relevance: 'high',
      assessment: 'Matches the training plan.',
      recommendation: 'support',
    });
    // when: the deputy (a manager) decides, Foreign Relations drafts, the chair (leadership) signs
    await work(await as('deputy'), id, 'decide-cooperation', { decision: 'approve' });
    await work(fr, id, 'draft-support-letter', {
      letterLanguage: 'en',
      addressee: 'The Country Director',
      subject: 'Letter of support',
      body: 'The Commission supports the proposal.',
    });
    const chair = await as('chair');
    const signed = await work(chair, id, 'sign-support-letter', { decision: 'sign' }, 'Signed in session.');
    // then
    expect(signed.endedBy).to.equal('chair');
    const comments = await chair.get(`/api/instances/${id}/comments`);
    expect(comments.body.items.map((c: { author: string }) => c.author)).to.include('chair');
  });
});
