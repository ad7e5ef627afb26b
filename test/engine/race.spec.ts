import { expect } from 'chai';
import { isAppError } from '../../server/app-error.js';
import type { EngineRuntime } from '../../server/engine/runtime.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, alice, createTestRuntime, fixture } from './runtime-harness.js';

describe('engine/runtime (concurrent completions)', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;

  before(async () => {
    ({ runtime } = await createTestRuntime(ctx.db));
    await runtime.deploy(fixture('engine-gateways'), admin);
  });
  after(async () => {
    await runtime.close();
  });

  it('should let exactly one of 20 concurrent completions win and advance the instance once', async () => {
    // given
    const instance = await runtime.start({ key: 'engine-gateways' }, alice);
    const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
    // when
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        runtime.completeTask(task!.id, { cost: i, funding: 'host' }, alice),
      ),
    );
    // then
    const wins = results.filter((r) => r.status === 'fulfilled');
    const losses = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(wins).to.have.length(1);
    expect(losses).to.have.length(19);
    for (const l of losses) {
      expect(isAppError(l.reason), String(l.reason)).to.equal(true);
      expect((l.reason as { code: string }).code).to.equal('RV_ERR_TASK_NOT_OPEN');
    }
    const open = (await runtime.listTasks({ instanceId: instance.id })).items.map((t) => t.elementId).sort();
    expect(open).to.deep.equal(['tickets', 'visa']);
    const history = await runtime.taskHistory(instance.id);
    expect(history.filter((h) => h.elementId === 'request')).to.have.length(1);
    const trail = await runtime.auditTrail(instance.id);
    expect(trail.filter((e) => e.type === 'task.completed')).to.have.length(1);
    expect(trail.filter((e) => e.type === 'task.created' && e.elementId === 'visa')).to.have.length(1);
    expect((await runtime.getInstance(instance.id)).variables).to.include({ funding: 'host' });
    expect((await runtime.verifyAudit()).ok).to.equal(true);
  });
});
