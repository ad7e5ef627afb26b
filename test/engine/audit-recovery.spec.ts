import path from 'node:path';
import { expect } from 'chai';
import { EngineRuntime } from '../../server/engine/runtime.js';
import type { AuditStore, RuntimeStores } from '../../server/engine/stores.js';
import type { Actor, AuditEvent } from '../../server/engine/types.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { projectRoot } from '../../server/project-root.js';
import { useTestDatabase } from '../helpers/database.js';
import { admin, alice, fixture, formsDir, runCrashChild, TestClock, waitUntil } from './runtime-harness.js';

const staff: Actor = { id: 'auditor', groups: ['staff', 'finance', 'protocol'], roles: ['admin'] };

const straightThrough = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://ravand.test">
  <bpmn:process id="audit-straight" name="Straight through" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="flow-start-end" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

/**
 * The kill window made deterministic: once `cut()` is called, the audit store writes the first `keep` entries
 * of the next append and then never answers, as if the process died mid-append. Everything else is the real
 * database; the runtime that hangs on it is abandoned like a killed process.
 */
function cuttable(store: AuditStore) {
  let cut: { keep: number; reached: () => void } | undefined;
  let fail = false;
  const wrapped: AuditStore = {
    last: () => store.last(),
    byInstance: (id) => store.byInstance(id),
    page: (after, limit) => store.page(after, limit),
    scan: () => store.scan(),
    keysAfter: (after) => store.keysAfter(after),
    async insertMany(events: AuditEvent[], keys?: (string | undefined)[]) {
      if (fail) {
        fail = false;
        throw new Error('simulated write failure');
      }
      if (!cut) return store.insertMany(events, keys);
      const { keep, reached } = cut;
      await store.insertMany(events.slice(0, keep), keys?.slice(0, keep));
      reached();
      await new Promise(() => undefined); // the process is gone
    },
  };
  return {
    store: wrapped,
    /** Resolves once the next append has been cut off (its checkpoint is written by then). */
    cut(keep = 0): Promise<void> {
      return new Promise<void>((resolve) => (cut = { keep, reached: resolve }));
    },
    /** The next append fails (a database error; the process goes on). */
    failNext(): void {
      fail = true;
    },
  };
}

