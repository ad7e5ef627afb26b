import { expect } from 'chai';
import { useTestDatabase } from '../helpers/database.js';
import { admin, alice, createTestRuntime, fixture } from '../engine/runtime-harness.js';

describe('persistence/instance-store (the engine state as stored)', () => {
  const ctx = useTestDatabase();

  /** An instance of the simple-task fixture waiting at its task, and its active document as stored. */
  async function waitingInstance() {
    const { runtime, stores } = await createTestRuntime(ctx.db);
    await runtime.deploy(fixture('engine-simple-task'), admin);
    const inst = await runtime.start(
      { key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } },
      alice,
    );
    await runtime.idle();
    const active = ctx.db.conn.collection('instances');
    const doc = (await active.findOne({ _id: inst.id as never }))!;
    return { runtime, stores, inst, active, doc };
  }

  it('should store the engine state deflated, and give the same state back', async () => {
    // given
    const { runtime, stores, inst, doc } = await waitingInstance();
    // then: binary, a fraction of the JSON it holds
    const rec = (await stores.instances.get(inst.id))!;
    const stored = doc.state as { buffer: Uint8Array };
    expect(stored.buffer).to.be.instanceOf(Uint8Array);
    expect(JSON.parse(rec.state!)).to.have.property('definitions');
    expect(stored.buffer.length).to.be.below(rec.state!.length / 3);
    await runtime.close();
  });

  it('should recover an instance whose state was stored as JSON text (documents written before)', async () => {
    // given: the document as an older Ravand wrote it, then a restart
    const { runtime, stores, inst, active } = await waitingInstance();
    const state = (await stores.instances.get(inst.id))!.state!;
    await runtime.close();
    await active.updateOne({ _id: inst.id as never }, { $set: { state } });
    // when
    const { runtime: second } = await createTestRuntime(ctx.db);
    await second.recover();
    const [task] = (await second.listTasks({ instanceId: inst.id })).items;
    await second.completeTask(task!.id, { decision: 'approve' }, alice);
    // then: the engine came back from the text and ran on
    expect((await second.getInstance(inst.id)).status).to.equal('completed');
    await second.close();
  });

  it('should refuse a damaged state instead of recovering a different engine', async () => {
    // given: one byte of the deflated state flipped
    const { runtime, stores, inst, active, doc } = await waitingInstance();
    await runtime.close();
    const bytes = Buffer.from((doc.state as { buffer: Uint8Array }).buffer);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0xff;
    await active.updateOne({ _id: inst.id as never }, { $set: { state: bytes } });
    // then: the checksum catches it
    let error: unknown;
    await stores.instances.get(inst.id).catch((err: unknown) => (error = err));
    expect(String(error)).to.match(/check|invalid|incorrect/i);
  });
});
