import { AppError } from '../app-error.js';
import { taskClaims } from '../policy/task-claims.js';
import type { CheckpointBatcher } from './checkpoint-batcher.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { Clock } from './clock.js';
import type { Committer } from './committer.js';
import { errorText } from './error-text.js';
import type { EventBus } from './event-bus.js';
import type { FormRegistry } from './forms.js';
import type { Definitions } from './definitions.js';
import type { RuntimeHooks } from './hooks.js';
import type { Live } from './live.js';
import type { LiveEngines } from './live-engines.js';
import type { InstanceRecord, RuntimeStores } from './stores.js';
import type { Actor, Page, TaskFilter, TaskHistoryRecord, TaskRecord } from './types.js';
import { signalWait } from './wait-signal.js';

export interface TaskCommandsOptions {
  stores: RuntimeStores;
  batcher: CheckpointBatcher;
  engines: LiveEngines;
  committer: Committer;
  writer: CheckpointWriter;
  forms: FormRegistry;
  definitions: Definitions;
  hooks: RuntimeHooks;
  events: EventBus;
  clock: Clock;
}

/** Task commands and reads: claim, unclaim, assign, complete; a task runs inside its instance's queue. */
export class TaskCommands {
  constructor(private readonly options: TaskCommandsOptions) {}

  private nowIso(): string {
    return this.options.clock.now().toISOString();
  }

