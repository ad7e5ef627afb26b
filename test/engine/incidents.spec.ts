import { expect } from 'chai';
import type { EngineRuntime } from '../../server/engine/runtime.js';
import type { RuntimeStores } from '../../server/engine/stores.js';
import type { ServiceContext } from '../../server/engine/types.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, alice, caught, createTestRuntime, fixture, recordEvents } from './runtime-harness.js';

describe('engine/runtime (services, incidents, audit)', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;
  let stores: RuntimeStores;
  let failRecord = false;
  const recordCalls: ServiceContext[] = [];
  let checkOutcome: 'ok' | 'rejected' = 'ok';

  before(async () => {
    ({ runtime, stores } = await createTestRuntime(ctx.db, {
      services: {
        'test-record': async (c) => {
          recordCalls.push(c);
          if (failRecord) throw new Error('registry offline');
          return { letterNo: await c.nextSequence('letters'), recordedFor: c.businessKey ?? null };
        },
        'test-check': async () => {
          if (checkOutcome === 'rejected')
            throw Object.assign(new Error('not eligible'), { code: 'REJECTED' });
          return { checked: true };
        },
      },
    }));
    await runtime.deploy(fixture('engine-service'), admin);
    await runtime.deploy(fixture('engine-service-error'), admin);
    await runtime.deploy(fixture('engine-gateways'), admin);
  });
  after(async () => {
    await runtime.close();
  });

  it('should call a named service, merge its result and number letters from a durable counter', async () => {
    // given
    recordCalls.length = 0;
    // when
    const a = await runtime.start({ key: 'engine-service', businessKey: 'L-1' }, alice);
    const b = await runtime.start({ key: 'engine-service', businessKey: 'L-2' }, alice);
    // then
    expect(a.variables).to.include({ letterNo: 1, recordedFor: 'L-1' });
    expect(b.variables).to.include({ letterNo: 2, recordedFor: 'L-2' });
    expect(a.waiting.map((w) => w.elementId)).to.deep.equal(['confirm']);
    expect(recordCalls.map((c) => c.elementId)).to.deep.equal(['record', 'record']);
    const memo = await stores.serviceCalls.get(`${a.id}:${recordCalls[0]!.executionId}`);
    expect(memo?.result).to.deep.equal({ letterNo: 1, recordedFor: 'L-1' });
  });

  it('should turn a failing service into an incident and resume on retry without a crash', async () => {
    // given
    failRecord = true;
    const seen = recordEvents(runtime, ['incident.raised', 'instance.failed', 'incident.resolved']);
    // when
    const failed = await runtime.start({ key: 'engine-service', businessKey: 'L-3' }, alice);
    // then
    expect(failed.status).to.equal('failed');
    expect(failed.incident).to.include({ elementId: 'record', message: 'registry offline' });
    expect(seen.map((e) => e.event)).to.deep.equal(['instance.failed', 'incident.raised']);
    const stored = await runtime.getInstance(failed.id);
    expect(stored.status).to.equal('failed');
    failRecord = false;
    const healthy = await runtime.start({ key: 'engine-service', businessKey: 'L-5' }, alice);
    expect((await caught(runtime.retry(healthy.id, admin))).code).to.equal('RV_ERR_NO_INCIDENT');
  });

  it('should resume a failed service from its checkpoint when retried after the cause is fixed', async () => {
    // given
    failRecord = true;
    const failed = await runtime.start({ key: 'engine-service', businessKey: 'L-4' }, alice);
    expect(failed.status).to.equal('failed');
    const stillFailing = await runtime.retry(failed.id, admin);
    expect(stillFailing.status).to.equal('failed');
    failRecord = false;
    // when
    const resumed = await runtime.retry(failed.id, admin);
    // then
    expect(resumed.status).to.equal('running');
    expect(resumed.incident).to.equal(undefined);
    expect(resumed.waiting.map((w) => w.elementId)).to.deep.equal(['confirm']);
    expect(resumed.variables).to.include({ recordedFor: 'L-4' });
    const types = (await runtime.auditTrail(failed.id)).map((e) => e.type);
    expect(types).to.include.members(['incident.raised', 'instance.retried', 'service.completed']);
  });

  it('should route a service error with a matching code to its boundary event', async () => {
    // given
    checkOutcome = 'rejected';
    // when
    const instance = await runtime.start({ key: 'engine-service-error' }, alice);
    // then
    expect(instance.status).to.equal('running');
    expect(instance.waiting.map((w) => w.elementId)).to.deep.equal(['handle-rejection']);
    checkOutcome = 'ok';
    const ok = await runtime.start({ key: 'engine-service-error' }, alice);
    expect(ok.status).to.equal('completed');
  });

  it('should raise an incident and keep the task open when an expression fails at run time', async () => {
    // given: a gateway condition that calls a calendar function with a bad date
    const xml = fixture('engine-gateways')
      .replace('engine-gateways', 'engine-gateways-broken')
      .replace('=cost &gt; 1000 and funding = "commission"', '=addWorkingDays(funding, 2) != null');
    await runtime.deploy(xml, admin);
    const instance = await runtime.start({ key: 'engine-gateways-broken' }, alice);
    const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
    // when
    const err = await caught(runtime.completeTask(task!.id, { cost: 1, funding: 'host' }, alice));
    // then
    expect(err.code).to.equal('RV_ERR_INCIDENT_RAISED');
    const after = await runtime.getInstance(instance.id);
    expect(after.status).to.equal('failed');
    expect(after.incident?.message).to.be.a('string').and.not.equal('');
    expect((await runtime.listTasks({ instanceId: instance.id })).items.map((t) => t.id)).to.deep.equal([
      task!.id,
    ]);
  });

  it('should keep a hash-chained audit trail that verifies and detects tampering', async () => {
    // given
    const instance = await runtime.start({ key: 'engine-gateways' }, alice);
    const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
    await runtime.completeTask(task!.id, { cost: 10, funding: 'host' }, alice);
    // when
    const trail = await runtime.auditTrail(instance.id);
    const verified = await runtime.verifyAudit();
    // then
    expect(trail[0]).to.include({ type: 'instance.started', actor: 'alice' });
    const completed = trail.find((e) => e.type === 'task.completed')!;
    expect(completed).to.include({ actor: 'alice', taskId: task!.id, elementId: 'request' });
    expect(completed.data?.variables).to.deep.equal({ cost: 10, funding: 'host' });
    for (let i = 1; i < trail.length; i++) expect(trail[i]!.seq).to.be.greaterThan(trail[i - 1]!.seq);
    expect(verified.ok).to.equal(true);
    expect(verified.checked).to.be.greaterThan(trail.length);

    // when: someone edits an entry in the database
    await ctx.db.conn
      .collection('events')
      .updateOne({ _id: completed.seq } as never, { $set: { actor: 'mallory' } });
    const tampered = await runtime.verifyAudit();
    // then
    expect(tampered).to.deep.include({ ok: false, brokenAt: completed.seq });
  });
});
