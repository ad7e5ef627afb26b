import { expect } from 'chai';
import type { TaskRecord } from '../../server/engine/types.js';
import { engine, fixture, startHarness, type ApiClient, type Harness } from './harness.js';

describe('http/bulk complete', () => {
  let h: Harness;
  let amina: ApiClient;
  let tasks: TaskRecord[];

  before(async function () {
    this.timeout(120_000);
    h = await startHarness({ runtime: engine() });
    await h.user('amina', ['staff'], ['plan-policy']);
    amina = await h.signIn('amina');
    await h.runtime!.deploy(fixture('http-approval'), { id: 'setup', groups: [], roles: ['admin'] });
    for (let i = 0; i < 50; i++) {
      await amina.post('/api/instances', { key: 'http-approval', businessKey: `BULK-${i}` }).expect(201);
    }
    const page = await amina.get('/api/tasks?view=group&limit=200&sort=createdAt');
    tasks = page.body.items as TaskRecord[];
  });

  after(async () => {
    await h.close();
  });

  it('should complete 50 tasks with a result for each, and not stop at one that fails', async function () {
    this.timeout(120_000);
    // given: 50 open review tasks; the 17th gets data its form refuses
    expect(tasks).to.have.length(50);
    const items = tasks.map((t, i) => ({ taskId: t.id, data: { decision: i === 16 ? 'maybe' : 'approve' } }));
    // when
    const res = await amina.post('/api/tasks/bulk/complete', { items });
    // then
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ succeeded: 49, failed: 1 });
    expect(res.body.results).to.have.length(50);
    expect(res.body.results.map((r: { taskId: string }) => r.taskId)).to.deep.equal(tasks.map((t) => t.id));
    const failure = res.body.results[16];
    expect(failure).to.include({ taskId: tasks[16]!.id, ok: false });
    expect(failure.error.code).to.equal('RV_ERR_FORM_INVALID');
    expect(failure.error.message).to.have.keys('fa', 'en');
    for (const [i, r] of (res.body.results as { ok: boolean; task?: { outcome: string } }[]).entries()) {
      if (i !== 16) expect(r.task?.outcome, `item ${i}`).to.equal('completed');
    }
    // the failed one is still open, the others moved on to their next task
    const open = (await amina.get('/api/tasks?view=group&limit=200')).body.items as TaskRecord[];
    expect(open.filter((t) => t.elementId === 'review').map((t) => t.id)).to.deep.equal([tasks[16]!.id]);
    expect(open.filter((t) => t.elementId === 'confirm')).to.have.length(49);
  });

  it('should refuse more than 100 items as bad input', async () => {
    // when
    const items = Array.from({ length: 101 }, (_, i) => ({ taskId: `t-${i}`, data: {} }));
    const res = await amina.post('/api/tasks/bulk/complete', { items });
    // then
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('RV_ERR_VALIDATION');
  });
});
