import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { InstanceSummary } from '../../../server/engine/types.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, alice, waitUntil } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

describe('engine/features/call-activities', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;

  beforeEach(async () => {
    ({ runtime } = await featureRuntime(ctx.db, ['call-child', 'call-parent']));
  });

  afterEach(async () => {
    await runtime.close();
  });

  async function childOf(parent: InstanceSummary): Promise<InstanceSummary> {
    const call = parent.waiting.find((w) => w.elementId === 'implement');
    expect(call, 'the parent waits at the call activity').to.not.equal(undefined);
    return runtime.getInstance(`${parent.id}.${call!.executionId}`);
  }

  it('should start the called process with the input variables and wait for it', async () => {
    // when
    const parent = await runtime.start(
      {
        key: 'p2-call-parent',
        businessKey: 'POL-1',
        variables: { title: 'Archive policy', budget: 5, secret: 'x' },
      },
      alice,
    );
    // then the child runs the latest p2-call-child with only the listed variables
    const child = await childOf(parent);
    expect(child.key).to.equal('p2-call-child');
    expect(child.parentId).to.equal(parent.id);
    expect(child.businessKey).to.equal('POL-1');
    expect(child.variables).to.deep.equal({ title: 'Archive policy', budget: 5 });
    expect((await runtime.listTasks({ instanceId: child.id })).items.map((t) => t.elementId)).to.deep.equal([
      'carry-out',
    ]);
    expect((await runtime.listTasks({ instanceId: parent.id })).total).to.equal(0);
  });

  it('should bring the output variables back and continue the parent when the child completes', async () => {
    // given
    const parent = await runtime.start(
      { key: 'p2-call-parent', variables: { title: 'Archive policy' } },
      alice,
    );
    const child = await childOf(parent);
    const [task] = (await runtime.listTasks({ instanceId: child.id })).items;
    // when
    await runtime.completeTask(
      task!.id,
      { implemented: true, report: 'done in 3 provinces', note: 'internal' },
      alice,
    );
    // then
    expect((await runtime.getInstance(child.id)).status).to.equal('completed');
    const after = await waitUntil(async () => {
      const p = await runtime.getInstance(parent.id);
      return p.waiting.some((w) => w.elementId === 'close') ? p : undefined;
    }, 'the parent to continue');
    expect(after!.variables).to.include({ implemented: true, report: 'done in 3 provinces' });
    expect(after!.variables).to.not.have.property('note');
  });

  it('should cancel the child when the parent is cancelled, with the reason', async () => {
    // given
    const parent = await runtime.start(
      { key: 'p2-call-parent', variables: { title: 'Archive policy' } },
      alice,
    );
    const child = await childOf(parent);
    // when
    const cancelled = await runtime.cancel(parent.id, 'policy withdrawn', admin);
    // then
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.cancelReason).to.equal('policy withdrawn');
    const after = await runtime.getInstance(child.id);
    expect(after.status).to.equal('cancelled');
    expect(after.cancelReason).to.equal('policy withdrawn');
    expect((await runtime.listTasks({ instanceId: child.id })).total).to.equal(0);
    expect((await runtime.taskHistory(child.id)).map((h) => h.outcome)).to.deep.equal(['cancelled']);
    const trail = await runtime.auditTrail(child.id);
    expect(
      trail.some((e) => e.type === 'instance.cancelled' && e.data?.reason === 'policy withdrawn'),
    ).to.equal(true);
  });

  it("should hand a child's result to its parent after a crash cut the hand-over short", async () => {
    // given a process that ends a child but dies before the parent's step (its hand-over switched off)
    await runtime.recover();
    const parent = await runtime.start(
      { key: 'p2-call-parent', variables: { title: 'Archive policy' } },
      alice,
    );
    const child = await childOf(parent);
    const [task] = (await runtime.listTasks({ instanceId: child.id })).items;
    runtime.holdHandOvers();
    await runtime.completeTask(task!.id, { implemented: true }, alice);
    await runtime.idle();
    expect((await runtime.getInstance(parent.id)).waiting.map((w) => w.elementId)).to.deep.equal([
      'implement',
    ]);
    // when the process dies (it writes nothing more) and a new one starts on the same database
    await runtime.abandon();
    ({ runtime } = await featureRuntime(ctx.db, []));
    await runtime.recover();
    // then the parent got the child's result and moved on
    const after = await runtime.getInstance(parent.id);
    expect(after.waiting.map((w) => w.elementId)).to.deep.equal(['close']);
    expect(after.variables).to.include({ implemented: true });
  });
});
