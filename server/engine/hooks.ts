/**
 * The runtime's hook bus: how features (timers, messaging, call activities, multi-instance, migration …) plug
 * into the core's command → engine step → checkpoint → emits cycle, the way diagram-js features listen on its
 * event bus. Handlers run in registration order; an error thrown by one reaches the command that called the
 * hook (unlike the public `EventBus`, whose listeners are isolated).
 */
import type { Live, EngineListener } from './live.js';
import type { InstanceRecord } from './stores.js';
import type { Actor, TaskRecord } from './types.js';

/** Hooks called synchronously (inside an engine step or right after a checkpoint). */
export interface SyncHooks {
  /** A new engine was created for `live` (fresh or recovering): subscribe to its `listener`. */
  'engine.created': { live: Live; listener: EngineListener };
  /** A task is being completed: a handler that takes its `data` (e.g. into a multi-instance output list) sets `handled`. */
  'task.completing': { live: Live; task: TaskRecord; data: Record<string, unknown>; handled: boolean };
  /** A command's checkpoint is durable, its derived records written and its events emitted. */
  'commit.after': { record: InstanceRecord };
}

/** Hooks awaited in order. */
export interface AsyncHooks {
  /** Inside a command whose engine ran, after its services settled and before its checkpoint is built. */
  'commit.before': { live: Live };
  /** The records derived from a checkpoint are being written (after a command, or again by startup recovery). */
  'records.materialise': { record: InstanceRecord };
  /** An instance changed status without an engine step: suspended, resumed or cancelled. */
  'status.changed': { previous: InstanceRecord; record: InstanceRecord; actor: Actor };
  /** Startup recovery is done; `crashed` holds the active records reconciled after an unclean stop (else empty). */
  'runtime.recover': { crashed: InstanceRecord[] };
  /** The runtime is closing (before the instance queue drains). */
  'runtime.close': Record<string, never>;
}

type Handler = (payload: never) => void | Promise<void>;

/** The typed hook bus of one runtime. */
export class RuntimeHooks {
  private readonly handlers = new Map<string, Handler[]>();

  on<H extends keyof SyncHooks>(hook: H, handler: (payload: SyncHooks[H]) => void): void;
  on<H extends keyof AsyncHooks>(hook: H, handler: (payload: AsyncHooks[H]) => void | Promise<void>): void;
  on(hook: string, handler: Handler): void {
    this.handlers.set(hook, [...(this.handlers.get(hook) ?? []), handler]);
  }

  /** Calls a synchronous hook's handlers. */
  call<H extends keyof SyncHooks>(hook: H, payload: SyncHooks[H]): void {
    for (const h of this.handlers.get(hook) ?? []) void (h as (p: SyncHooks[H]) => void)(payload);
  }

  /** Runs an asynchronous hook's handlers one after the other. */
  async run<H extends keyof AsyncHooks>(hook: H, payload: AsyncHooks[H]): Promise<void> {
    for (const h of this.handlers.get(hook) ?? [])
      await (h as (p: AsyncHooks[H]) => void | Promise<void>)(payload);
  }
}
