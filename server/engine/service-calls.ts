import { log } from '../logger.js';
import type { Clock } from './clock.js';
import type { CommitContext } from './checkpoint.js';
import { errorText } from './error-text.js';
import { userVariables } from './expressions.js';
import type { InstanceQueue } from './instance-queue.js';
import type { ActivityLike, Live, Outcome, ServiceCall } from './live.js';
import type { ServiceRegistry } from './service-registry.js';
import type { RuntimeStores } from './stores.js';
import { SYSTEM_ACTOR } from './types.js';

export interface ServiceCallsOptions {
  stores: RuntimeStores;
  services: ServiceRegistry;
  clock: Clock;
  queue: InstanceQueue;
  /** How long a command waits for the services it started before checkpointing them as in flight. */
  serviceWaitMs: number;
  isClosed(): boolean;
  /** The instance in memory, if any. */
  liveOf(instanceId: string): Live | undefined;
  commit(live: Live, ctx: CommitContext): Promise<void>;
  assignVariables(live: Live, vars: Record<string, unknown>): void;
}

/**
 * Service tasks: each call runs its registered handler outside the engine (memoised by execution id, so a
 * call repeated after a crash returns the stored result), the command waits for it (bounded), and a result
 * that comes later is applied as a command of its own.
 */
export class ServiceCalls {
  constructor(private readonly options: ServiceCallsOptions) {}

  private nowIso(): string {
    return this.options.clock.now().toISOString();
  }

  /** Called by the engine's service behaviour: the handler starts now, its result is applied by `settle`. */
  start(
    live: Live,
    activity: ActivityLike,
    message: { content: Record<string, unknown> },
    callback: (err: Error | null, output?: unknown) => void,
  ): void {
    const executionId = String(message.content.executionId);
    const service = String(activity.behaviour.topic);
    const call: ServiceCall = {
      executionId,
      elementId: activity.id,
      service,
      callback,
      detached: false,
      promise: Promise.resolve(),
    };
    const variables = Object.freeze({ ...userVariables(activity.environment.variables) });
    call.promise = this.invoke(live, call, variables).then((outcome) => {
      call.outcome = outcome;
      if (call.detached) this.applyDetached(live.rec.id, call);
    });
    live.calls.set(executionId, call);
  }

  private async invoke(
    live: Live,
    call: ServiceCall,
    variables: Readonly<Record<string, unknown>>,
  ): Promise<Outcome> {
    const { stores, services, clock } = this.options;
    const memoId = `${live.rec.id}:${call.executionId}`;
    try {
      const memo = await stores.serviceCalls.get(memoId);
      if (memo) return { ok: true, result: memo.result };
      const handler = services.get(call.service);
      if (!handler) throw new Error(`service "${call.service}" is not registered`);
      const result =
        (await handler({
          executionId: call.executionId,
          instanceId: live.rec.id,
          elementId: call.elementId,
          ...(live.rec.businessKey ? { businessKey: live.rec.businessKey } : {}),
          variables,
          now: () => clock.now(),
          nextSequence: (name) => stores.counters.next(name),
        })) ?? {};
      if (typeof result !== 'object' || Array.isArray(result))
        throw new Error(`service "${call.service}" returned ${typeof result}, not an object`);
      await stores.serviceCalls.put({ id: memoId, service: call.service, result, at: this.nowIso() });
      return { ok: true, result };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(errorText(err));
      return { ok: false, error };
    }
  }

  /** A service result that arrived after its command checkpointed: a command of its own. */
  private applyDetached(instanceId: string, call: ServiceCall): void {
    if (this.options.isClosed()) return;
    this.options.queue
      .run(instanceId, async () => {
        const live = this.options.liveOf(instanceId);
        if (!live || live.calls.get(call.executionId) !== call || live.rec.status !== 'running') return;
        live.actor = SYSTEM_ACTOR;
        call.detached = false;
        this.apply(live, call);
        await this.options.commit(live, {
          actor: SYSTEM_ACTOR,
          command: 'service.completed',
          engineRan: true,
        });
      })
      .catch((err) => log.error('service completion failed', { instanceId, error: errorText(err) }));
  }

  /** Hands a call's outcome to the engine: variables and callback, a caught BPMN error, or an incident. */
  private apply(live: Live, call: ServiceCall): void {
    live.calls.delete(call.executionId);
    const outcome = call.outcome!;
    try {
      if (outcome.ok) {
        this.options.assignVariables(live, outcome.result);
        live.transitions.push({
          at: this.nowIso(),
          actor: live.actor.id,
          type: 'service.completed',
          instanceId: live.rec.id,
          elementId: call.elementId,
          data: { service: call.service, executionId: call.executionId },
        });
        call.callback(null, outcome.result);
        return;
      }
      const code = typeof outcome.error.code === 'string' ? outcome.error.code : undefined;
      const catches = live.def.compiled.errorCatches[call.elementId] ?? [];
      if (code && (catches.includes(code) || catches.includes('*'))) {
        live.transitions.push({
          at: this.nowIso(),
          actor: live.actor.id,
          type: 'service.bpmn-error',
          instanceId: live.rec.id,
          elementId: call.elementId,
          data: { service: call.service, code, message: outcome.error.message },
        });
        call.callback(outcome.error);
        return;
      }
      live.incident ??= {
        elementId: call.elementId,
        executionId: call.executionId,
        message: outcome.error.message,
        ...(code ? { code } : {}),
        at: this.nowIso(),
      };
    } catch (err) {
      live.engineError ??= { message: errorText(err), elementId: call.elementId };
    }
  }

  /** Applies service results as they come, until none is pending or the wait is over. */
  async settle(live: Live): Promise<void> {
    const deadline = Date.now() + this.options.serviceWaitMs;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (live.engineError || live.ended || live.incident) return;
      const pending = [...live.calls.values()];
      if (!pending.length) return;
      const ready = pending.filter((c) => c.outcome);
      if (ready.length) {
        for (const c of ready) {
          this.apply(live, c);
          if (live.engineError || live.incident) return;
        }
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        for (const c of pending) c.detached = true;
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.race(pending.map((c) => c.promise)),
        new Promise<void>((r) => {
          timer = setTimeout(r, remaining);
        }),
      ]);
      clearTimeout(timer);
    }
  }
}
