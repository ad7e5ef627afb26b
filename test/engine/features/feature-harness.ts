import FakeTimers from '@sinonjs/fake-timers';
import type { Database } from '../../../server/persistence/database.js';
import type { EngineRuntime, RuntimeOptions } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import { createTestRuntime, fixture } from '../runtime-harness.js';
import { admin } from '../runtime-harness.js';

/** Fakes only `Date` (bpmn-elements reads `new Date()` for timers), so the engine clock and the engine agree. */
export function fakeDate(start = '2026-03-01T04:00:00.000Z'): ReturnType<typeof FakeTimers.install> {
  return FakeTimers.install({ toFake: ['Date'], now: new Date(start) });
}

/** A runtime whose clock is `Date` (faked by the test), with the feature fixtures deployed. */
export async function featureRuntime(
  db: Database,
  fixtures: string[],
  options: Partial<RuntimeOptions> = {},
): Promise<{ runtime: EngineRuntime; stores: RuntimeStores }> {
  const { runtime, stores } = await createTestRuntime(db, { clock: { now: () => new Date() }, ...options });
  for (const f of fixtures) await runtime.deploy(fixture(`features/${f}`), admin);
  return { runtime, stores };
}

/** Moves the faked clock and lets the scheduler fire what fell due. */
export async function advance(
  runtime: EngineRuntime,
  clock: ReturnType<typeof FakeTimers.install>,
  ms: number,
): Promise<void> {
  clock.tick(ms);
  await runtime.scheduler.poke();
  await runtime.idle();
}

/** How often an element completed in an instance (from its audit trail). */
export async function completions(
  runtime: EngineRuntime,
  instanceId: string,
  elementId: string,
): Promise<number> {
  const trail = await runtime.auditTrail(instanceId);
  return trail.filter((e) => e.type === 'element.completed' && e.elementId === elementId).length;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
