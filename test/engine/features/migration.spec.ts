import { expect } from 'chai';
import { isAppError, type AppError } from '../../../server/app-error.js';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, alice, fixture } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

describe('engine/features/migration', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;
  let stores: RuntimeStores;

  before(async () => {
    ({ runtime, stores } = await featureRuntime(ctx.db, ['migrate-v1']));
  });

  after(async () => {
    await runtime.close();
  });

  it('should move 100 waiting instances from version 1 to version 2', async function () {
    this.timeout(120_000);
    // given 100 instances waiting at the review of version 1, each with its deadline timer
    const ids: string[] = [];
    for (let i = 0; i < 100; i++)
      ids.push((await runtime.start({ key: 'p2-migrate', businessKey: `M-${i}` }, alice)).id);
    const v2 = await runtime.deploy(fixture('features/migrate-v2'), admin);
    expect(v2.definition.version).to.equal(2);
    // when
    const t0 = performance.now();
    for (const id of ids) await runtime.migrate(id, 2, admin);
    const ms = performance.now() - t0;
    console.log(
      `      migrated 100 instances v1 → v2 in ${ms.toFixed(0)} ms (${(ms / 100).toFixed(1)} ms each)`,
    );
    // then every instance is on version 2, still at its review, its task and timer kept
    for (const id of ids) {
      const inst = await runtime.getInstance(id);
      expect(inst.version).to.equal(2);
      expect(inst.definitionId).to.equal('p2-migrate:2');
      expect(inst.waiting.map((w) => w.elementId)).to.deep.equal(['review']);
    }
    const tasks = await runtime.listTasks({ key: 'p2-migrate', limit: 200 });
    expect(tasks.total).to.equal(100);
    expect(new Set(tasks.items.map((t) => t.definitionVersion))).to.deep.equal(new Set([2]));
    expect((await stores.jobs.byInstance(ids[0]!)).map((j) => j.elementId)).to.deep.equal(['review-overdue']);
    // and the next step is version 2's new task
    const [review] = (await runtime.listTasks({ instanceId: ids[0]! })).items;
    await runtime.completeTask(review!.id, {}, alice);
    expect((await runtime.listTasks({ instanceId: ids[0]! })).items.map((t) => t.elementId)).to.deep.equal([
      'approve',
    ]);
    const trail = await runtime.auditTrail(ids[1]!);
    expect(trail.some((e) => e.type === 'instance.migrated' && e.data?.toVersion === 2)).to.equal(true);
  });

  it('should refuse a migration that would strand an instance, naming the missing ids', async () => {
    // given an instance waiting at the review, and a version 3 without it
    const inst = await runtime.start({ key: 'p2-migrate' }, alice);
    const v3 = await runtime.deploy(fixture('features/migrate-v3'), admin);
    const before = await stores.instances.get(inst.id);
    // when
    let err: unknown;
    try {
      await runtime.migrate(inst.id, v3.definition.version, admin);
    } catch (e) {
      err = e;
    }
    // then
    expect(isAppError(err, 'RV_ERR_MIGRATION_STRANDS')).to.equal(true);
    expect((err as AppError).details).to.deep.include({ missing: ['review', 'review-overdue'] });
    const after = await stores.instances.get(inst.id);
    expect(after?.rev).to.equal(before?.rev);
    expect(after?.version).to.equal(before?.version);
  });
});
