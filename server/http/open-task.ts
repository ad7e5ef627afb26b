import { AppError, isAppError } from '../app-error.js';
import type { Actor, TaskRecord, WorkflowRuntime } from '../engine/types.js';
import { canSeeTask } from './visibility.js';

/**
 * The open task a command (claim, unclaim, assign, complete) works on, when the actor may see it (else 403). A
 * task that has ended answers RV_ERR_TASK_NOT_OPEN (409) whether or not its open record is already gone, so a
 * client tells "done" from "never existed" (404); an ended task the actor may not see stays 403.
 */
export async function openTaskFor(runtime: WorkflowRuntime, id: string, actor: Actor): Promise<TaskRecord> {
  let task: TaskRecord;
  try {
    task = await runtime.getTask(id);
  } catch (err) {
    if (!isAppError(err, 'RV_ERR_TASK_NOT_FOUND')) throw err;
    const ended = await endedTask(runtime, id);
    if (!ended) throw err;
    if (!canSeeTask(ended, actor)) throw new AppError('RV_ERR_FORBIDDEN');
    throw new AppError('RV_ERR_TASK_NOT_OPEN', { taskId: id });
  }
  if (!canSeeTask(task, actor)) throw new AppError('RV_ERR_FORBIDDEN');
  return task;
}

/** The task's history record (task ids are `<instanceId>:<executionId>`), if it has ended. */
async function endedTask(runtime: WorkflowRuntime, id: string): Promise<TaskRecord | undefined> {
  const i = id.indexOf(':');
  if (i <= 0) return undefined;
  const history = await runtime.taskHistory(id.slice(0, i)).catch(() => []);
  return history.find((h) => h.id === id);
}
