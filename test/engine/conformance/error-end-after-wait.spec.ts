import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, alice, createTestRuntime, fixture } from '../runtime-harness.js';
import { RawEngine } from './raw-engine.js';
import { completeElement, openUserTasks, ravandPath } from './ravand-run.js';

const caughtPath = ['start', 'first', 'sub-start', 'sub-error', 'sub-failed'];

/**
 * An error end event inside an embedded sub-process, reached by the command that completes a user task before
 * it. Completing through bpmn-engine's definition-level `execution.signal()` delivers the signal as a delegated
 * api message; the error the sub-process throws while that message is being handled is itself delegated, and
 * smqp queues it behind the signal, so the sub-process ends normally before its boundary sees the error. Ravand
 * signals the wait through its own api (as bpmn-engine's examples do), which catches it.
 */
describe('engine/conformance error end event after a wait', () => {
  const ctx = useTestDatabase();
  const xml = fixture('conformance/error-end-after-wait');
  let runtime: EngineRuntime;
  let stores: RuntimeStores;

  before(async () => {
    ({ runtime, stores } = await createTestRuntime(ctx.db));
    await runtime.deploy(xml, admin);
  });
  after(async () => {
    await runtime.close();
  });

  it('should catch the error on the boundary in raw bpmn-engine, live and after getState → recover → resume', async () => {
    for (const restart of [false, true]) {
      // given
      const raw = await RawEngine.start(xml);
      if (restart) await raw.restart();
      // when
      await raw.complete('first');
      // then
      expect(raw.path, `restart: ${restart}`).to.deep.equal(caughtPath);
      expect(raw.userTasks()).to.deep.equal(['caught']);
    }
  });

  it('should open `caught`, not `not-caught`, when the user task before the sub-process is completed', async () => {
    // given
    const started = await runtime.start({ key: 'error-end-after-wait' }, alice);
    expect(await openUserTasks(runtime, started.id)).to.deep.equal(['first']);
    // when
    await completeElement(runtime, started.id, 'first', {}, alice);
    // then
    expect(await openUserTasks(runtime, started.id)).to.deep.equal(['caught']);
    expect(await ravandPath(runtime, started.id)).to.deep.equal(caughtPath);
    expect((await runtime.getInstance(started.id)).status).to.equal('running');
  });

  it('should catch it too when the engine was recovered from its checkpoint (a restart) before the completion', async () => {
    // given an instance waiting in `first`, then a restart
    const started = await runtime.start({ key: 'error-end-after-wait' }, alice);
    await runtime.close();
    ({ runtime } = await createTestRuntime(ctx.db, { stores }));
    await runtime.recover();
    // when
    await completeElement(runtime, started.id, 'first', {}, alice);
    // then
    expect(await openUserTasks(runtime, started.id)).to.deep.equal(['caught']);
    expect(await ravandPath(runtime, started.id)).to.deep.equal(caughtPath);
  });
});
