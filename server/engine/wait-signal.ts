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
export function waitSignal(api: { signal(message: Record<string, unknown>): void }): WaitSignal {
  return (message) => api.signal(message);
}

/**
 * Signals the wait of `executionId` of a live instance through its own api with `message` (form data, or the
 * message or signal reference); the caller has checked that the wait is there. A multi-instance iteration
 * signalled this way ends without an event of its own (`activity.consumed` comes only with a delegated signal),
 * so its wait is dropped here.
 */
export function signalWait(
  waits: Map<string, { content: Record<string, unknown>; signal: WaitSignal }>,
  executionId: string,
  message: Record<string, unknown>,
): void {
  const wait = waits.get(executionId);
  if (!wait) throw new Error(`no wait ${executionId}`);
  wait.signal(message);
  if (wait.content.isMultiInstance && waits.get(executionId) === wait) waits.delete(executionId);
}
