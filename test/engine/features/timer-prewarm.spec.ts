import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { useTestDatabase } from '../../helpers/database.js';
import { waitUntil } from '../../helpers/wait.js';
import { admin, alice } from '../runtime-harness.js';
import { featureRuntime } from './feature-harness.js';

/**
 * Engines restored ahead of their timers (`timer-prewarmer.ts`), on the real clock, through the runtime and the
 * database. One engine stays in memory by LRU, so a live count above one shows the pinned, warmed ones.
 */
describe('engine/timer-prewarmer (through the runtime)', function () {
  this.timeout(120_000);
  const ctx = useTestDatabase();
  const open: EngineRuntime[] = [];

  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
  });

  /** Warmed 1 s ahead unless told (the default is shorter), so that a busy machine warms them before they are due. */
  async function boot(
    lookahead: number | 'default' = 1000,
  ): Promise<{ runtime: EngineRuntime; stores: RuntimeStores }> {
    const booted = await featureRuntime(ctx.db, ['timer-catch'], {
      maxLiveEngines: 1,
      ...(lookahead === 'default' ? {} : { timerLookaheadMs: lookahead }),
    });
    open.push(booted.runtime);
    await booted.runtime.recover();
    return booted;
  }

  /** Starts `n` instances whose timers fall due soon after the last start ends (they are warmed 1 s ahead). */
  async function startTimers(runtime: EngineRuntime, n: number): Promise<Map<string, number>> {
    const c0 = Date.now();
    await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P1D' } }, alice);
    const perStart = Date.now() - c0;
    // far enough for every start to end first, near enough to be inside the look-ahead when they have
    const at = Date.now() + Math.max(2500, 3 * n * perStart);
    const due = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const until = new Date(at + i * 10).toISOString();
      const inst = await runtime.start({ key: 'p2-timer-catch', variables: { kind: 'date', until } }, alice);
      due.set(inst.id, Date.parse(until));
    }
    // a last start, so that LRU eviction leaves only it in memory unless the others are pinned
    await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P1D' } }, alice);
    if (Date.now() >= at) throw new Error('the starts took longer than the window allows');
    return due;
  }

  async function timerFirings(runtime: EngineRuntime, id: string): Promise<number> {
    return (await runtime.auditTrail(id)).filter((e) => e.type === 'timer.fired').length;
  }

  function watchActs(runtime: EngineRuntime): Map<string, number> {
    const acts = new Map<string, number>();
    runtime.events.on('task.created', ({ task }) => {
      if (task.elementId === 'act') acts.set(task.instanceId, Date.now());
    });
    return acts;
  }

  it('should restore the engines before their timers fall due, then fire each once and not early', async () => {
    // given 4 instances whose timers fall due together, and room for one engine in memory
    const { runtime, stores } = await boot();
    const acts = watchActs(runtime);
    const due = await startTimers(runtime, 4);
    const first = Math.min(...due.values());
    // when the look-ahead reaches them, before they are due
    await waitUntil(() => runtime.warmedCount >= 4, 'the four engines warmed and pinned', 30_000);
    expect(Date.now(), 'warmed before the due time').to.be.below(first);
    expect(acts.size).to.equal(0);
    // then each fires once at its time
    await waitUntil(() => acts.size === due.size, 'every timer fired', 30_000);
    await runtime.idle();
    for (const [id, at] of due) {
      expect(await timerFirings(runtime, id), id).to.equal(1);
      expect(acts.get(id)!, id).to.be.at.least(at);
    }
    const left = await stores.jobs.due('9999-12-31T00:00:00Z', 100);
    expect(left.filter((j) => due.has(j.instanceId))).to.deep.equal([]);
    // and the pins end with the firings: LRU eviction takes the engines again
    await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P1D' } }, alice);
    await waitUntil(() => runtime.liveCount <= 2, 'the warmed engines released', 30_000);
  });

  it('should not fire a warmed engine whose instance was cancelled before its timer fell due', async () => {
    // given 3 warmed instances
    const { runtime, stores } = await boot();
    const acts = watchActs(runtime);
    const due = await startTimers(runtime, 3);
    await waitUntil(() => runtime.warmedCount >= 3, 'the engines warmed', 30_000);
    const [cancelled, ...others] = [...due.keys()];
    // when one is cancelled before its due time
    expect(Date.now()).to.be.below(due.get(cancelled!)!);
    await runtime.cancel(cancelled!, 'withdrawn', admin);
    await waitUntil(() => others.every((id) => acts.has(id)), 'the others fired', 30_000);
    await waitUntil(
      () => Date.now() > due.get(cancelled!)! + 500,
      'past the cancelled one’s due time',
      10_000,
    );
    await runtime.scheduler.idle();
    await runtime.idle();
    // then the cancelled one never fired, and the others fired once each
    expect(acts.has(cancelled!)).to.equal(false);
    expect(await timerFirings(runtime, cancelled!)).to.equal(0);
    expect((await runtime.getInstance(cancelled!)).status).to.equal('cancelled');
    for (const id of others) expect(await timerFirings(runtime, id), id).to.equal(1);
    const left = await stores.jobs.due('9999-12-31T00:00:00Z', 100);
    expect(left.filter((j) => due.has(j.instanceId))).to.deep.equal([]);
  });

  it('should hold a warmed timer while its instance is suspended and fire it once on resume', async () => {
    // given 2 warmed instances
    const { runtime } = await boot();
    const acts = watchActs(runtime);
    const due = await startTimers(runtime, 2);
    await waitUntil(() => runtime.warmedCount >= 2, 'the engines warmed', 30_000);
    const [held, other] = [...due.keys()];
    // when one is suspended before its due time, and resumed only after it
    await runtime.suspend(held!, admin);
    await waitUntil(() => acts.has(other!), 'the other fired', 30_000);
    await waitUntil(() => Date.now() > due.get(held!)! + 500, 'past the held one’s due time', 10_000);
    await runtime.scheduler.idle();
    expect(acts.has(held!), 'no firing while suspended').to.equal(false);
    await runtime.resume(held!, admin);
    // then it fires once, after the resume
    await waitUntil(() => acts.has(held!), 'the held timer fired after the resume', 30_000);
    await runtime.idle();
    expect(await timerFirings(runtime, held!)).to.equal(1);
    expect(await timerFirings(runtime, other!)).to.equal(1);
  });

  it('should start warming timers due together early enough to restore them all, not only the look-ahead before', async () => {
    // given the default look-ahead (150 ms) and 60 timers due at one instant: their restores are reckoned at
    // 5 ms each, so warming starts 300 ms before it
    const { runtime } = await boot('default');
    const acts = watchActs(runtime);
    const c0 = Date.now();
    await runtime.start({ key: 'p2-timer-catch', variables: { wait: 'P1D' } }, alice);
    const at = Date.now() + Math.max(2500, 3 * 60 * (Date.now() - c0));
    const until = new Date(at).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(
        (await runtime.start({ key: 'p2-timer-catch', variables: { kind: 'date', until } }, alice)).id,
      );
    if (Date.now() >= at - 1000) throw new Error('the starts took longer than the window allows');
    // when the clock is 180 ms before the instant: past what a fixed look-ahead of 150 ms would wait for
    await waitUntil(() => Date.now() >= at - 180, '180 ms before the timers are due', 30_000);
    const warmedEarly = runtime.warmedCount;
    // then warming had begun, and every timer still fires once and not early
    expect(warmedEarly, 'engines warmed more than the look-ahead before').to.be.at.least(1);
    await waitUntil(() => ids.every((id) => acts.has(id)), 'every timer fired', 60_000);
    await runtime.idle();
    for (const id of ids) {
      expect(acts.get(id)!, id).to.be.at.least(at);
      expect(await timerFirings(runtime, id), id).to.equal(1);
    }
  });
});
