import { expect } from 'chai';
import { RuntimeHooks } from '../../server/engine/hooks.js';
import type { EngineRuntime } from '../../server/engine/runtime.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, alice, createTestRuntime, fixture } from './runtime-harness.js';

describe('engine/hooks', () => {
  it('should run asynchronous handlers one after the other in registration order', async () => {
    // given two handlers, the first one slow
    const hooks = new RuntimeHooks();
    const seen: string[] = [];
    hooks.on('runtime.recover', async () => {
      await new Promise((r) => setTimeout(r, 20));
      seen.push('first');
    });
    hooks.on('runtime.recover', () => {
      seen.push('second');
    });
    // when the hook runs
    await hooks.run('runtime.recover', { crashed: [] });
    // then the second started only after the first was done
    expect(seen).to.deep.equal(['first', 'second']);
  });

  it('should let a handler error reach the caller of the hook', async () => {
    // given a handler that fails
    const hooks = new RuntimeHooks();
    hooks.on('runtime.close', () => {
      throw new Error('boom');
    });
    // when / then the hook's caller sees the error
    let error: unknown;
    await hooks.run('runtime.close', {}).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal('boom');
  });

  describe('on a runtime', () => {
    const ctx = useTestDatabase();
    let runtime: EngineRuntime;

    before(async () => {
      ({ runtime } = await createTestRuntime(ctx.db));
      await runtime.deploy(fixture('engine-simple-task'), admin);
    });
    after(async () => {
      await runtime.close();
    });

    it('should call a registered feature at each step of a command, the checkpoint durable before commit.after', async () => {
      // given a feature listening on the core's hooks
      const seen: string[] = [];
      runtime.hooks.on('engine.created', ({ live }) => seen.push(`engine.created ${live.rec.status}`));
      runtime.hooks.on('commit.before', ({ live }) => {
        seen.push(`commit.before rev ${live.rec.rev}`);
      });
      runtime.hooks.on('records.materialise', ({ record }) => {
        seen.push(`records.materialise rev ${record.rev}`);
      });
      runtime.hooks.on('commit.after', ({ record }) =>
        seen.push(`commit.after ${record.status} rev ${record.rev}`),
      );
      runtime.hooks.on('task.completing', ({ task }) => seen.push(`task.completing ${task.elementId}`));
      runtime.hooks.on('status.changed', ({ previous, record }) => {
        seen.push(`status.changed ${previous.status} → ${record.status}`);
      });
      // when an instance starts, is suspended and resumed, and its task completed
      const started = await runtime.start(
        { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
        alice,
      );
      await runtime.suspend(started.id, admin);
      await runtime.resume(started.id, admin);
      const [task] = (await runtime.listTasks({ instanceId: started.id })).items;
      await runtime.completeTask(task!.id, { decision: 'approve' }, alice);
      await runtime.idle();
      // then each step reached the feature in the core's order
      expect(seen).to.deep.equal([
        'engine.created running',
        'commit.before rev -1',
        'records.materialise rev 0',
        'commit.after running rev 0',
        'records.materialise rev 1',
        'status.changed running → suspended',
        'records.materialise rev 2',
        'status.changed suspended → running',
        'task.completing review',
        'commit.before rev 2',
        'records.materialise rev 3',
        'commit.after completed rev 3',
      ]);
    });
  });
});
