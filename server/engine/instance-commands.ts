import crypto from 'node:crypto';
import { AppError, isAppError } from '../app-error.js';
import type { CheckpointBatcher } from './checkpoint-batcher.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { Clock } from './clock.js';
import type { Committer } from './committer.js';
import type { Definitions } from './definitions.js';
import type { EventBus } from './event-bus.js';
import type { RuntimeHooks } from './hooks.js';
import type { InstanceQueue } from './instance-queue.js';
import { instanceSummary } from './instance-summary.js';
import { newLive, type Live } from './live.js';
import type { LiveEngines } from './live-engines.js';
import type { InstanceRecord, RuntimeStores } from './stores.js';
import type {
  Actor,
  InstanceFilter,
  InstanceSummary,
  Page,
  StartRequest,
  TaskHistoryRecord,
} from './types.js';

export interface InstanceCommandsOptions {
  stores: RuntimeStores;
  queue: InstanceQueue;
  batcher: CheckpointBatcher;
  definitions: Definitions;
  engines: LiveEngines;
  committer: Committer;
  writer: CheckpointWriter;
  hooks: RuntimeHooks;
  events: EventBus;
  clock: Clock;
  assertOpen(): void;
}

/** A call activity's child: its deterministic id and its parent. */
export interface ChildLink {
  id: string;
  parentId: string;
}

/** Instance commands and reads: start, cancel, suspend, resume, retry. */
export class InstanceCommands {
  constructor(private readonly options: InstanceCommandsOptions) {}

  private nowIso(): string {
    return this.options.clock.now().toISOString();
  }

  /** `link`: a call activity's child, with its deterministic id and its parent. */
  async start(request: StartRequest, actor: Actor, link?: ChildLink): Promise<InstanceSummary> {
    const { engines, committer, events, queue } = this.options;
    this.options.assertOpen();
    const def = await this.options.definitions.get(request.key, request.version);
    const variables = request.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables))
      throw new AppError('RV_ERR_VALIDATION', { variables: 'must be an object' });
    const id = link?.id ?? crypto.randomUUID();
    const rec: InstanceRecord = {
      id,
      definitionId: def.record.id,
      key: def.record.key,
      version: def.record.version,
      status: 'running',
      rev: -1,
      variables: { ...variables },
      waiting: [],
      startedAt: this.nowIso(),
      startedBy: actor.id,
      startVariables: { ...variables },
      pendingHistory: [],
      openTasks: [],
      jobs: [],
      inFlight: [],
    };
    if (request.businessKey) rec.businessKey = String(request.businessKey);
    if (link) rec.parentId = link.parentId;
    const live = newLive(rec, def);
    live.actor = actor;
    engines.add(live);
    return queue.run(id, async () => {
      try {
        await engines.execute(live, variables);
        await committer.commit(live, {
          actor,
          command: 'instance.started',
          engineRan: true,
          data: { definitionId: def.record.id, ...(rec.businessKey ? { businessKey: rec.businessKey } : {}) },
          events: [],
        });
      } catch (err) {
        if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return instanceSummary(live.rec);
        engines.evict(live);
        await engines.stopEngine(live);
        throw err;
      }
      events.emit('instance.started', { instance: instanceSummary(live.rec) });
      return instanceSummary(live.rec);
    });
  }

  async get(id: string): Promise<InstanceSummary> {
    const live = this.options.engines.get(id);
    if (live && live.rec.rev >= 0) return instanceSummary(live.rec);
    // an instance that just ended keeps its active copy until its derived records are in
    await this.options.batcher.settledFor(id);
    const rec = await this.options.stores.instances.get(id);
    if (!rec) throw new AppError('RV_ERR_INSTANCE_NOT_FOUND', { instanceId: id });
    return instanceSummary(rec);
  }

  async list(filter: InstanceFilter): Promise<Page<InstanceSummary>> {
    await this.options.batcher.settled();
    const page = await this.options.stores.instances.list(filter);
    return { ...page, items: page.items.map((r) => instanceSummary(r)) };
  }

  async cancel(instanceId: string, reason: string, actor: Actor): Promise<InstanceSummary> {
    const { engines, writer, events, hooks } = this.options;
    return engines.run(instanceId, actor, async (live) => {
      const s = live.rec.status;
      if (s === 'completed' || s === 'cancelled')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: s });
      await engines.stopEngine(live);
      const now = this.nowIso();
      const prev = live.rec;
      const history: TaskHistoryRecord[] = prev.openTasks.map((t) => ({
        ...t,
        outcome: 'cancelled',
        endedAt: now,
        endedBy: actor.id,
      }));
      const next: InstanceRecord = {
        ...prev,
        status: 'cancelled',
        rev: prev.rev + 1,
        cancelReason: String(reason ?? ''),
        endedAt: now,
        waiting: [],
        openTasks: [],
        jobs: [],
        inFlight: [],
      };
      delete next.state;
      next.pendingHistory = history;
      await writer.write(live, next, prev, [
        {
          at: now,
          actor: actor.id,
          type: 'instance.cancelled',
          instanceId,
          data: { reason: next.cancelReason },
        },
        ...history.map((h) => ({
          at: now,
          actor: actor.id,
          type: 'task.cancelled',
          instanceId,
          taskId: h.id,
          elementId: h.elementId,
        })),
      ]);
      engines.evict(live);
      const summary = instanceSummary(next);
      for (const h of history) events.emit('task.cancelled', { task: h });
      events.emit('instance.cancelled', { instance: summary });
      // features follow (cancelling the parent cancels the instances its call activities started)
      await hooks.run('status.changed', { previous: prev, record: next, actor });
      return summary;
    });
  }

  /** A status-only change (no engine step): suspend and resume. */
  private async setStatus(
    live: Live,
    actor: Actor,
    status: 'suspended' | 'running',
    event: 'instance.suspended' | 'instance.resumed',
  ): Promise<InstanceSummary> {
    const prev = live.rec;
    const next: InstanceRecord = { ...prev, status, rev: prev.rev + 1, pendingHistory: [] };
    await this.options.writer.write(live, next, prev, [
      { at: this.nowIso(), actor: actor.id, type: event, instanceId: prev.id },
    ]);
    await this.options.hooks.run('status.changed', { previous: prev, record: next, actor });
    const summary = instanceSummary(next);
    this.options.events.emit(event, { instance: summary });
    return summary;
  }

  async suspend(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.options.engines.run(instanceId, actor, async (live) => {
      if (live.rec.status !== 'running')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: live.rec.status });
      return this.setStatus(live, actor, 'suspended', 'instance.suspended');
    });
  }

  async resume(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.options.engines.run(instanceId, actor, async (live) => {
      if (live.rec.status !== 'suspended')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: live.rec.status });
      return this.setStatus(live, actor, 'running', 'instance.resumed');
    });
  }

  async retry(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    const { engines, committer } = this.options;
    return engines.run(instanceId, actor, async (live) => {
      if (live.rec.status !== 'failed') throw new AppError('RV_ERR_NO_INCIDENT', { instanceId });
      await engines.stopEngine(live);
      live.incident = undefined;
      const resolved = live.rec.incident;
      if (live.rec.state) await engines.ensureEngine(live);
      else await engines.execute(live, live.rec.startVariables ?? {});
      try {
        await committer.commit(live, {
          actor,
          command: 'instance.retried',
          engineRan: true,
          ...(resolved ? { data: { incident: resolved.message }, elementId: resolved.elementId } : {}),
        });
      } catch (err) {
        if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return instanceSummary(live.rec);
        throw err;
      }
      return instanceSummary(live.rec);
    });
  }
}
