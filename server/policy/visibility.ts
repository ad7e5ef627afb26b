import { AppError } from '../app-error.js';
import type { Actor, InstanceSummary, TaskRecord, WorkflowRuntime } from '../engine/types.js';
import { READ_ALL_ROLES } from './access-matrix.js';

/** True when the actor's roles let them read every task and instance. */
export function readsEverything(actor: Actor): boolean {
  return actor.roles.some((r) => READ_ALL_ROLES.includes(r));
}

/** The task is offered to the actor: assignee, candidate user or one of their groups. */
export function isOfferedTo(task: TaskRecord, actor: Actor): boolean {
  if (task.assignee === actor.id) return true;
  if (task.candidateUsers.includes(actor.id)) return true;
  return task.candidateGroups.some((g) => actor.groups.includes(g));
}

/** May read the task: it is offered to them, or they read everything. */
export function canSeeTask(task: TaskRecord, actor: Actor): boolean {
  return isOfferedTo(task, actor) || readsEverything(actor);
}

/** Throws 403 for a task not offered to the actor, 409 when someone else holds it (admins may override). */
export function assertMayWork(task: TaskRecord, actor: Actor): void {
  const admin = actor.roles.includes('admin');
  if (!admin && !isOfferedTo(task, actor)) throw new AppError('RV_ERR_FORBIDDEN');
  if (!admin && task.assignee && task.assignee !== actor.id) throw new AppError('RV_ERR_TASK_CLAIMED');
}

/**
 * Staff read an instance they started, or one in which a task is (or was) theirs; readers of everything read all.
 * Used by the instance routes and the `instance:subscribe` socket request.
 */
export async function canReadInstance(
  runtime: WorkflowRuntime,
  instance: InstanceSummary,
  actor: Actor,
): Promise<boolean> {
  if (readsEverything(actor) || instance.startedBy === actor.id) return true;
  const open = await runtime.listTasks({ instanceId: instance.id, visibleTo: actor, limit: 1 });
  if (open.total > 0 || open.items.length > 0) return true;
  const history = await runtime.taskHistory(instance.id);
  return history.some((t) => t.endedBy === actor.id || t.assignee === actor.id);
}

/** The instance, or 403 when the actor may not read it (404 when it does not exist). */
export async function readableInstance(
  runtime: WorkflowRuntime,
  id: string,
  actor: Actor,
): Promise<InstanceSummary> {
  const instance = await runtime.getInstance(id);
  if (!(await canReadInstance(runtime, instance, actor))) throw new AppError('RV_ERR_FORBIDDEN');
  return instance;
}