describe('engine/audit-chain (crash repair of the audit trail)', function () {
  this.timeout(120_000);
  const ctx = useTestDatabase();
  const clock = new TestClock();

  async function crashedRuntime() {
    const stores = await createRuntimeStores(ctx.db);
    const audit = cuttable(stores.audit);
    const runtime = new EngineRuntime({ stores: { ...stores, audit: audit.store }, formsDir, clock });
    return { runtime, cut: (keep?: number) => audit.cut(keep), failNext: () => audit.failNext() };
  }

  async function restart(): Promise<{ runtime: EngineRuntime; stores: RuntimeStores }> {
    const stores = await createRuntimeStores(ctx.db);
    const runtime = new EngineRuntime({ stores, formsDir, clock });
    await runtime.recover();
    return { runtime, stores };
  }

  const types = (trail: AuditEvent[]) => trail.map((e) => e.type);
  /** An instance of the simple-task fixture (deployed before), waiting at its review task. */
  const startReview = (runtime: EngineRuntime) =>
    runtime.start({ key: 'engine-simple-task', variables: { reviewer: 'alice', province: 'kab' } }, alice);

  it('should append the cut-off entries of a command that ended an instance, exactly once', async () => {
    // given an instance whose completing checkpoint is written, but whose audit append the kill cut off
    const first = await crashedRuntime();
    await first.runtime.deploy(fixture('engine-simple-task'), alice);
    const inst = await startReview(first.runtime);
    const [task] = (await first.runtime.listTasks({ instanceId: inst.id })).items;
    const cutOff = first.cut();
    void first.runtime.completeTask(task!.id, { decision: 'approve' }, alice).catch(() => undefined);
    await cutOff;
    const before = await ctx.db.conn.collection('events').countDocuments({ instanceId: inst.id });
    const [ended] = await ctx.db.conn
      .collection('instance_history')
      .find({ _id: inst.id } as never)
      .toArray();
    const drafts = (JSON.parse(String(ended!.audit)) as { drafts: { type: string }[] }).drafts;
    // the ended record is in history, its active copy still there (it goes only after the audit entries)
    expect(
      await ctx.db.conn.collection('instance_history').countDocuments({ _id: inst.id } as never),
    ).to.equal(1);
    expect(await ctx.db.conn.collection('instances').countDocuments({ _id: inst.id } as never)).to.equal(1);

    // when a new runtime starts on the database, and then once more (a restart after the repair)
    const second = await restart();
    const trail = await second.runtime.auditTrail(inst.id);
    await second.runtime.close();
    const third = await restart();
    const again = await third.runtime.auditTrail(inst.id);

    // then
    expect(trail).to.have.length(before + drafts.length);
    expect(types(trail).slice(before)).to.deep.equal(drafts.map((d) => d.type));
    expect(types(trail).filter((t) => t === 'task.completed')).to.have.length(1);
    expect(types(trail).filter((t) => t === 'instance.completed')).to.have.length(1);
    expect(trail.find((e) => e.type === 'task.completed')!.taskId).to.equal(task!.id);
    expect(again).to.deep.equal(trail);
    expect((await third.runtime.getInstance(inst.id)).status).to.equal('completed');
    expect(await ctx.db.conn.collection('instances').countDocuments({ _id: inst.id } as never)).to.equal(0);
    expect((await third.runtime.verifyAudit()).ok).to.equal(true);
    await third.runtime.close();
  });

  it('should append only the rest when the kill came in the middle of an append', async () => {
    // given a start whose first audit entry reached the chain and the others did not
    const first = await crashedRuntime();
    await first.runtime.deploy(fixture('engine-gateways'), alice);
    const cutOff = first.cut(1);
    void first.runtime.start({ key: 'engine-gateways', businessKey: 'CUT-1' }, staff).catch(() => undefined);
    await cutOff;
    const stored = await waitUntil(async () => {
      const page = await ctx.db.conn.collection('instances').find({ businessKey: 'CUT-1' }).toArray();
      return page[0];
    }, 'the checkpoint');
    const id = String(stored._id);
    const drafts = (JSON.parse(String(stored.audit)) as { drafts: unknown[] }).drafts;
    expect(drafts.length).to.be.greaterThan(1);
    expect(await ctx.db.conn.collection('events').countDocuments({ instanceId: id })).to.equal(1);

    // when
    const second = await restart();
    const trail = await second.runtime.auditTrail(id);

    // then every draft once, in the order the command made them, and the instance goes on
    expect(trail).to.have.length(drafts.length);
    expect(trail.map((e) => e.type)).to.deep.equal((drafts as { type: string }[]).map((d) => d.type));
    expect(types(trail).filter((t) => t === 'instance.started')).to.have.length(1);
    const [task] = (await second.runtime.listTasks({ instanceId: id })).items;
    await second.runtime.completeTask(task!.id, { cost: 50, funding: 'commission' }, staff);
    expect((await second.runtime.verifyAudit()).ok).to.equal(true);
    await second.runtime.close();
  });

  it('should append the entries of an instance that ended in its first command', async () => {
    // given a straight-through start, checkpointed, its audit append cut off
    const first = await crashedRuntime();
    await first.runtime.deploy(straightThrough, alice);
    const cutOff = first.cut();
    void first.runtime.start({ key: 'audit-straight', businessKey: 'CUT-2' }, alice).catch(() => undefined);
    await cutOff;
    const [stored] = await ctx.db.conn
      .collection('instance_history')
      .find({ businessKey: 'CUT-2' })
      .toArray();
    const id = String(stored!._id);
    expect(await ctx.db.conn.collection('events').countDocuments({ instanceId: id })).to.equal(0);

    // when
    const second = await restart();
    const trail = await second.runtime.auditTrail(id);

    // then
    expect(types(trail).filter((t) => t === 'instance.started')).to.have.length(1);
    expect(types(trail).filter((t) => t === 'instance.completed')).to.have.length(1);
    expect(await ctx.db.conn.collection('instances').countDocuments({ _id: id } as never)).to.equal(0);
    expect((await second.runtime.getInstance(id)).status).to.equal('completed');
    expect((await second.runtime.verifyAudit()).ok).to.equal(true);
    await second.runtime.close();
  });

  it("should append the entries of a command whose audit write failed, once and before the next command's", async () => {
    // given a suspend whose checkpoint is written but whose first audit append fails (the process goes on)
    const { runtime, failNext } = await crashedRuntime();
    const inst = await startReview(runtime);
    failNext();
    const suspended = await runtime.suspend(inst.id, admin);
    expect(suspended.status).to.equal('suspended');

    // when the instance's next command runs (its checkpoint carries the suspend's entries meanwhile), and
    // reads get through once the retried append is in (until then they answer RV_ERR_DB_UNAVAILABLE)
    await runtime.resume(inst.id, admin);
    await waitUntil(
      () =>
        runtime.settled().then(
          () => true,
          () => false,
        ),
      'the retried audit append',
    );
    const [task] = (await runtime.listTasks({ instanceId: inst.id })).items;
    await runtime.completeTask(task!.id, { decision: 'approve' }, alice);
    await runtime.close();

    // then the suspend's entry comes first, once, and the chain verifies
    const next = await restart();
    const trail = types(await next.runtime.auditTrail(inst.id));
    expect(trail.filter((t) => t === 'instance.suspended')).to.have.length(1);
    expect(trail.indexOf('instance.suspended')).to.be.lessThan(trail.indexOf('instance.resumed'));
    expect(trail.filter((t) => t === 'instance.completed')).to.have.length(1);
    expect((await next.runtime.verifyAudit()).ok).to.equal(true);
    await next.runtime.close();
  });

  it("should carry a command's entries in the next checkpoint while they are behind, and append both after a kill", async () => {
    // given an instance whose suspend is checkpointed but whose audit append the kill cut off, and whose
    // resume was checkpointed after that (the records of both are still behind when the process dies)
    const first = await crashedRuntime();
    await first.runtime.deploy(fixture('engine-simple-task'), alice);
    const inst = await startReview(first.runtime);
    const cutOff = first.cut();
    expect((await first.runtime.suspend(inst.id, admin)).status).to.equal('suspended');
    await cutOff;
    expect((await first.runtime.resume(inst.id, admin)).status).to.equal('running');
    const [stored] = await ctx.db.conn
      .collection('instances')
      .find({ _id: inst.id } as never)
      .toArray();
    const carried = (JSON.parse(String(stored!.audit)) as { carried?: { drafts: AuditEvent[] }[] }).carried;
    expect(carried?.flatMap((c) => c.drafts.map((d) => d.type))).to.include('instance.suspended');

    // when a new process starts on the same database
    const second = await restart();
    const trail = types(await second.runtime.auditTrail(inst.id));

    // then both commands' entries are in, once each and in order, and the task is still open
    expect(trail.filter((t) => t === 'instance.suspended')).to.have.length(1);
    expect(trail.filter((t) => t === 'instance.resumed')).to.have.length(1);
    expect(trail.indexOf('instance.suspended')).to.be.lessThan(trail.indexOf('instance.resumed'));
    expect((await second.runtime.listTasks({ instanceId: inst.id })).items).to.have.length(1);
    expect((await second.runtime.verifyAudit()).ok).to.equal(true);
    await second.runtime.close();
  });

  it('should lose no audit entry when the process is SIGKILLed between checkpoints and their append', async () => {
    // given a child process that completes 10 tasks at once while its audit writes never arrive, killed once
    // the first append hangs (its checkpoints are written; later batches may be written too, or not yet)
    const child = runCrashChild(
      path.join(projectRoot(), 'test', 'engine', 'audit-recovery-child.ts'),
      '1',
      ctx.uri,
    );
    const { ids } = JSON.parse(await child.line('READY ')) as { ids: string[] };
    await child.line('CUT');
    // when it is killed outright and a new runtime starts on the database
    child.child.kill('SIGKILL');
    expect((await child.exited).signal).to.equal('SIGKILL');
    const cutOff = await ctx.db.conn
      .collection('events')
      .countDocuments({ type: 'task.completed', instanceId: { $in: ids } });
    const next = await restart();

    // then each completion that was checkpointed is audited exactly once, the others did not happen at all
    let checkpointed = 0;
    for (const id of ids) {
      const trail = types(await next.runtime.auditTrail(id));
      const done = (await next.runtime.getInstance(id)).status === 'completed';
      if (done) checkpointed++;
      expect(
        trail.filter((t) => t === 'instance.started'),
        id,
      ).to.have.length(1);
      expect(
        trail.filter((t) => t === 'task.completed'),
        id,
      ).to.have.length(done ? 1 : 0);
      expect(
        trail.filter((t) => t === 'instance.completed'),
        id,
      ).to.have.length(done ? 1 : 0);
      expect((await next.runtime.listTasks({ instanceId: id })).total, id).to.equal(done ? 0 : 1);
    }
    expect(checkpointed).to.be.greaterThan(0);
    expect(cutOff).to.equal(0);
    expect(await ctx.db.conn.collection('instances').countDocuments({ _id: { $in: ids } } as never)).to.equal(
      ids.length - checkpointed,
    );
    expect((await next.runtime.verifyAudit()).ok).to.equal(true);
    await next.runtime.close();
  });

  it('should append the entry of a deployment whose audit append the kill cut off, exactly once', async () => {
    // given a definition stored, its `definition.deployed` entry cut off
    const xml = straightThrough.replaceAll('audit-straight', 'audit-deploy-cut');
    const first = await crashedRuntime();
    const cutOff = first.cut();
    void first.runtime.deploy(xml, alice).catch(() => undefined);
    await cutOff;
    const events = ctx.db.conn.collection('events');
    const deployedOf = { type: 'definition.deployed', cmd: 'audit-deploy-cut:1/0/0' };
    expect(
      await ctx.db.conn.collection('definitions').countDocuments({ _id: 'audit-deploy-cut:1' } as never),
    ).to.equal(1);
    expect(await events.countDocuments(deployedOf)).to.equal(0);

    // when a new runtime starts on the database, and then once more
    const second = await restart();
    await second.runtime.close();
    const third = await restart();

    // then the entry is in once, with who deployed what; the record shows none of it
    const entries = await events.find(deployedOf).toArray();
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ actor: alice.id });
    expect(JSON.parse(String(entries[0]!.data))).to.include({ definitionId: 'audit-deploy-cut:1' });
    const [definition] = await third.runtime.listVersions('audit-deploy-cut');
    expect(definition).to.not.have.any.keys('auditDrafts', 'auditAfterSeq');
    expect((await third.runtime.verifyAudit()).ok).to.equal(true);
    await third.runtime.close();
  });

  it("should append a deployment's entry whose audit write failed, at the latest when the runtime closes", async () => {
    // given a deployment stored whose audit append failed (a database error; the process goes on)
    const xml = straightThrough.replaceAll('audit-straight', 'audit-deploy-fail');
    const first = await crashedRuntime();
    first.failNext();
    const failed = await first.runtime.deploy(xml, alice).then(
      () => undefined,
      (e: Error) => e,
    );
    const events = ctx.db.conn.collection('events');
    const deployedOf = { type: 'definition.deployed', cmd: 'audit-deploy-fail:1/0/0' };
    expect(failed?.message).to.equal('simulated write failure');
    expect(await events.countDocuments(deployedOf)).to.equal(0);

    // when the runtime shuts down cleanly, and a new one starts
    await first.runtime.close();
    const appendedAtClose = await events.countDocuments(deployedOf);
    const next = await restart();

    // then
    expect(appendedAtClose).to.equal(1);
    expect(await events.countDocuments(deployedOf)).to.equal(1);
    expect((await next.runtime.verifyAudit()).ok).to.equal(true);
    await next.runtime.close();
  });

  it('should leave the chain as it is after a clean shutdown', async () => {
    // given a runtime that cancels an instance and shuts down cleanly
    const { runtime } = await restart();
    const inst = await startReview(runtime);
    await runtime.cancel(inst.id, 'duplicate', admin);
    const trail = await runtime.auditTrail(inst.id);
    await runtime.close();

    // when
    const next = await restart();

    // then
    expect(await next.runtime.auditTrail(inst.id)).to.deep.equal(trail);
    expect(types(trail).filter((t) => t === 'instance.cancelled')).to.have.length(1);
    expect((await next.runtime.verifyAudit()).ok).to.equal(true);
    await next.runtime.close();
  });
});
