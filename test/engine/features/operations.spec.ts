import { expect } from 'chai';
import { isAppError } from '../../../server/app-error.js';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, alice } from '../runtime-harness.js';
import { advance, completions, fakeDate, HOUR, featureRuntime } from './feature-harness.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

async function openTasks(runtime: EngineRuntime, instanceId: string): Promise<string[]> {
  return (await runtime.listTasks({ instanceId })).items.map((t) => t.elementId);
}

describe('engine/features (suspend, retry, cancel with timers and messages)', () => {
  const ctx = useTestDatabase();
  let clock: ReturnType<typeof fakeDate>;
  let runtime: EngineRuntime;
  let stores: RuntimeStores;
  let registryDown = true;

  beforeEach(async () => {
    clock = fakeDate();
    registryDown = true;
    ({ runtime, stores } = await featureRuntime(
      ctx.db,
      ['timer-boundary', 'message-wait', 'boundary-error'],
      {
        services: {
          'p2.validate': async () => {
            if (registryDown) throw new Error('the registry is down');
            return { valid: true };
          },
        },
      },
    ));
    await runtime.recover();
  });

  afterEach(async () => {
    await runtime.close();
    clock.uninstall();
  });

  it('should refuse completions while suspended and hold its timers until resumed', async () => {
    // given a review with a reminder cycle and an 8-hour deadline, suspended at once
    const started = await runtime.start({ key: 'p2-timer-boundary' }, alice);
    const [review] = (await runtime.listTasks({ instanceId: started.id })).items;
    const suspended = await runtime.suspend(started.id, admin);
    expect(suspended.status).to.equal('suspended');
    // when someone completes the task, and ten hours pass
    const err = await rejection(runtime.completeTask(review!.id, {}, alice));
    await advance(runtime, clock, 10 * HOUR);
    // then the completion is refused and no timer fired
    expect(isAppError(err, 'RV_ERR_INSTANCE_SUSPENDED')).to.equal(true);
    expect(await openTasks(runtime, started.id)).to.deep.equal(['review']);
    expect(await completions(runtime, started.id, 'end-reminded')).to.equal(0);
    expect(await stores.jobs.byInstance(started.id)).to.deep.equal([]);
    // when it is resumed
    await runtime.resume(started.id, admin);
    await advance(runtime, clock, 0);
    // then the held timers fire once each, in due order: one reminder, then the deadline
    expect(await completions(runtime, started.id, 'end-reminded')).to.equal(1);
    expect(await openTasks(runtime, started.id)).to.deep.equal(['escalate-review']);
    const types = (await runtime.auditTrail(started.id)).map((e) => e.type);
    expect(types).to.include.members(['instance.suspended', 'instance.resumed', 'timer.fired']);
  });

  it('should cancel with a reason: tasks, timers and message waits go, and it is audited', async () => {
    // given
    const timed = await runtime.start({ key: 'p2-timer-boundary' }, alice);
    const waiting = await runtime.start({ key: 'p2-message-wait', variables: { letterRef: 'L-9' } }, alice);
    // when
    await runtime.cancel(timed.id, 'duplicate request', admin);
    await runtime.cancel(waiting.id, 'sender withdrew', admin);
    // then
    expect(await stores.jobs.byInstance(timed.id)).to.deep.equal([]);
    expect(await openTasks(runtime, timed.id)).to.deep.equal([]);
    const msg = await rejection(
      runtime.correlateMessage({ name: 'reply-received', correlationKey: 'L-9' }, admin),
    );
    expect(isAppError(msg, 'RV_ERR_MESSAGE_NOT_CORRELATED')).to.equal(true);
    const trail = await runtime.auditTrail(timed.id);
    expect(trail.find((e) => e.type === 'instance.cancelled')?.data).to.deep.equal({
      reason: 'duplicate request',
    });
    await advance(runtime, clock, 24 * HOUR);
    expect(await completions(runtime, timed.id, 'end-reminded')).to.equal(0);
    expect((await runtime.verifyAudit()).ok).to.equal(true);
  });

  it('should retry an incident once its cause is fixed', async () => {
    // given a failed validation
    const failed = await runtime.start({ key: 'p2-boundary-error', variables: { input: 'ok' } }, alice);
    expect(failed.status).to.equal('failed');
    // when the registry is back and the incident is retried
    registryDown = false;
    const retried = await runtime.retry(failed.id, admin);
    // then
    expect(retried.status).to.equal('running');
    expect(retried.incident).to.equal(undefined);
    expect(await openTasks(runtime, failed.id)).to.deep.equal(['register']);
  });
});
