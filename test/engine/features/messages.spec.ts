import { expect } from 'chai';
import { isAppError } from '../../../server/app-error.js';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, alice, waitUntil } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

async function openTasks(runtime: EngineRuntime, instanceId: string): Promise<string[]> {
  return (await runtime.listTasks({ instanceId })).items.map((t) => t.elementId);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('engine/features/messaging', () => {
  const ctx = useTestDatabase();
  let runtime: EngineRuntime;
  let stores: RuntimeStores;

  beforeEach(async () => {
    ({ runtime, stores } = await featureRuntime(
      ctx.db,
      ['message-wait', 'message-start', 'message-throw', 'signal-wait', 'message-send-task'],
      { services: { 'p2.post-documents': async () => ({ posted: true }) } },
    ));
    await runtime.recover();
  });

  afterEach(async () => {
    await runtime.close();
  });

  it('should correlate a message by its correlation-key variable, then a receive task by business key', async () => {
    // given two instances waiting for a reply to different letters
    const one = await runtime.start(
      { key: 'p2-message-wait', businessKey: 'B-1', variables: { letterRef: 'L-1' } },
      alice,
    );
    const two = await runtime.start(
      { key: 'p2-message-wait', businessKey: 'B-2', variables: { letterRef: 'L-2' } },
      alice,
    );
    expect(one.waiting.map((w) => w.elementId)).to.deep.equal(['wait-reply']);
    // when the reply to L-2 arrives
    const moved = await runtime.correlateMessage(
      { name: 'reply-received', correlationKey: 'L-2', variables: { answer: 'agreed' } },
      admin,
    );
    // then only the second instance moved, with the message's variables
    expect(moved.id).to.equal(two.id);
    expect(moved.variables).to.include({ answer: 'agreed' });
    expect(moved.waiting.map((w) => w.elementId)).to.deep.equal(['receive-documents']);
    expect((await runtime.getInstance(one.id)).waiting.map((w) => w.elementId)).to.deep.equal(['wait-reply']);
    // when the documents arrive for business key B-2 (the receive task correlates by business key)
    await runtime.correlateMessage({ name: 'documents-received', correlationKey: 'B-2' }, admin);
    // then
    expect(await openTasks(runtime, two.id)).to.deep.equal(['read-reply']);
    const trail = await runtime.auditTrail(two.id);
    expect(trail.filter((e) => e.type === 'message.correlated').map((e) => e.data?.message)).to.deep.equal([
      'reply-received',
      'documents-received',
    ]);
  });

  it('should refuse an uncorrelated message clearly and change nothing', async () => {
    // given
    const one = await runtime.start({ key: 'p2-message-wait', variables: { letterRef: 'L-1' } }, alice);
    const before = await stores.instances.get(one.id);
    // when
    const err = await rejection(
      runtime.correlateMessage({ name: 'reply-received', correlationKey: 'L-404' }, admin),
    );
    const unknown = await rejection(runtime.correlateMessage({ name: 'no-such-message' }, admin));
    // then
    expect(isAppError(err, 'RV_ERR_MESSAGE_NOT_CORRELATED')).to.equal(true);
    expect(isAppError(unknown, 'RV_ERR_MESSAGE_NOT_CORRELATED')).to.equal(true);
    const after = await stores.instances.get(one.id);
    expect(after?.rev).to.equal(before?.rev);
    expect(after?.waiting).to.deep.equal(before?.waiting);
  });

  it('should start an instance at a message start event, keyed by the correlation key', async () => {
    // when
    const started = await runtime.correlateMessage(
      { name: 'complaint-filed', correlationKey: 'C-9', variables: { subject: 'late permit' } },
      admin,
    );
    // then
    expect(started.key).to.equal('p2-message-start');
    expect(started.businessKey).to.equal('C-9');
    expect(started.variables).to.include({ subject: 'late permit' });
    expect(await openTasks(runtime, started.id)).to.deep.equal(['register-complaint']);
  });

  it('should route a message thrown inside one process to the instance waiting for it', async () => {
    // given a waiting receiver and a sender about the same letter
    const receiver = await runtime.start({ key: 'p2-message-wait', variables: { letterRef: 'L-7' } }, alice);
    const sender = await runtime.start({ key: 'p2-message-throw', variables: { letterRef: 'L-7' } }, alice);
    const [write] = (await runtime.listTasks({ instanceId: sender.id })).items;
    // when the sender writes and sends the reply
    await runtime.completeTask(write!.id, {}, alice);
    // then the sender ends and the receiver moves on
    expect((await runtime.getInstance(sender.id)).status).to.equal('completed');
    const moved = await waitUntil(async () => {
      const r = await runtime.getInstance(receiver.id);
      return r.waiting.some((w) => w.elementId === 'receive-documents') ? r : undefined;
    }, 'the thrown message to arrive');
    expect(moved!.waiting.map((w) => w.elementId)).to.deep.equal(['receive-documents']);
  });

  it('should deliver a signal to every waiting instance except suspended ones', async () => {
    // given three instances working, one of them suspended
    const a = await runtime.start({ key: 'p2-signal-wait' }, alice);
    const b = await runtime.start({ key: 'p2-signal-wait' }, alice);
    const c = await runtime.start({ key: 'p2-signal-wait' }, alice);
    await runtime.suspend(c.id, admin);
    // when the office closes
    const result = await runtime.signal('office-closed', { closedBy: 'director' }, admin);
    // then both running instances left through the signal boundary; the suspended one still works
    expect(result.delivered).to.equal(2);
    for (const id of [a.id, b.id]) {
      const inst = await runtime.getInstance(id);
      expect(inst.status).to.equal('completed');
      expect(inst.variables).to.include({ closedBy: 'director' });
    }
    expect(await openTasks(runtime, c.id)).to.deep.equal(['work']);
    expect((await runtime.signal('office-closed', {}, admin)).delivered).to.equal(0);
    // and once resumed, the next signal reaches it
    await runtime.resume(c.id, admin);
    expect((await runtime.signal('office-closed', {}, admin)).delivered).to.equal(1);
    expect((await runtime.getInstance(c.id)).status).to.equal('completed');
    expect((await runtime.verifyAudit()).ok).to.equal(true);
  });

  it('should route the message of a send task, keyed by the sender business key', async () => {
    // given a receiver past its reply, waiting for the documents of business key B-5
    const receiver = await runtime.start(
      { key: 'p2-message-wait', businessKey: 'B-5', variables: { letterRef: 'L-5' } },
      alice,
    );
    await runtime.correlateMessage({ name: 'reply-received', correlationKey: 'L-5' }, admin);
    // when a sender with the same business key posts the documents
    const sender = await runtime.start({ key: 'p2-message-send-task', businessKey: 'B-5' }, alice);
    // then the sender ran its service and ended, and the receiver moved on to reading
    expect(sender.status).to.equal('completed');
    expect(sender.variables).to.include({ posted: true });
    await waitUntil(
      async () => (await openTasks(runtime, receiver.id)).includes('read-reply'),
      'the documents to arrive',
    );
  });

  it('should route the message of a send task whose service was still running when the process died', async () => {
    // given a receiver waiting for the documents of business key B-9
    const receiver = await runtime.start(
      { key: 'p2-message-wait', businessKey: 'B-9', variables: { letterRef: 'L-9' } },
      alice,
    );
    await runtime.correlateMessage({ name: 'reply-received', correlationKey: 'L-9' }, admin);
    await runtime.close();
    // and a sender whose service does not answer before its process dies (checkpointed with the call in flight)
    ({ runtime, stores } = await featureRuntime(ctx.db, [], {
      serviceWaitMs: 20,
      services: { 'p2.post-documents': () => new Promise(() => undefined) },
    }));
    await runtime.recover();
    const sender = await runtime.start({ key: 'p2-message-send-task', businessKey: 'B-9' }, alice);
    expect(sender.status).to.equal('running');
    // when the process dies (it writes nothing more), a new one recovers the sender and its service answers
    await runtime.abandon();
    ({ runtime, stores } = await featureRuntime(ctx.db, [], {
      services: { 'p2.post-documents': async () => ({ posted: true }) },
    }));
    await runtime.recover();
    await waitUntil(
      async () => (await runtime.getInstance(sender.id)).status === 'completed',
      'the sender to complete',
    );
    // then its message still reached the receiver
    await waitUntil(
      async () => (await openTasks(runtime, receiver.id)).includes('read-reply'),
      'the documents to arrive',
    );
  });

  it('should still deliver a thrown message when a crash came between the checkpoint and the delivery', async () => {
    // given a receiver, and a sender whose process dies right after its checkpoint (delivery switched off)
    const receiver = await runtime.start({ key: 'p2-message-wait', variables: { letterRef: 'L-8' } }, alice);
    const sender = await runtime.start({ key: 'p2-message-throw', variables: { letterRef: 'L-8' } }, alice);
    const [write] = (await runtime.listTasks({ instanceId: sender.id })).items;
    runtime.holdHandOvers();
    await runtime.completeTask(write!.id, {}, alice);
    await runtime.idle();
    expect((await runtime.getInstance(receiver.id)).waiting.map((w) => w.elementId)).to.deep.equal([
      'wait-reply',
    ]);
    // when the process dies (it writes nothing more) and a new one starts on the same database
    await runtime.abandon();
    ({ runtime, stores } = await featureRuntime(ctx.db, []));
    await runtime.recover();
    // then the message left in the outbox reached the receiver, once
    const after = await runtime.getInstance(receiver.id);
    expect(after.waiting.map((w) => w.elementId)).to.deep.equal(['receive-documents']);
    expect(await ctx.db.conn.collection('outbox').countDocuments()).to.equal(0);
    const trail = await runtime.auditTrail(receiver.id);
    expect(trail.filter((e) => e.type === 'message.correlated')).to.have.length(1);
  });
});
