import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { Actor } from '../../../server/engine/types.js';

/** Element ids in the order their activities ended, from the instance's audit trail (`element.completed`). */
export async function ravandPath(runtime: EngineRuntime, instanceId: string): Promise<string[]> {
  const trail = await runtime.auditTrail(instanceId);
  return trail.filter((e) => e.type === 'element.completed').map((e) => e.elementId ?? '');
}

/** Element ids of the instance's open user tasks, sorted. */
export async function openUserTasks(runtime: EngineRuntime, instanceId: string): Promise<string[]> {
  return (await runtime.listTasks({ instanceId })).items.map((t) => t.elementId).sort();
}

/** Completes the instance's first open task of `elementId` with `data`. */
export async function completeElement(
  runtime: EngineRuntime,
  instanceId: string,
  elementId: string,
  data: Record<string, unknown>,
  actor: Actor,
): Promise<void> {
  const task = (await runtime.listTasks({ instanceId })).items.find((t) => t.elementId === elementId);
  if (!task) throw new Error(`Ravand: no open task ${elementId} in ${instanceId}`);
  await runtime.completeTask(task.id, data, actor);
}
