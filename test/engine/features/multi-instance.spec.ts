import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { TaskRecord } from '../../../server/engine/types.js';
import { useTestDatabase } from '../../helpers/database.js';
import { alice } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

async function tasks(runtime: EngineRuntime, instanceId: string): Promise<TaskRecord[]> {
  return (await runtime.listTasks({ instanceId, limit: 100 })).items;
}

describe('engine/features/multi-instance', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;

  beforeEach(async () => {
    ({ runtime } = await featureRuntime(ctx.db, ['multi-instance']));
  });

  afterEach(async () => {
    await runtime.close();
  });

  it('should open one task per province and collect each form into the results list in collection order', async () => {
    // given
    const provinces = ['kab', 'her', 'bal'];
    const started = await runtime.start({ key: 'p2-multi-instance', variables: { provinces } }, alice);
    // then three parallel tasks, one per province, each for its province group
    const open = await tasks(runtime, started.id);
    expect(open.map((t) => t.elementId)).to.deep.equal([
      'report-province',
      'report-province',
      'report-province',
    ]);
    expect(open.map((t) => t.candidateGroups).sort()).to.deep.equal([
      ['province-bal'],
      ['province-her'],
      ['province-kab'],
    ]);
    // when they are completed out of order, each with its own data
    const byGroup = new Map(open.map((t) => [t.candidateGroups[0]!, t]));
    for (const p of ['bal', 'kab', 'her'])
      await runtime.completeTask(byGroup.get(`province-${p}`)!.id, { province: p, offices: p.length }, alice);
    // then the results are in collection order and the top-level variables are untouched
    const after = await runtime.getInstance(started.id);
    expect(after.variables['report-province-results']).to.deep.equal([
      { province: 'kab', offices: 3 },
      { province: 'her', offices: 3 },
      { province: 'bal', offices: 3 },
    ]);
    expect(after.variables).to.not.have.property('offices');
    expect(after.variables.provinces).to.deep.equal(provinces);
  });

  it('should run a sequential sub-process per province, one task at a time, into its output variable', async () => {
    // given the parallel reports are done
    const started = await runtime.start(
      { key: 'p2-multi-instance', variables: { provinces: ['kab', 'her'] } },
      alice,
    );
    for (const t of await tasks(runtime, started.id)) await runtime.completeTask(t.id, { ok: true }, alice);
    // when each visit's inspection is completed in turn
    const seen: string[] = [];
    for (const finding of ['roof leaks', 'all good']) {
      const open = await tasks(runtime, started.id);
      expect(open.map((t) => t.elementId)).to.deep.equal(['inspect-office']);
      seen.push(open[0]!.executionId);
      await runtime.completeTask(open[0]!.id, { finding }, alice);
    }
    // then two separate tasks ran and the findings are collected under the `output-variable` name
    expect(new Set(seen).size).to.equal(2);
    const after = await runtime.getInstance(started.id);
    expect(after.variables.visits).to.deep.equal([{ finding: 'roof leaks' }, { finding: 'all good' }]);
    expect((await tasks(runtime, started.id)).map((t) => t.elementId)).to.deep.equal(['consolidate']);
  });

  it('should keep the collected results across an engine eviction and recovery', async () => {
    // given a runtime that keeps no engine in memory
    await runtime.close();
    ({ runtime } = await featureRuntime(ctx.db, [], { maxLiveEngines: 0 }));
    const started = await runtime.start(
      { key: 'p2-multi-instance', variables: { provinces: ['kab', 'her'] } },
      alice,
    );
    const [first, second] = await tasks(runtime, started.id);
    // when
    await runtime.completeTask(first!.id, { n: 1 }, alice);
    await runtime.completeTask(second!.id, { n: 2 }, alice);
    // then
    const results = (await runtime.getInstance(started.id)).variables['report-province-results'] as unknown[];
    expect(results).to.have.length(2);
    expect(results).to.deep.include.members([{ n: 1 }, { n: 2 }]);
  });
});
