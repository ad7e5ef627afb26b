/**
 * Signalling one waiting execution of a live engine. bpmn-engine offers two ways: `execution.signal(payload)`
 * on the definition, which is delegated as an api message to every element, and `api.signal(payload)` on the
 * wait's own api (what its `wait` event hands out). Ravand uses the second: while a delegated message is being
 * handled, a BPMN error (or escalation) that the step throws is delegated too, and smqp queues it behind the
 * first one, so an embedded sub-process with an error end event ends normally before its error boundary event
 * hears the error (test/engine/conformance/error-end-after-wait.spec.ts).
 */

/** What a wait keeps of its api: its own `signal`. */
export type WaitSignal = (message: Record<string, unknown>) => void;

/** The `signal` of a wait's api (an activity api from bpmn-engine's listener), bound to it. */
export function waitSignal(api: unknown): WaitSignal | undefined {
  const signal = (api as { signal?: unknown } | undefined)?.signal;
  return typeof signal === 'function' ? (message) => signal.call(api, message) : undefined;
}

/** The parts of a live instance `signalWait` uses. */
export interface SignalTarget {
  execution?: { signal(payload: Record<string, unknown>): void } | null | undefined;
  waits: Map<string, { content: Record<string, unknown>; signal?: WaitSignal | undefined }>;
}

/**
 * Signals the wait of `executionId` through its own api with `message` (form data, or the message or signal
 * reference); a wait whose api is unknown gets the definition-level signal `delegated` instead. A multi-instance
 * iteration signalled this way ends without an event of its own (`activity.consumed` comes only with a
 * delegated signal), so its wait is dropped here.
 */
export function signalWait(
  live: SignalTarget,
  executionId: string,
  message: Record<string, unknown>,
  delegated: Record<string, unknown>,
): void {
  const wait = live.waits.get(executionId);
  if (!wait?.signal) {
    live.execution!.signal(delegated);
    return;
  }
  wait.signal(message);
  if (wait.content.isMultiInstance && live.waits.get(executionId) === wait) live.waits.delete(executionId);
}
