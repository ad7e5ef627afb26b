/**
 * Firing a durable timer inside a live engine. The runtime gives each engine bpmn-elements' `Timers` with a
 * no-op `setTimeout`, so no Node timer is ever armed inside an engine: each waiting timer stays in
 * `environment.timers.executing` with its `owner` (the timer content: executionId, expireAt, timeCycle …) and
 * its callback, and is checkpointed as a job with `dueAt` = `expireAt`. The scheduler fires the job through
 * the instance queue by calling that callback here. After a restart the recovered engine re-registers each
 * timer from its saved `expireAt`; one already due completes during `resume()` and there is nothing left to fire.
 */

/** One entry of bpmn-elements' `timers.executing` (its Timer object). */
interface TimerRef {
  owner?: { id?: string; executionId?: string; expireAt?: Date | string } | null;
  callback: (...args: unknown[]) => void;
  args?: unknown[];
  expireAt?: Date;
}

interface TimersApi {
  executing: TimerRef[];
  clearTimeout(ref: unknown): unknown;
}

function timersOf(engine: unknown): TimersApi | undefined {
  const env = (engine as { environment?: { timers?: TimersApi } } | undefined)?.environment;
  return env?.timers && Array.isArray(env.timers.executing) ? env.timers : undefined;
}

/**
 * Fires the timer of `executionId` in a live engine (synchronously, like a Node timer would) and returns true;
 * false when no such timer waits (it already fired, e.g. during the resume of an overdue timer).
 */
export function fireEngineTimer(engine: unknown, executionId: string): boolean {
  const timers = timersOf(engine);
  if (!timers) return false;
  const ref = timers.executing.find((r) => r.owner?.executionId === executionId);
  if (!ref) return false;
  timers.clearTimeout(ref);
  ref.callback(...(ref.args ?? []));
  return true;
}
