import { expect } from 'chai';
import type { InstanceSummary } from '../../server/engine/types.js';
import type { LintIssue } from '../../schemas/model-lint/lint-messages.js';
import { ApiClient, engine, fixture, startHarness, type Harness } from './harness.js';

/** http-approval without the Dari name of `confirm`, with an unknown group and an unparsable due date. */
function brokenApproval(): string {
  return fixture('http-approval')
    .replace(
      /(<bpmn:userTask id="confirm"[\s\S]*?<camunda:property name="name-fa" value=")[^"]*(" \/>)/,
      '$1$2',
    )
    .replace(
      'id="confirm" name="Confirm" camunda:candidateGroups="plan-policy"',
      'id="confirm" name="Confirm" camunda:candidateGroups="no-such-group"',
    )
    .replace('camunda:dueDate="=addDuration(now(), &#34;P1D&#34;)"', 'camunda:dueDate="=addDuration(now(,"');
}

describe('http/model-gate (lint on deploy, lint context, draft impact)', () => {
  let h: Harness;
  let maya: ApiClient;
  let amina: ApiClient;

  before(async () => {
    h = await startHarness({ runtime: engine() });
    await h.user('maya', ['manager'], ['plan-policy']);
    await h.user('amina', ['staff'], ['plan-policy']);
    [maya, amina] = await Promise.all(['maya', 'amina'].map((u) => h.signIn(u)));
  });

  after(() => h.close());

  it('should refuse a diagram with lint errors with 422 and the list, in Dari and English, and deploy nothing', async () => {
    // when
    const res = await maya.agent
      .post('/api/definitions')
      .set('x-csrf-token', maya.csrf)
      .set('Content-Type', 'application/xml')
      .send(
        brokenApproval()
          .replace('id="http-approval"', 'id="http-gated"')
          .replace('bpmnElement="http-approval"', 'bpmnElement="http-gated"'),
      );
    const check = await maya.agent
      .post('/api/definitions/validate')
      .set('x-csrf-token', maya.csrf)
      .set('Content-Type', 'application/xml')
      .send(brokenApproval());
    // then
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body.code).to.equal('RV_ERR_MODEL_LINT');
    const issues = res.body.details.issues as LintIssue[];
    const byRule = (rule: string) => issues.filter((i) => i.rule === rule).map((i) => i.elementId);
    expect(byRule('ravand/dari-name')).to.deep.equal(['confirm']);
    expect(byRule('ravand/candidate-groups')).to.deep.equal(['confirm']);
    expect(byRule('ravand/feel-syntax')).to.deep.equal(['review']);
    for (const i of issues) {
      expect(i.category).to.equal('error');
      expect(i.message.fa).to.match(/[\u0600-\u06FF]/);
      expect(i.message.en).to.match(/[A-Za-z]/);
    }
    expect(check.status).to.equal(422);
    expect((check.body.details.issues as LintIssue[]).length).to.equal(issues.length);
    expect((await h.runtime!.listDefinitions()).map((d) => d.key)).not.to.include('http-gated');
  });

  it('should tell managers the groups and forms the rules check against, and nobody else', async () => {
    // when
    const res = await maya.get('/api/definitions/lint-context');
    const staff = await amina.get('/api/definitions/lint-context');
    // then
    expect(res.status).to.equal(200);
    expect(res.body.groups).to.include('plan-policy');
    expect(res.body.forms).to.include('http-approval');
    expect(staff.status).to.equal(403);
  });

  it('should count the running instances a draft affects and say which cannot migrate', async () => {
    // given: one instance waiting in review, one moved on to confirm
    const deployed = await maya.agent
      .post('/api/definitions')
      .set('x-csrf-token', maya.csrf)
      .set('Content-Type', 'application/xml')
      .send(fixture('http-approval'));
    expect(deployed.status, JSON.stringify(deployed.body)).to.be.oneOf([200, 201]);
    const start = async () =>
      (await maya.post('/api/instances', { key: 'http-approval', variables: {} })).body as InstanceSummary;
    const atReview = await start();
    const atConfirm = await start();
    const [review] = (await h.runtime!.listTasks({ instanceId: atConfirm.id })).items;
    await h.runtime!.completeTask(
      review!.id,
      { decision: 'approve' },
      { id: 'maya', groups: ['plan-policy'], roles: ['manager'] },
    );
    // when: a draft without the confirm task (review goes straight to the end)
    const draft = fixture('http-approval')
      .replace(/<bpmn:userTask id="confirm"[\s\S]*?<\/bpmn:userTask>/, '')
      .replace('<bpmn:sequenceFlow id="flow-review-confirm" sourceRef="review" targetRef="confirm" />', '')
      .replace('sourceRef="confirm" targetRef="end"', 'sourceRef="review" targetRef="end"');
    const res = await maya.agent
      .post('/api/definitions/impact')
      .set('x-csrf-token', maya.csrf)
      .set('Content-Type', 'application/xml')
      .send(draft);
    // then
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.key).to.equal('http-approval');
    expect(res.body.running).to.equal(2);
    expect(res.body.migratable).to.equal(1);
    const item = (id: string) =>
      (res.body.items as Array<{ id: string; canMigrate: boolean; missing: string[] }>).find(
        (i) => i.id === id,
      );
    expect(item(atReview.id)).to.include({ canMigrate: true });
    expect(item(atConfirm.id)).to.deep.include({ canMigrate: false, missing: ['confirm'] });
  });
});
