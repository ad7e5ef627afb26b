/**
 * The checkpoint of a command as a pure function: from the previous instance record, what the engine showed at
 * the end of the command and the command's context, the next record, its audit entries and the events to emit
 * once it is durable. No engine, no database, no clock: `checkpoint.spec.ts` tests it on plain objects.
 */
import type { AuditDraft } from './audit-chain.js';
import { userVariables } from './expressions.js';
import { instanceSummary } from './instance-summary.js';
import type { DefinitionEntry, EngineError, TimerInfo, WaitInfo } from './live.js';
import type { InstanceRecord } from './stores.js';
import type {
  Actor,
  I18nText,
  Incident,
  RuntimeEventName,
  RuntimeEvents,
  TaskHistoryRecord,
  TaskRecord,
  WaitingElement,
} from './types.js';

/** One runtime event to emit: `[name, payload]`. */
export type Emit = { [E in RuntimeEventName]: [E, RuntimeEvents[E]] }[RuntimeEventName];

/** What a command hands to its commit. */
export interface CommitContext {
  actor: Actor;
  /** The command's audit entry type (`task.completed`, `timer.fired` …). */
  command: string;
  /** Task history records the command itself ends (a completed task). */
  history?: TaskHistoryRecord[];
  data?: Record<string, unknown>;
  taskId?: string;
  elementId?: string;
  /** Events emitted before the generic ones (task.completed …). */
  events?: Emit[];
  /** True when the engine ran in this command (instance.waiting is emitted). */
  engineRan: boolean;
}

/** What the engine showed at the end of a command, read from the live instance. */
export interface EngineSnapshot {
  /** The engine is live and ran in this command: its state, waits and variables replace the record's. */
  ran: boolean;
  /** The process reached its end. */
  ended: boolean;
  /** The engine state without its source (when it ran and did not end). */
  state?: string;
  /** The process variables (user view). */
  variables?: Record<string, unknown>;
  waits: WaitInfo[];
  /** Service calls still in flight. */
  calls: { elementId: string; executionId: string }[];
  timers: TimerInfo[];
  /** A service failure the model does not catch. */
  incident?: Incident;
  /** An error the engine raised: the command is rolled back. */
  engineError?: EngineError;
  /** Elements completed and services applied during the command. */
  transitions: AuditDraft[];
}

/** The command context plus the time and the instance's definition. */
export interface CheckpointContext extends CommitContext {
  now: string;
  definition: Pick<DefinitionEntry, 'names'> & { compiled: { name: I18nText } };
}

export interface CheckpointResult {
  next: InstanceRecord;
  audit: AuditDraft[];
  emits: Emit[];
  /** Set when the command was rolled back to an incident (`next` is the previous checkpoint, failed). */
  rolledBack?: Incident;
}

/** Removes the (large, per-definition) source from an engine state before it is stored. */
export function stripSource(state: Record<string, unknown>): Record<string, unknown> {
  const defs = (state.definitions as Record<string, unknown>[] | undefined) ?? [];
  return { ...state, definitions: defs.map(({ source: _s, ...rest }) => rest) };
}

