import { expect } from 'chai';
import type { InstanceSummary, TaskRecord } from '../../server/engine/types.js';
import { ApiClient, engine, fixture, startHarness, waitUntil, type Harness } from './harness.js';

/**
 * The success path of every engine-backed route, with the object-level rules on top of the matrix
 * (task visibility by assignee, candidate users and groups; instance reading for staff).
 */
describe('http/routes (engine-backed)', () => {
  let h: Harness;
  let root: ApiClient;
  let maya: ApiClient;
  let amina: ApiClient;
  let bashir: ApiClient;
  let omar: ApiClient;
  let lena: ApiClient;
  let aud: ApiClient;
  let flakyFails = true;

  before(async () => {
    h = await startHarness({
      runtime: engine({
        'http-flaky': async () => {
          if (flakyFails) throw new Error('the registry is down');
          return { recorded: true };
        },
      }),
    });
    await h.user('root', ['admin']);
    await h.user('maya', ['manager'], ['plan-policy']);
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('bashir', ['staff'], ['plan-policy']);
    await h.user('omar', ['staff'], ['finance']);
    await h.user('lena', ['leadership'], ['leadership']);
    await h.user('aud', ['auditor']);
    [root, maya, amina, bashir, omar, lena, aud] = await Promise.all(
      ['root', 'maya', 'amina', 'bashir', 'omar', 'lena', 'aud'].map((u) => h.signIn(u)),
    );
  });

  after(async () => {
    await h.close();
  });

  async function start(client: ApiClient, key: string, businessKey?: string): Promise<InstanceSummary> {
    const res = await client.post('/api/instances', { key, businessKey, variables: { title: 'Test' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as InstanceSummary;
  }

  async function openTask(instanceId: string, elementId: string): Promise<TaskRecord> {
    const res = await root.get(`/api/tasks?view=all&instanceId=${instanceId}`);
    const task = (res.body.items as TaskRecord[]).find((t) => t.elementId === elementId);
    expect(task, `${elementId} open in ${instanceId}`).not.to.equal(undefined);
    return task!;
  }

  describe('definitions', () => {
    it('should deploy an XML body, then the same file again without a new version', async () => {
      // when
      const first = await maya.agent
        .post('/api/definitions')
        .set('x-csrf-token', maya.csrf)
        .set('Content-Type', 'application/xml')
        .send(fixture('http-approval'));
      const again = await maya.agent
        .post('/api/definitions')
        .set('x-csrf-token', maya.csrf)
        .set('Content-Type', 'application/xml')
        .send(fixture('http-approval'));
      // then
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body.created).to.equal(true);
      expect(first.body.definition).to.include({ key: 'http-approval', version: 1 });
      expect(first.body.definition.name).to.deep.equal({ fa: 'تأیید آزمایشی', en: 'HTTP approval' });
      expect(again.status).to.equal(200);
      expect(again.body.created).to.equal(false);
    });

    it('should deploy a multipart file upload', async () => {
      // when
      const waitRes = await root.agent
        .post('/api/definitions')
        .set('x-csrf-token', root.csrf)
        .attach('file', Buffer.from(fixture('http-wait')), 'http-wait.bpmn');
      const serviceRes = await root.agent
        .post('/api/definitions')
        .set('x-csrf-token', root.csrf)
        .attach('file', Buffer.from(fixture('http-service')), 'http-service.bpmn');
      // then
      expect(waitRes.status, JSON.stringify(waitRes.body)).to.equal(201);
      expect(serviceRes.status, JSON.stringify(serviceRes.body)).to.equal(201);
    });

    it('should validate without deploying, and name what is wrong', async () => {
      // when
      const ok = await maya.agent
        .post('/api/definitions/validate')
        .set('x-csrf-token', maya.csrf)
        .set('Content-Type', 'application/xml')
        .send(
          fixture('http-approval')
            .replace('id="http-approval"', 'id="http-draft"')
            .replace('bpmnElement="http-approval"', 'bpmnElement="http-draft"'),
        );
      const broken = await maya.agent
        .post('/api/definitions/validate')
        .set('x-csrf-token', maya.csrf)
        .set('Content-Type', 'application/xml')
        .send('<bpmn:definitions');
      const list = await lena.get('/api/definitions');
      // then
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body.key).to.equal('http-draft');
      expect(ok.body.elements.map((e: { id: string }) => e.id)).to.include('review');
      expect(broken.status).to.equal(400);
      expect(broken.body.code).to.match(/^RV_ERR_BPMN_/);
      expect(list.body.items.map((d: { key: string }) => d.key))
        .to.include('http-approval')
        .and.not.include('http-draft');
    });

    it('should list versions and serve the XML of one', async () => {
      // when
      const versions = await amina.get('/api/definitions/http-approval/versions');
      const xml = await aud.get('/api/definitions/http-approval/versions/1/xml');
      const unknown = await amina.get('/api/definitions/no-such-process/versions');
      const noVersion = await amina.get('/api/definitions/http-approval/versions/9/xml');
      // then
      expect(versions.status).to.equal(200);
      expect(versions.body.items.map((d: { version: number }) => d.version)).to.deep.equal([1]);
      expect(xml.status).to.equal(200);
      expect(xml.headers['content-type']).to.match(/^application\/xml/);
      expect(xml.text).to.include('id="http-approval"');
      expect(unknown.status).to.equal(404);
      expect(noVersion.status).to.equal(404);
    });
  });

  describe('instances', () => {
    let instance: InstanceSummary;

    before(async () => {
      instance = await start(amina, 'http-approval', 'APR-1');
    });

    it('should start an instance and open its first task for the group', async () => {
      // then
      expect(instance).to.include({
        key: 'http-approval',
        version: 1,
        status: 'running',
        startedBy: 'amina',
        businessKey: 'APR-1',
      });
      const task = await openTask(instance.id, 'review');
      expect(task.candidateGroups).to.deep.equal(['plan-policy']);
    });

    it('should refuse to start an unknown process with 404', async () => {
      // when
      const res = await amina.post('/api/instances', { key: 'no-such-process' });
      // then
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal('RV_ERR_DEFINITION_NOT_FOUND');
    });

    it('should list instances with filters and pagination', async () => {
      // given
      await start(maya, 'http-approval', 'APR-2');
      // when
      const byKey = await lena.get('/api/instances?key=http-approval&status=running&limit=1&skip=0');
      const byBusinessKey = await aud.get('/api/instances?businessKey=APR-1');
      const future = await lena.get(
        `/api/instances?startedAfter=${encodeURIComponent('2999-01-01T00:00:00Z')}`,
      );
      const between = await lena.get(
        `/api/instances?startedAfter=${encodeURIComponent('2000-01-01T00:00:00Z')}&startedBefore=${encodeURIComponent(
          '2999-01-01T00:00:00Z',
        )}&version=1`,
      );
      // then
      expect(byKey.status).to.equal(200);
      expect(byKey.body).to.include({ skip: 0, limit: 1 });
      expect(byKey.body.total).to.be.at.least(2);
      expect(byKey.body.items).to.have.length(1);
      expect(byBusinessKey.body.items.map((i: InstanceSummary) => i.id)).to.deep.equal([instance.id]);
      expect(future.body.total).to.equal(0);
      expect(between.body.total).to.be.at.least(2);
    });

    it('should show the detail to its starter, its group and readers, and 403 to other staff', async () => {
      // when
      const starter = await amina.get(`/api/instances/${instance.id}`);
      const group = await bashir.get(`/api/instances/${instance.id}`);
      const leader = await lena.get(`/api/instances/${instance.id}`);
      const outsider = await omar.get(`/api/instances/${instance.id}`);
      const missing = await lena.get('/api/instances/no-such-instance');
      // then
      expect(starter.status).to.equal(200);
      expect(starter.body.instance.variables).to.deep.include({ title: 'Test' });
      expect(starter.body.openTasks.map((t: TaskRecord) => t.elementId)).to.deep.equal(['review']);
      expect(starter.body.tokens).to.deep.equal([{ elementId: 'review', count: 1 }]);
      expect(starter.body.history).to.deep.equal([]);
      expect(starter.body.comments).to.deep.equal([]);
      expect(group.status).to.equal(200);
      expect(leader.status).to.equal(200);
      expect(outsider.status).to.equal(403);
      expect(missing.status).to.equal(404);
      expect(missing.body.code).to.equal('RV_ERR_INSTANCE_NOT_FOUND');
    });

    it('should suspend, resume and cancel an instance', async () => {
      // given
      const other = await start(amina, 'http-approval');
      // when
      const suspended = await maya.post(`/api/instances/${other.id}/suspend`);
      const resumed = await maya.post(`/api/instances/${other.id}/resume`);
      const cancelled = await root.post(`/api/instances/${other.id}/cancel`, { reason: 'Duplicate request' });
      const again = await root.post(`/api/instances/${other.id}/cancel`, { reason: 'Twice' });
      // then
      expect(suspended.status, JSON.stringify(suspended.body)).to.equal(200);
      expect(suspended.body.status).to.equal('suspended');
      expect(resumed.body.status).to.equal('running');
      expect(cancelled.body).to.include({ status: 'cancelled', cancelReason: 'Duplicate request' });
      expect(again.status).to.equal(409);
    });

    it('should retry an incident once the service is back', async () => {
      // given
      flakyFails = true;
      const failing = await start(amina, 'http-service');
      const failed = await waitUntil(async () => {
        const res = await maya.get(`/api/instances/${failing.id}`);
        return res.body.instance.status === 'failed' ? res.body.instance : undefined;
      }, 'the incident');
      flakyFails = false;
      // when
      const retried = await maya.post(`/api/instances/${failing.id}/retry`);
      const noIncident = await maya.post(`/api/instances/${instance.id}/retry`);
      // then
      expect(failed.incident.elementId).to.equal('record');
      expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
      expect(retried.body.status).to.equal('completed');
      expect(noIncident.status).to.equal(409);
    });

    it('should show the audit trail to readers and verify the chain', async () => {
      // when
      const trail = await aud.get(`/api/instances/${instance.id}/audit`);
      const verified = await aud.get('/api/audit/verify');
      // then
      expect(trail.status).to.equal(200);
      expect(trail.body.items.length).to.be.at.least(1);
      expect(trail.body.items.every((e: { instanceId: string }) => e.instanceId === instance.id)).to.equal(
        true,
      );
      expect(verified.status).to.equal(200);
      expect(verified.body.ok).to.equal(true);
      expect(verified.body.checked).to.be.at.least(trail.body.items.length);
    });
  });

  describe('tasks', () => {
    let instanceId: string;
    let task: TaskRecord;

    before(async () => {
      instanceId = (await start(amina, 'http-approval', 'TSK-1')).id;
      task = await openTask(instanceId, 'review');
    });

    it('should answer the inbox views for the group, and nothing of it to other staff', async () => {
      // when
      const visible = await bashir.get('/api/tasks');
      const group = await bashir.get('/api/tasks?view=group&sort=-priority');
      const byProcess = await bashir.get('/api/tasks?key=http-approval&sort=dueAt&limit=200');
      const outsider = await omar.get('/api/tasks');
      const all = await lena.get('/api/tasks?view=all');
      const staffAll = await bashir.get('/api/tasks?view=all');
      // then
      expect(visible.status).to.equal(200);
      expect(visible.body.items.map((t: TaskRecord) => t.id)).to.include(task.id);
      expect(group.body.items.map((t: TaskRecord) => t.id)).to.include(task.id);
      expect(byProcess.body.items.every((t: TaskRecord) => t.definitionKey === 'http-approval')).to.equal(
        true,
      );
      expect(outsider.body.items).to.deep.equal([]);
      expect(all.body.items.map((t: TaskRecord) => t.id)).to.include(task.id);
      expect(staffAll.status).to.equal(403);
    });

    it('should search the whole inbox by reference, due limit and priority, and refuse bad values', async () => {
      // when
      const byKey = await bashir.get('/api/tasks?q=tsk-1&limit=200');
      const none = await bashir.get('/api/tasks?q=no-such-reference');
      const urgent = await bashir.get('/api/tasks?minPriority=100&limit=200');
      const dueSoon = await bashir.get(`/api/tasks?dueBy=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
      const badPriority = await bashir.get('/api/tasks?minPriority=high');
      const badDate = await bashir.get('/api/tasks?dueBy=tomorrow');
      // then
      expect(byKey.status).to.equal(200);
      expect(byKey.body.items.map((t: TaskRecord) => t.id)).to.include(task.id);
      expect(
        byKey.body.items.every((t: TaskRecord) => t.businessKey?.toLowerCase().includes('tsk-1')),
      ).to.equal(true);
      expect([none.body.items, none.body.total]).to.deep.equal([[], 0]);
      // the inbox has tasks below 100 (so the filter has something to leave out), and leaves them out
      expect(byKey.body.items.some((t: TaskRecord) => t.priority < 100)).to.equal(true);
      expect(urgent.body.items.every((t: TaskRecord) => t.priority === 100)).to.equal(true);
      expect(dueSoon.body.items).to.deep.equal([]);
      expect([badPriority.status, badPriority.body.code]).to.deep.equal([400, 'RV_ERR_VALIDATION']);
      expect([badDate.status, badDate.body.code]).to.deep.equal([400, 'RV_ERR_VALIDATION']);
    });

    it('should show one task to its group and 403 to others', async () => {
      // when
      const mine = await bashir.get(`/api/tasks/${task.id}`);
      const other = await omar.get(`/api/tasks/${task.id}`);
      const missing = await bashir.get('/api/tasks/no-such-task');
      // then
      expect(mine.status).to.equal(200);
      expect(mine.body).to.include({ id: task.id, elementId: 'review', formKey: 'http-approval' });
      expect(other.status).to.equal(403);
      expect(missing.status).to.equal(404);
    });

    it('should claim, refuse a second claimer, and unclaim', async () => {
      // when
      const claimed = await amina.post(`/api/tasks/${task.id}/claim`);
      const second = await bashir.post(`/api/tasks/${task.id}/claim`);
      const outsider = await omar.post(`/api/tasks/${task.id}/claim`);
      const notTheirs = await bashir.post(`/api/tasks/${task.id}/unclaim`);
      const mine = await amina.get('/api/tasks?view=mine');
      const released = await amina.post(`/api/tasks/${task.id}/unclaim`);
      // then
      expect(claimed.status, JSON.stringify(claimed.body)).to.equal(200);
      expect(claimed.body.assignee).to.equal('amina');
      expect(second.status).to.equal(409);
      expect(second.body.code).to.equal('RV_ERR_TASK_CLAIMED');
      expect(outsider.status).to.equal(403);
      expect(notTheirs.status).to.equal(409);
      expect(mine.body.items.map((t: TaskRecord) => t.id)).to.deep.equal([task.id]);
      expect(released.status).to.equal(200);
      expect(released.body).not.to.have.property('assignee');
    });

    it('should let staff delegate their task and managers assign any, but not to an unknown user', async () => {
      // when
      await amina.post(`/api/tasks/${task.id}/claim`);
      const delegated = await amina.post(`/api/tasks/${task.id}/assign`, { assignee: 'bashir' });
      const notTheirs = await amina.post(`/api/tasks/${task.id}/assign`, { assignee: 'amina' });
      const unknown = await maya.post(`/api/tasks/${task.id}/assign`, { assignee: 'nobody' });
      const byManager = await maya.post(`/api/tasks/${task.id}/assign`, { assignee: 'amina' });
      const released = await maya.post(`/api/tasks/${task.id}/assign`, { assignee: null });
      // then
      expect(delegated.status, JSON.stringify(delegated.body)).to.equal(200);
      expect(delegated.body.assignee).to.equal('bashir');
      expect(notTheirs.status).to.equal(409);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.code).to.equal('RV_ERR_USER_NOT_FOUND');
      expect(byManager.body.assignee).to.equal('amina');
      expect(released.status).to.equal(200);
      expect(released.body).not.to.have.property('assignee');
    });

    it('should refuse staff delegating a task to someone it is not offered to', async () => {
      // given: amina holds a plan-policy task; omar works for finance
      await amina.post(`/api/tasks/${task.id}/claim`);
      // when
      const toOutsider = await amina.post(`/api/tasks/${task.id}/assign`, { assignee: 'omar' });
      const outsiderCompletes = await omar.post(`/api/tasks/${task.id}/complete`, { data: {} });
      // then: delegation never widens who may work a task
      expect(toOutsider.status).to.equal(403);
      expect(toOutsider.body.code).to.equal('RV_ERR_FORBIDDEN');
      expect(outsiderCompletes.status).to.equal(403);
      await amina.post(`/api/tasks/${task.id}/unclaim`);
    });

    it('should keep comments on a task', async () => {
      // when
      const added = await bashir.post(`/api/tasks/${task.id}/comments`, {
        text: 'لطفاً اسناد را ضمیمه کنید.',
      });
      const listed = await amina.get(`/api/tasks/${task.id}/comments`);
      const outsider = await omar.get(`/api/tasks/${task.id}/comments`);
      // then
      expect(added.status).to.equal(201);
      expect(added.body).to.include({ author: 'bashir', taskId: task.id, instanceId });
      expect(listed.body.items.map((c: { text: string }) => c.text)).to.deep.equal([
        'لطفاً اسناد را ضمیمه کنید.',
      ]);
      expect(outsider.status).to.equal(403);
    });

    it('should refuse form data that does not fit the form with 422 and complete with data that does', async () => {
      // when
      const invalid = await amina.post(`/api/tasks/${task.id}/complete`, { data: { decision: 'maybe' } });
      const completed = await amina.post(`/api/tasks/${task.id}/complete`, {
        data: { decision: 'approve', comments: 'OK' },
      });
      const twice = await amina.post(`/api/tasks/${task.id}/complete`, { data: { decision: 'approve' } });
      // then
      expect(invalid.status).to.equal(422);
      expect(invalid.body.code).to.equal('RV_ERR_FORM_INVALID');
      expect(invalid.body.details.errors[0]).to.include({ field: 'decision' });
      expect(completed.status, JSON.stringify(completed.body)).to.equal(200);
      expect(completed.body).to.include({ outcome: 'completed', endedBy: 'amina' });
      // a completed task answers 409, not 404, to a later complete
      expect([twice.status, twice.body.code]).to.deep.equal([409, 'RV_ERR_TASK_NOT_OPEN']);
      const next = await openTask(instanceId, 'confirm');
      expect(next.candidateGroups).to.deep.equal(['plan-policy']);
      const detail = await amina.get(`/api/instances/${instanceId}`);
      expect(detail.body.history.map((t: { elementId: string }) => t.elementId)).to.deep.equal(['review']);
      expect(detail.body.instance.variables).to.include({ decision: 'approve' });
      expect(detail.body.comments.map((c: { author: string }) => c.author)).to.deep.equal(['bashir']);
    });

    it('should bulk-claim and bulk-assign with one result per task', async () => {
      // given
      const a = await openTask((await start(amina, 'http-approval')).id, 'review');
      const b = await openTask((await start(amina, 'http-approval')).id, 'review');
      // when
      const claimed = await amina.post('/api/tasks/bulk/claim', { taskIds: [a.id, 'no-such-task', b.id] });
      const assigned = await maya.post('/api/tasks/bulk/assign', {
        taskIds: [a.id, b.id],
        assignee: 'bashir',
      });
      // then
      expect(claimed.status).to.equal(200);
      expect(claimed.body).to.include({ succeeded: 2, failed: 1 });
      expect(
        claimed.body.results.map((r: { taskId: string; ok: boolean }) => [r.taskId, r.ok]),
      ).to.deep.equal([
        [a.id, true],
        ['no-such-task', false],
        [b.id, true],
      ]);
      expect(claimed.body.results[1].error.code).to.equal('RV_ERR_TASK_NOT_FOUND');
      expect(assigned.body.succeeded).to.equal(2);
      expect(assigned.body.results.map((r: { task: TaskRecord }) => r.task.assignee)).to.deep.equal([
        'bashir',
        'bashir',
      ]);
    });
  });

  describe('messages and signals', () => {
    it('should correlate a message by business key and deliver a signal', async () => {
      // given
      const waiting = await start(amina, 'http-wait', 'DOC-7');
      // when
      const byStaff = await amina.post('/api/messages', {
        name: 'documents-received',
        correlationKey: 'DOC-7',
      });
      const correlated = await maya.post('/api/messages', {
        name: 'documents-received',
        correlationKey: 'DOC-7',
      });
      const nobody = await maya.post('/api/messages', {
        name: 'documents-received',
        correlationKey: 'DOC-0',
      });
      const signalled = await maya.post('/api/signals', { name: 'round-closed', variables: { round: 3 } });
      // then
      expect(byStaff.status, 'messages reach any instance: managers only').to.equal(403);
      expect(correlated.status, JSON.stringify(correlated.body)).to.equal(200);
      expect(correlated.body.id).to.equal(waiting.id);
      expect(nobody.status).to.equal(404);
      expect(nobody.body.code).to.equal('RV_ERR_MESSAGE_NOT_CORRELATED');
      expect(signalled.status, JSON.stringify(signalled.body)).to.equal(200);
      expect(signalled.body.delivered).to.be.at.least(1);
      const done = await waitUntil(async () => {
        const res = await lena.get(`/api/instances/${waiting.id}`);
        return res.body.instance.status === 'completed';
      }, 'the signalled instance to complete');
      expect(done).to.equal(true);
    });
  });

  describe('migration', () => {
    it('should move an instance to a new version', async () => {
      // given
      const inst = await start(amina, 'http-approval');
      const v2 = await maya.agent
        .post('/api/definitions')
        .set('x-csrf-token', maya.csrf)
        .set('Content-Type', 'application/xml')
        .send(fixture('http-approval').replace('name="Confirm"', 'name="Final confirmation"'));
      expect(v2.status, JSON.stringify(v2.body)).to.equal(201);
      // when
      const migrated = await maya.post(`/api/instances/${inst.id}/migrate`, {
        toVersion: v2.body.definition.version,
      });
      // then
      expect(migrated.status, JSON.stringify(migrated.body)).to.equal(200);
      expect(migrated.body.version).to.equal(v2.body.definition.version);
    });
  });

  describe('metrics and events', () => {
    it('should give dashboards instances per process and state and open tasks per group', async () => {
      // when
      const res = await lena.get('/api/metrics');
      const forKey = await maya.get(
        `/api/metrics?key=http-approval&from=${encodeURIComponent('2000-01-01T00:00:00Z')}`,
      );
      // then
      expect(res.status).to.equal(200);
      const running = res.body.instances.find(
        (r: { key: string; status: string }) => r.key === 'http-approval' && r.status === 'running',
      );
      expect(running.count).to.be.at.least(2);
      const statuses = res.body.instances.map((r: { status: string }) => r.status);
      expect(statuses).to.include('cancelled');
      const group = res.body.tasksByGroup.find((g: { group: string }) => g.group === 'plan-policy');
      expect(group.open).to.be.at.least(1);
      expect(
        res.body.waitingTokens.find((w: { elementId: string }) => w.elementId === 'review').count,
      ).to.be.at.least(1);
      expect(res.body.cycleTime.find((c: { key: string }) => c.key === 'http-service').completed).to.equal(1);
      expect(res.body.sla.completedOnTime).to.be.at.least(1);
      expect(forKey.body.instances.every((r: { key: string }) => r.key === 'http-approval')).to.equal(true);
    });

    it('should replay the events of my rooms after a seq, in order, and none of them to outsiders', async () => {
      // when
      const mine = await bashir.get('/api/events?after=0&limit=1000');
      const outsider = await omar.get('/api/events?after=0&limit=1000');
      const later = await bashir.get(`/api/events?after=${mine.body.lastSeq}`);
      // then
      expect(mine.status).to.equal(200);
      const seqs = mine.body.items.map((e: { seq: number }) => e.seq);
      expect(seqs).to.deep.equal([...seqs].sort((x: number, y: number) => x - y));
      expect(mine.body.items.map((e: { event: string }) => e.event)).to.include.members([
        'task:created',
        'task:completed',
      ]);
      expect(mine.body.items[0].payload.seq).to.equal(mine.body.items[0].seq);
      expect(outsider.body.items.filter((e: { event: string }) => e.event.startsWith('task:'))).to.deep.equal(
        [],
      );
      expect(later.body.items).to.deep.equal([]);
      expect(mine.body.reset).to.equal(false);
    });
  });
});
