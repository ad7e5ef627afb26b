import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { waitUntil } from '../../helpers/wait.js';
import { alice } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

/** Timers on the real clock, through the runtime and the database: on time, each once, across a restart. */
describe('engine/scheduler (timers through the runtime)', function () {
  this.timeout(180_000);
  const ctx = useTestDatabase();
  const open: EngineRuntime[] = [];

  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
  });

  async function boot(): Promise<{ runtime: EngineRuntime; stores: RuntimeStores }> {
    const booted = await featureRuntime(ctx.db, ['timer-catch']);
    open.push(booted.runtime);
    await booted.runtime.recover();
    return booted;
  }

  /**
   * Starts `n` instances whose timers fall due `gap` ms apart, the first at least `from` ms after the starts
   * begin and, on a busy machine, late enough that every start ends before its timer is due (a timer already
   * due when its instance arrives fires inside the start, with no job: not what these tests are about).
   */
  async function startTimers(runtime: EngineRuntime, n: number, from: number, gap: number) {
    const c0 = Date.now();
    for (let i = 0; i < 3; i++)
      await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P1D' } }, alice);
    const perStart = (Date.now() - c0) / 3;
    const t0 = Date.now() + Math.max(from, 2 * n * perStart);
    const due = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const until = new Date(t0 + i * gap).toISOString();
      const inst = await runtime.start({ key: 'p2-timer-catch', variables: { kind: 'date', until } }, alice);
      due.set(inst.id, Date.parse(until));
    }
    if (Date.now() >= t0) throw new Error(`the starts took too long: ${Date.now() - t0} ms into the window`);
    return due;
  }

  /** `timer.fired` entries per instance, from the whole audit chain. */
  async function firings(stores: RuntimeStores): Promise<Map<string, number>> {
    const count = new Map<string, number>();
    for (let after = 0; ;) {
      const page = await stores.audit.page(after, 1000);
      if (!page.length) return count;
      for (const e of page)
        if (e.type === 'timer.fired' && e.instanceId)
          count.set(e.instanceId, (count.get(e.instanceId) ?? 0) + 1);
      after = page.at(-1)!.seq;
    }
  }

  it('should fire timers due close together each once, none early, the next step durable', async () => {
    // given 40 instances whose timers fall due 20 ms apart
    const { runtime, stores } = await boot();
    const fired = new Map<string, number>();
    runtime.events.on('task.created', ({ task }) => {
      if (task.elementId === 'act') fired.set(task.instanceId, Date.now());
    });
    const due = await startTimers(runtime, 40, 3000, 20);
    // when they fall due
    await waitUntil(() => fired.size === due.size, 'every timer fired', 60_000);
    await runtime.idle();
    // then each fired once and not before its time, and no job is left
    const audited = await firings(stores);
    for (const [id, at] of due) {
      expect(audited.get(id), id).to.equal(1);
      expect(fired.get(id)!, id).to.be.at.least(at);
    }
    const left = await stores.jobs.due('9999-12-31T00:00:00Z', 1000);
    expect(left.filter((j) => due.has(j.instanceId))).to.deep.equal([]);
  });

  it('should fire each timer once when the server stops while they fire and starts after more fell due', async () => {
    // given 20 timers due 25 ms apart, 20 more due some seconds later, and a server that stops once a few fired
    const first = await boot();
    const soon = await startTimers(first.runtime, 20, 4000, 25);
    const later = await startTimers(first.runtime, 20, 8000, 25);
    const due = new Map([...soon, ...later]);
    const fired = async (r: EngineRuntime) =>
      (await r.listTasks({ key: 'p2-timer-catch', limit: 500 })).items.filter((t) => due.has(t.instanceId))
        .length;
    await waitUntil(async () => (await fired(first.runtime)) >= 5, 'a few timers fired', 60_000);
    await first.runtime.close();
    open.splice(open.indexOf(first.runtime), 1);
    // when it starts again after every timer fell due
    const lastDue = Math.max(...due.values());
    await waitUntil(() => Date.now() > lastDue, 'every timer due while the server is down', 60_000);
    const second = await boot();
    await waitUntil(async () => (await fired(second.runtime)) === due.size, 'every timer fired', 60_000);
    await second.runtime.idle();
    // then every timer fired exactly once over both runs, and no job is left
    const audited = await firings(second.stores);
    for (const id of due.keys()) expect(audited.get(id), id).to.equal(1);
    const left = await second.stores.jobs.due('9999-12-31T00:00:00Z', 1000);
    expect(left.filter((j) => due.has(j.instanceId))).to.deep.equal([]);
    expect((await second.runtime.verifyAudit()).ok).to.equal(true);
  });
});