/** Variables that differ between two sets (a removed one as null); undefined when none. */
export function changedVariables(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after))
    if (JSON.stringify(before[k]) !== JSON.stringify(v)) out[k] = v === undefined ? null : v;
  for (const k of Object.keys(before)) if (!(k in after)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

/** The open task record of a user task wait (kept as it was when it was open before). */
function taskFromWait(
  prev: InstanceRecord,
  w: WaitInfo,
  previous: Map<string, TaskRecord>,
  ctx: CheckpointContext,
): TaskRecord | undefined {
  if (w.type !== 'bpmn:UserTask') return undefined;
  const id = `${prev.id}:${w.executionId}`;
  const open = previous.get(id);
  if (open) return open;
  const attrs = (w.content.ravand ?? {}) as Partial<TaskRecord> & { name?: I18nText };
  const t: TaskRecord = {
    id,
    instanceId: prev.id,
    definitionKey: prev.key,
    definitionVersion: prev.version,
    elementId: w.elementId,
    executionId: w.executionId,
    name: attrs.name ?? ctx.definition.names.get(w.elementId) ?? { fa: w.elementId, en: w.elementId },
    processName: ctx.definition.compiled.name,
    candidateGroups: attrs.candidateGroups ?? [],
    candidateUsers: attrs.candidateUsers ?? [],
    priority: attrs.priority ?? 50,
    createdAt: attrs.createdAt ?? ctx.now,
  };
  if (prev.businessKey) t.businessKey = prev.businessKey;
  if (attrs.assignee) t.assignee = attrs.assignee;
  if (attrs.dueAt) t.dueAt = attrs.dueAt;
  if (attrs.followUpAt) t.followUpAt = attrs.followUpAt;
  if (attrs.formKey) t.formKey = attrs.formKey;
  return t;
}

/** The command's own audit entry. */
function commandEntry(
  prev: InstanceRecord,
  ctx: CheckpointContext,
  data: Record<string, unknown> | undefined,
): AuditDraft {
  return {
    at: ctx.now,
    actor: ctx.actor.id,
    type: ctx.command,
    instanceId: prev.id,
    ...(ctx.taskId ? { taskId: ctx.taskId } : {}),
    ...(ctx.elementId ? { elementId: ctx.elementId } : {}),
    ...(data ? { data } : {}),
  };
}

/** A command the engine failed in: back to the previous checkpoint, failed, with the incident. */
function rolledBack(prev: InstanceRecord, error: EngineError, ctx: CheckpointContext): CheckpointResult {
  const incident: Incident = {
    elementId: error.elementId ?? '',
    message: error.message,
    ...(error.code ? { code: error.code } : {}),
    at: ctx.now,
  };
  const next: InstanceRecord = {
    ...prev,
    status: 'failed',
    incident,
    rev: prev.rev + 1,
    inFlight: [],
    pendingHistory: [],
  };
  const audit: AuditDraft[] = [
    commandEntry(prev, ctx, { rolledBack: true, ...(ctx.data ?? {}) }),
    {
      at: ctx.now,
      actor: ctx.actor.id,
      type: 'incident.raised',
      instanceId: prev.id,
      elementId: incident.elementId,
      data: { message: incident.message },
    },
  ];
  const summary = instanceSummary(next);
  return {
    next,
    audit,
    emits: [
      ['instance.failed', { instance: summary, incident }],
      ['incident.raised', { instance: summary, incident }],
    ],
    rolledBack: incident,
  };
}

/**
 * Builds the next checkpoint of a command: the record (rev + 1, engine state, waits, open tasks, jobs,
 * services in flight, status), the audit entries (the command, the transitions, tasks created and cancelled,
 * completion or incident) and the events, in the order they are emitted.
 */
export function buildCheckpoint(
  prev: InstanceRecord,
  snapshot: EngineSnapshot,
  ctx: CheckpointContext,
): CheckpointResult {
  if (snapshot.engineError) return rolledBack(prev, snapshot.engineError, ctx);
  const now = ctx.now;
  const emits: Emit[] = [...(ctx.events ?? [])];
  const history = [...(ctx.history ?? [])];
  let state = prev.state;
  let variables = prev.variables;
  let waiting = prev.waiting;
  let openTasks = prev.openTasks;
  let jobs = prev.jobs;
  let inFlight = prev.inFlight;
  let status = prev.status;
  const previousTasks = new Map(prev.openTasks.map((t) => [t.id, t]));
  const incident = snapshot.incident;

  if (snapshot.ran) {
    variables = snapshot.variables ?? userVariables(prev.variables);
    if (snapshot.ended) {
      state = undefined;
      waiting = [];
      openTasks = [];
      jobs = [];
      inFlight = [];
      status = 'completed';
    } else {
      state = snapshot.state;
      const tasks: TaskRecord[] = [];
      const w: WaitingElement[] = [];
      for (const wait of snapshot.waits) {
        w.push({ elementId: wait.elementId, executionId: wait.executionId, type: wait.type });
        const t = taskFromWait(prev, wait, previousTasks, ctx);
        if (t) tasks.push(t);
      }
      for (const c of snapshot.calls)
        w.push({ elementId: c.elementId, executionId: c.executionId, type: 'bpmn:ServiceTask' });
      waiting = w;
      openTasks = tasks;
      jobs = snapshot.timers.map((t) => ({
        id: `${prev.id}:${t.executionId}`,
        instanceId: prev.id,
        elementId: t.elementId,
        executionId: t.executionId,
        type: 'timer' as const,
        dueAt: t.dueAt,
        timer: t.timer,
      }));
      inFlight = snapshot.calls.map((c) => c.executionId);
      if (incident) status = 'failed';
      else if (status !== 'suspended') status = 'running';
    }
  }

  // tasks that vanished without being completed by this command were cancelled (boundary, end, cancel)
  const nextIds = new Set(openTasks.map((t) => t.id));
  const completedIds = new Set(history.map((h) => h.id));
  for (const t of prev.openTasks) {
    if (nextIds.has(t.id) || completedIds.has(t.id)) continue;
    const h: TaskHistoryRecord = { ...t, outcome: 'cancelled', endedAt: now, endedBy: ctx.actor.id };
    history.push(h);
    emits.push(['task.cancelled', { task: h }]);
  }
  const created = openTasks.filter((t) => !previousTasks.has(t.id));

  const next: InstanceRecord = {
    ...prev,
    status,
    rev: prev.rev + 1,
    variables,
    waiting,
    openTasks,
    jobs,
    inFlight,
  };
  if (state) next.state = state;
  else delete next.state;
  if (status === 'completed') {
    next.endedAt = now;
    delete next.startVariables;
  }
  if (incident && status === 'failed') next.incident = incident;
  if (prev.status === 'failed' && status === 'running') delete next.incident;
  next.pendingHistory = history;

  const changed = changedVariables(prev.variables, variables);
  const audit: AuditDraft[] = [
    commandEntry(
      prev,
      ctx,
      ctx.data || changed ? { ...(ctx.data ?? {}), ...(changed ? { variables: changed } : {}) } : undefined,
    ),
    ...snapshot.transitions,
  ];
  for (const t of created)
    audit.push({
      at: now,
      actor: ctx.actor.id,
      type: 'task.created',
      instanceId: prev.id,
      taskId: t.id,
      elementId: t.elementId,
      ...(t.assignee || t.candidateGroups.length
        ? { data: { assignee: t.assignee ?? null, candidateGroups: t.candidateGroups } }
        : {}),
    });
  for (const h of history)
    if (h.outcome === 'cancelled')
      audit.push({
        at: now,
        actor: ctx.actor.id,
        type: 'task.cancelled',
        instanceId: prev.id,
        taskId: h.id,
        elementId: h.elementId,
      });
  const completed = status === 'completed' && prev.status !== 'completed';
  const failed = status === 'failed' && incident !== undefined && !prev.incident;
  if (completed)
    audit.push({ at: now, actor: ctx.actor.id, type: 'instance.completed', instanceId: prev.id });
  if (failed)
    audit.push({
      at: now,
      actor: ctx.actor.id,
      type: 'incident.raised',
      instanceId: prev.id,
      elementId: incident.elementId,
      data: { message: incident.message, ...(incident.code ? { code: incident.code } : {}) },
    });

  const summary = instanceSummary(next);
  for (const t of created) emits.push(['task.created', { task: t }]);
  if (completed) emits.push(['instance.completed', { instance: summary }]);
  else if (failed) {
    emits.push(['instance.failed', { instance: summary, incident }]);
    emits.push(['incident.raised', { instance: summary, incident }]);
  } else if (ctx.engineRan && status === 'running') {
    if (prev.status === 'failed') emits.push(['incident.resolved', { instance: summary }]);
    emits.push(['instance.waiting', { instance: summary }]);
  }
  return { next, audit, emits };
}
