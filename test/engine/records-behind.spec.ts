import { expect } from 'chai';
import { EngineRuntime } from '../../server/engine/runtime.js';
import type { CheckpointStore } from '../../server/engine/stores.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { useTestDatabase } from '../helpers/database.js';
import { alice, caught, fixture, formsDir, TestClock, waitUntil } from './runtime-harness.js';

/**
 * The real checkpoint store with a hand on its second step: the records behind a checkpoint (tasks, history,
 * audit) can be held back, or fail as if the database were gone. The checkpoints themselves go through.
 */
function controllable(store: CheckpointStore) {
  let held: Promise<void> | undefined;
  let release = () => {};
  let failing = false;
  const wrapped: CheckpointStore = {
    write: (units) => store.write(units),
    async materialise(units, appendAudit) {
      if (held) await held;
      if (failing) throw new Error('connect ECONNREFUSED (simulated outage)');
      return store.materialise(units, appendAudit);
    },
  };
  return {
    store: wrapped,
    hold(): void {
      held = new Promise<void>((r) => (release = r));
    },
    release(): void {
      held = undefined;
      release();
    },
    fail(on: boolean): void {
      failing = on;
    },
  };
}

describe('engine/records behind the checkpoint', () => {
  const ctx = useTestDatabase();
  const instanceOf = { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } };

  async function runtimeWith() {
    const stores = await createRuntimeStores(ctx.db);
    const control = controllable(stores.checkpoints);
    const runtime = new EngineRuntime({
      stores: { ...stores, checkpoints: control.store },
      formsDir,
      clock: new TestClock(),
    });
    await runtime.deploy(fixture('engine-simple-task'), alice);
    return { runtime, stores, control };
  }

  it('should answer a command once its checkpoint is durable, and make reads wait for the records behind it', async () => {
    // given records that are held back
    const { runtime, stores, control } = await runtimeWith();
    control.hold();

    // when an instance starts and someone reads its tasks
    const inst = await runtime.start(instanceOf, alice);
    const read = runtime.listTasks({ instanceId: inst.id });

    // then the command has answered, the task is not in its collection yet, and the read is still waiting
    expect(inst.waiting).to.have.length(1);
    expect(await stores.tasks.byInstance(inst.id)).to.deep.equal([]);
    expect(await Promise.race([read.then(() => 'answered'), Promise.resolve('waiting')])).to.equal('waiting');
    // and once the records are in, the read sees the task
    control.release();
    expect((await read).items.map((t) => t.elementId)).to.deep.equal(['review']);
    await runtime.close();
  });

  it('should refuse reads with RV_ERR_DB_UNAVAILABLE while the records behind cannot be written, and catch up after', async () => {
    // given records behind that fail to write
    const { runtime, control } = await runtimeWith();
    control.fail(true);
    const inst = await runtime.start(instanceOf, alice);

    // when someone reads during the outage
    const err = await caught(runtime.listTasks({ instanceId: inst.id }));

    // then the read fails at once with the catalogue's 503
    expect(err.code).to.equal('RV_ERR_DB_UNAVAILABLE');
    expect(err.status).to.equal(503);

    // and when the database is back, the retries write everything once
    control.fail(false);
    const tasks = await waitUntil(
      () =>
        runtime.listTasks({ instanceId: inst.id }).then(
          (page) => page.items,
          () => undefined,
        ),
      'the task after the outage',
    );
    expect(tasks.map((t) => t.elementId)).to.deep.equal(['review']);
    const trail = (await runtime.auditTrail(inst.id)).map((e) => e.type);
    expect(trail.filter((t) => t === 'instance.started')).to.have.length(1);
    expect((await runtime.verifyAudit()).ok).to.equal(true);
    await runtime.close();
  });
});