  private instanceOfTask(taskId: string): string {
    const i = typeof taskId === 'string' ? taskId.indexOf(':') : -1;
    if (i <= 0) throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId });
    return taskId.slice(0, i);
  }

  async get(taskId: string): Promise<TaskRecord> {
    // a task's record comes from its own instance's checkpoints: only those need to be in
    await this.options.batcher.settledFor(this.instanceOfTask(taskId));
    const t = await this.options.stores.tasks.get(taskId);
    if (!t) throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId });
    return t;
  }

  async list(filter: TaskFilter): Promise<Page<TaskRecord>> {
    await this.options.batcher.settled();
    return this.options.stores.tasks.list(filter);
  }

  async history(instanceId: string): Promise<TaskHistoryRecord[]> {
    await this.options.batcher.settledFor(instanceId);
    return this.options.stores.taskHistory.byInstance(instanceId);
  }

  /** Runs `fn` on the open task inside its instance's queue; a task gone meanwhile is RV_ERR_TASK_NOT_OPEN. */
  private withTask<T>(
    taskId: string,
    actor: Actor,
    fn: (live: Live, task: TaskRecord) => Promise<T>,
  ): Promise<T> {
    const instanceId = this.instanceOfTask(taskId);
    return this.options.engines.run(instanceId, actor, async (live) => {
      const task = live.rec.openTasks.find((t) => t.id === taskId);
      if (!task) {
        await this.options.batcher.settledFor(instanceId);
        const history = await this.options.stores.taskHistory.byInstance(instanceId);
        if (history.some((h) => h.id === taskId)) throw new AppError('RV_ERR_TASK_NOT_OPEN', { taskId });
        throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId });
      }
      if (live.rec.status === 'suspended') throw new AppError('RV_ERR_INSTANCE_SUSPENDED', { instanceId });
      if (live.rec.status !== 'running')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: live.rec.status });
      return fn(live, task);
    });
  }

  /** A task-record-only change (claim, unclaim, assign): checkpointed like any command, no engine step. */
  private async updateTask(
    live: Live,
    actor: Actor,
    task: TaskRecord,
    patch: { assignee?: string | undefined; claimedAt?: string | undefined },
    command: 'task.claimed' | 'task.unclaimed' | 'task.assigned',
  ): Promise<TaskRecord> {
    const updated: TaskRecord = { ...task };
    if (patch.assignee === undefined) delete updated.assignee;
    else updated.assignee = patch.assignee;
    if (patch.claimedAt === undefined) delete updated.claimedAt;
    else updated.claimedAt = patch.claimedAt;
    const prev = live.rec;
    const next: InstanceRecord = {
      ...prev,
      rev: prev.rev + 1,
      openTasks: prev.openTasks.map((t) => (t.id === task.id ? updated : t)),
      pendingHistory: [],
    };
    await this.options.writer.write(live, next, prev, [
      {
        at: this.nowIso(),
        actor: actor.id,
        type: command,
        instanceId: prev.id,
        taskId: task.id,
        elementId: task.elementId,
        data: { assignee: updated.assignee ?? null },
      },
    ]);
    this.options.engines.touch(live);
    this.options.events.emit(command, { task: updated, by: actor.id });
    return updated;
  }

  async claim(taskId: string, actor: Actor): Promise<TaskRecord> {
    return this.withTask(taskId, actor, async (live, task) => {
      if (task.assignee && task.assignee !== actor.id) throw new AppError('RV_ERR_TASK_CLAIMED', { taskId });
      if (task.assignee === actor.id) return task;
      return this.updateTask(
        live,
        actor,
        task,
        { assignee: actor.id, claimedAt: this.nowIso() },
        'task.claimed',
      );
    });
  }

  async unclaim(taskId: string, actor: Actor): Promise<TaskRecord> {
    return this.withTask(taskId, actor, async (live, task) => {
      if (!task.assignee) return task;
      if (task.assignee !== actor.id && !taskClaims.mayReleaseOthers(actor))
        throw new AppError('RV_ERR_TASK_CLAIMED', { taskId });
      return this.updateTask(live, actor, task, {}, 'task.unclaimed');
    });
  }

  async assign(taskId: string, assignee: string | null, actor: Actor): Promise<TaskRecord> {
    return this.withTask(taskId, actor, async (live, task) => {
      // checked again inside the queue: a claim that landed after the caller's check is not overwritten
      if (task.assignee && task.assignee !== actor.id && !taskClaims.mayReleaseOthers(actor))
        throw new AppError('RV_ERR_TASK_CLAIMED', { taskId, assignee: task.assignee });
      if (assignee === null) return this.updateTask(live, actor, task, {}, 'task.assigned');
      return this.updateTask(live, actor, task, { assignee, claimedAt: this.nowIso() }, 'task.assigned');
    });
  }

  async complete(taskId: string, data: Record<string, unknown>, actor: Actor): Promise<TaskHistoryRecord> {
    const { engines, committer } = this.options;
    const payload = data ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload))
      throw new AppError('RV_ERR_VALIDATION', { data: 'must be an object' });
    return this.withTask(taskId, actor, async (live, task) => {
      if (task.assignee && task.assignee !== actor.id && !taskClaims.mayCompleteOthers(actor))
        throw new AppError('RV_ERR_TASK_CLAIMED', { taskId, assignee: task.assignee });
      if (task.formKey) {
        // the form of the task's own definition version: a newer deployment never changes a running instance's form
        await this.options.definitions.get(task.definitionKey, task.definitionVersion);
        const definitionId = `${task.definitionKey}:${task.definitionVersion}`;
        this.options.forms.validate(task.formKey, payload, definitionId);
      }
      await engines.ensureEngine(live);
      if (!live.engineError && !live.waits.has(task.executionId))
        throw new AppError('RV_ERR_TASK_NOT_OPEN', { taskId });
      const record: TaskHistoryRecord = {
        ...task,
        outcome: 'completed',
        endedAt: this.nowIso(),
        endedBy: actor.id,
        data: payload,
      };
      if (!live.engineError) {
        try {
          // a feature may take the data (a multi-instance iteration's goes to its output list)
          const completing = { live, task, data: payload, handled: false };
          this.options.hooks.call('task.completing', completing);
          if (!completing.handled) engines.assignVariables(live, payload);
          signalWait(live.waits, task.executionId, { form: payload });
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: task.elementId };
        }
      }
      await committer.commit(live, {
        actor,
        command: 'task.completed',
        engineRan: true,
        taskId,
        elementId: task.elementId,
        history: [record],
        events: [['task.completed', { task: record }]],
      });
      return record;
    });
  }
}
