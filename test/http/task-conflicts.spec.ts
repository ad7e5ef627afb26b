import { expect } from 'chai';
import type { TaskRecord } from '../../server/engine/types.js';
import { engine, fixture, startHarness, waitUntil, type ApiClient, type Harness } from './harness.js';

/** A completed task answers 409 RV_ERR_TASK_NOT_OPEN to every later command, never 404. */
describe('http/open-task (commands on a task that has ended)', () => {
  let h: Harness;
  let amina: ApiClient;
  let bashir: ApiClient;
  let dawood: ApiClient;
  let farid: ApiClient;

  before(async function () {
    this.timeout(120_000);
    h = await startHarness({ runtime: engine() });
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('bashir', ['staff'], ['plan-policy']);
    await h.user('dawood', ['manager'], ['plan-policy']);
    await h.user('farid', ['staff'], ['finance']);
    [amina, bashir, dawood, farid] = await Promise.all(
      ['amina', 'bashir', 'dawood', 'farid'].map((u) => h.signIn(u)),
    );
    const setup = { id: 'setup', groups: [], roles: ['admin' as const] };
    await h.runtime!.deploy(fixture('http-plain-task'), setup);
    await h.runtime!.deploy(fixture('http-approval'), setup);
  });

  after(async () => {
    await h.close();
  });

  async function openTask(key: string): Promise<TaskRecord> {
    const res = await amina.post('/api/instances', { key }).expect(201);
    const tasks = await amina.get(`/api/tasks?instanceId=${res.body.id as string}`).expect(200);
    return (tasks.body.items as TaskRecord[])[0]!;
  }

  /** Every later command on `taskId`, by people the task was offered to. */
  async function laterCommands(taskId: string) {
    return Promise.all([
      amina.post(`/api/tasks/${taskId}/complete`, { data: { decision: 'approve' } }),
      bashir.post(`/api/tasks/${taskId}/claim`),
      amina.post(`/api/tasks/${taskId}/unclaim`),
      dawood.post(`/api/tasks/${taskId}/assign`, { assignee: 'bashir' }),
    ]);
  }

  for (const key of ['http-plain-task', 'http-approval']) {
    const ends = key === 'http-plain-task' ? 'the instance ends' : 'the instance goes on';
    it(`should answer one 200 and 409 to every other racing complete, none 404 (${ends})`, async () => {
      // given an open task offered to all three
      const task = await openTask(key);
      // when five completes race (two people, and the same person three times)
      const racers = [amina, bashir, amina, dawood, amina];
      const results = await Promise.all(
        racers.map((c) => c.post(`/api/tasks/${task.id}/complete`, { data: { decision: 'approve' } })),
      );
      // then
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([200, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.code).to.equal('RV_ERR_TASK_NOT_OPEN');
        expect(r.body.message).to.have.keys('fa', 'en');
      }
    });

    it(`should answer 409 to a later complete, claim, unclaim and assign once the open record is gone (${ends})`, async () => {
      // given a task completed, and its open record removed
      const task = await openTask(key);
      await amina.post(`/api/tasks/${task.id}/complete`, { data: { decision: 'approve' } }).expect(200);
      await waitUntil(
        async () => (await amina.get(`/api/tasks/${task.id}`)).status === 404,
        'the open record to go',
      );
      // when
      const results = await laterCommands(task.id);
      // then
      expect(results.map((r) => [r.status, r.body.code])).to.deep.equal(
        Array.from({ length: 4 }, () => [409, 'RV_ERR_TASK_NOT_OPEN']),
      );
    });
  }

  it('should answer 409 per item in a bulk complete and bulk claim of completed tasks', async () => {
    // given
    const task = await openTask('http-approval');
    await amina.post(`/api/tasks/${task.id}/complete`, { data: { decision: 'approve' } }).expect(200);
    // when
    const complete = await amina.post('/api/tasks/bulk/complete', {
      items: [{ taskId: task.id, data: { decision: 'approve' } }],
    });
    const claim = await bashir.post('/api/tasks/bulk/claim', { taskIds: [task.id] });
    // then
    expect(complete.body.results[0].error.code).to.equal('RV_ERR_TASK_NOT_OPEN');
    expect(claim.body.results[0].error.code).to.equal('RV_ERR_TASK_NOT_OPEN');
  });

  it('should still answer 404 for a task that never existed, and 403 to someone it was never offered to', async () => {
    // given a completed task of plan-policy
    const task = await openTask('http-plain-task');
    await amina.post(`/api/tasks/${task.id}/complete`, { data: {} }).expect(200);
    // when
    const never = await amina.post(`/api/tasks/${task.instanceId}:no-such-execution/complete`, { data: {} });
    const bogus = await amina.post('/api/tasks/not-a-task/claim');
    const stranger = await farid.post(`/api/tasks/${task.id}/complete`, { data: {} });
    // then
    expect([never.status, never.body.code]).to.deep.equal([404, 'RV_ERR_TASK_NOT_FOUND']);
    expect(bogus.status).to.be.oneOf([400, 404]);
    expect([stranger.status, stranger.body.code]).to.deep.equal([403, 'RV_ERR_FORBIDDEN']);
  });
});
