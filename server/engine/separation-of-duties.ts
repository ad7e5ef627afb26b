import type { InstanceSummary, TaskHistoryRecord } from './types.js';

/**
 * The four-eyes rule of one user task: the users who may not do it, given the element ids it is separated
 * from (`separate-from`): whoever completed one of those tasks in this instance, and the instance's starter when
 * one of them is a start event.
 */
export function barredUsers(
  separateFrom: readonly string[],
  instance: Pick<InstanceSummary, 'startedBy'>,
  history: readonly TaskHistoryRecord[],
  startEventIds: readonly string[],
): Set<string> {
  const barred = new Set<string>();
  for (const id of separateFrom) {
    if (startEventIds.includes(id)) barred.add(instance.startedBy);
    for (const h of history) if (h.elementId === id && h.outcome === 'completed') barred.add(h.endedBy);
  }
  return barred;
}
