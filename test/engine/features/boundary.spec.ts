import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { ServiceHandler } from '../../../server/engine/types.js';
import { useTestDatabase } from '../../helpers/database.js';
import { alice } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

const validate: ServiceHandler = async ({ variables }) => {
  if (variables.input === 'bad')
    throw Object.assign(new Error('the input is not valid'), { code: 'BAD_INPUT' });
  if (variables.input === 'broken') throw new Error('the registry is down');
  return { valid: true };
};

async function openTasks(runtime: EngineRuntime, instanceId: string): Promise<string[]> {
  return (await runtime.listTasks({ instanceId })).items.map((t) => t.elementId).sort();
}

describe('engine/features boundary events', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;

  beforeEach(async () => {
    ({ runtime } = await featureRuntime(ctx.db, ['boundary-error'], {
      services: { 'p2.validate': validate },
    }));
  });

  afterEach(async () => {
    await runtime.close();
  });

  it('should catch a service error by its code on the boundary error event', async () => {
    // when
    const started = await runtime.start({ key: 'p2-boundary-error', variables: { input: 'bad' } }, alice);
    // then the error path runs, no incident
    expect(started.status).to.equal('running');
    expect(started.incident).to.equal(undefined);
    expect(await openTasks(runtime, started.id)).to.deep.equal(['fix-input']);
    const trail = await runtime.auditTrail(started.id);
    expect(trail.some((e) => e.type === 'service.bpmn-error' && e.data?.code === 'BAD_INPUT')).to.equal(true);
  });

  it('should make an incident of a service failure without a matching code', async () => {
    // when
    const started = await runtime.start({ key: 'p2-boundary-error', variables: { input: 'broken' } }, alice);
    // then
    expect(started.status).to.equal('failed');
    expect(started.incident?.message).to.contain('registry is down');
  });

  it('should run the escalation handler path beside the escalating sub-process', async () => {
    // when the preparation is late
    const started = await runtime.start(
      { key: 'p2-boundary-error', variables: { input: 'ok', late: true } },
      alice,
    );
    // then the manager is told while the late work goes on (non-interrupting escalation)
    expect(await openTasks(runtime, started.id)).to.deep.equal(['finish-late', 'notify-manager']);
    // when both are done
    for (const t of (await runtime.listTasks({ instanceId: started.id })).items)
      await runtime.completeTask(t.id, {}, alice);
    // then the main path goes on to registration
    expect(await openTasks(runtime, started.id)).to.deep.equal(['register']);
  });

  it('should not escalate when the preparation is on time', async () => {
    // when
    const started = await runtime.start(
      { key: 'p2-boundary-error', variables: { input: 'ok', late: false } },
      alice,
    );
    // then
    expect(await openTasks(runtime, started.id)).to.deep.equal(['register']);
  });
});
