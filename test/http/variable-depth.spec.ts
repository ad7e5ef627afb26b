import { expect } from 'chai';
import type { TaskRecord } from '../../server/engine/types.js';
import { MAX_BODY_DEPTH } from '../../server/http/body-depth.js';
import { engine, fixture, startHarness, type ApiClient, type Harness } from './harness.js';

/** `{ a: { a: … { a: 'leaf' } } }` with `levels` objects. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 'leaf' };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('http/body-depth (variables nested too deep)', () => {
  let h: Harness;
  let amina: ApiClient;
  let dawood: ApiClient;

  before(async function () {
    this.timeout(120_000);
    h = await startHarness({ runtime: engine() });
    await h.user('amina', ['staff'], ['plan-policy']);
    amina = await h.signIn('amina');
    await h.user('dawood', ['manager'], ['plan-policy']);
    dawood = await h.signIn('dawood');
    await h.runtime!.deploy(fixture('http-plain-task'), { id: 'setup', groups: [], roles: ['admin'] });
  });

  after(async () => {
    await h.close();
  });

  async function openNote(): Promise<TaskRecord> {
    const res = await amina.post('/api/instances', { key: 'http-plain-task' }).expect(201);
    const tasks = await amina.get(`/api/tasks?instanceId=${res.body.id as string}`).expect(200);
    return (tasks.body.items as TaskRecord[])[0]!;
  }

  for (const levels of [MAX_BODY_DEPTH - 2, MAX_BODY_DEPTH - 1, 101, 150, 2000]) {
    // the body is { key, variables: { deep: <levels> } }: levels + 2 deep
    const refused = levels + 2 > MAX_BODY_DEPTH;
    it(`should ${refused ? 'refuse with 400' : 'accept and keep'} start variables nested ${levels} levels`, async () => {
      // when
      const res = await amina.post('/api/instances', {
        key: 'http-plain-task',
        variables: { deep: nested(levels) },
      });
      // then
      if (refused) {
        expect(res.status).to.equal(400);
        expect(res.body.code).to.equal('RV_ERR_VALIDATION');
        expect(res.body.message).to.have.keys('fa', 'en');
        expect(res.body.details.errors[0]).to.include({ in: 'body', keyword: 'maxDepth' });
      } else {
        expect(res.status).to.equal(201);
        const read = await amina.get(`/api/instances/${res.body.id as string}`).expect(200);
        expect(read.body.instance.variables.deep).to.deep.equal(nested(levels));
      }
    });
  }

  it('should accept start variables at the deepest allowed level and keep them through a completion', async () => {
    // given an instance whose variables nest as deep as a body may (the body itself and `variables` are 2)
    const deep = nested(MAX_BODY_DEPTH - 2);
    const started = await amina.post('/api/instances', { key: 'http-plain-task', variables: { deep } });
    expect(started.status).to.equal(201);
    const tasks = await amina.get(`/api/tasks?instanceId=${started.body.id as string}`).expect(200);
    const task = (tasks.body.items as TaskRecord[])[0]!;
    // when its task is completed with form data as deep as allowed (the body and `data` are 2)
    const done = await amina.post(`/api/tasks/${task.id}/complete`, {
      data: { more: nested(MAX_BODY_DEPTH - 3) },
    });
    // then both are kept
    expect(done.status).to.equal(200);
    const read = await amina.get(`/api/instances/${started.body.id as string}`).expect(200);
    expect(read.body.instance.status).to.equal('completed');
    expect(read.body.instance.variables.deep).to.deep.equal(deep);
    expect(read.body.instance.variables.more).to.deep.equal(nested(MAX_BODY_DEPTH - 3));
    expect(read.body.history[0].data.more).to.deep.equal(nested(MAX_BODY_DEPTH - 3));
  });

  it('should refuse form data nested 101 levels with 400 and leave the task open', async () => {
    // given
    const task = await openNote();
    // when
    const res = await amina.post(`/api/tasks/${task.id}/complete`, { data: { deep: nested(101) } });
    // then
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('RV_ERR_VALIDATION');
    expect((await amina.get(`/api/tasks/${task.id}`)).status).to.equal(200);
  });

  it('should refuse message and signal variables nested 101 levels with 400', async () => {
    // when
    const message = await dawood.post('/api/messages', {
      name: 'nobody-waits',
      variables: { deep: nested(101) },
    });
    const signal = await dawood.post('/api/signals', {
      name: 'nobody-waits',
      variables: { deep: nested(101) },
    });
    // then
    expect([message.status, message.body.code]).to.deep.equal([400, 'RV_ERR_VALIDATION']);
    expect([signal.status, signal.body.code]).to.deep.equal([400, 'RV_ERR_VALIDATION']);
  });
});
