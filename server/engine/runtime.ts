import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Engine } from 'bpmn-engine';
import { Timers } from 'bpmn-elements';
import { AppError, isAppError } from '../app-error.js';
import type { ErrorCode } from '../../schemas/errors.js';
import { log } from '../logger.js';
import { projectRoot } from '../project-root.js';
import { createCalendar, type WorkingCalendar } from './calendar.js';
import { feelFunctions } from './feel-functions.js';
import {
  appendMissingAudit,
  auditKey,
  AuditWriter,
  verifyAuditChain,
  type AuditCarrier,
  type AuditDraft,
} from './audit-chain.js';
import { compileDefinition, type CompiledDefinition } from './definition-compiler.js';
import { CheckpointBatcher } from './checkpoint-batcher.js';
import { diffById } from './diff-by-id.js';
import { EventBus } from './event-bus.js';
import {
  createExpressions,
  evaluateFeel,
  isFeel,
  userVariables,
  type FeelFunctionMap,
} from './expressions.js';
import { FormRegistry } from './forms.js';
import { InstanceQueue } from './instance-queue.js';
import { RuntimePart2, type RuntimeHost } from './runtime-part2.js';
import { ServiceRegistry } from './service-registry.js';
import type { DefinitionRecord, InstanceRecord, JobRecord, RuntimeStores } from './stores.js';
import {
  SYSTEM_ACTOR,
  type Actor,
  type AuditEvent,
  type DefinitionSummary,
  type DeployResult,
  type ElementInfo,
  type I18nText,
  type Incident,
  type InstanceFilter,
  type InstanceSummary,
  type MessageRequest,
  type Page,
  type RuntimeEventName,
  type RuntimeEvents,
  type ServiceHandler,
  type StartRequest,
  type TaskFilter,
  type TaskHistoryRecord,
  type TaskRecord,
  type WaitingElement,
  type WorkflowRuntime,
} from './types.js';

/** The engine clock; tests pass their own. */
export interface Clock {
  now(): Date;
}

export interface RuntimeOptions {
  stores: RuntimeStores;
  services?: ServiceRegistry | Record<string, ServiceHandler>;
  /** Folder of form JSON Schemas (`<formKey>.json`); default `schemas/forms`. */
  formsDir?: string;
  clock?: Clock;
  /** The office calendar for FEEL deadlines; default Asia/Kabul with `holidays`. */
  calendar?: WorkingCalendar;
  holidays?: string[];
  /** FEEL functions; default the office set (now, addWorkingDays, addWorkingHours, addDuration …). */
  feelFunctions?: (now: () => Date) => FeelFunctionMap;
  /** Live engines kept in memory (LRU); the rest wait on disk. Default 100. */
  maxLiveEngines?: number;
  /** How long a command waits for the services it started before checkpointing them as in flight. */
  serviceWaitMs?: number;
}

interface DefinitionEntry {
  record: DefinitionSummary;
  compiled: CompiledDefinition;
  names: Map<string, I18nText>;
}

type Outcome =
  { ok: true; result: Record<string, unknown> } | { ok: false; error: Error & { code?: unknown } };

interface ServiceCall {
  executionId: string;
  elementId: string;
  service: string;
  callback: (err: Error | null, output?: unknown) => void;
  outcome?: Outcome;
  promise: Promise<void>;
  detached: boolean;
}

interface WaitInfo {
  elementId: string;
  executionId: string;
  type: string;
  content: Record<string, unknown>;
}

interface TimerInfo {
  elementId: string;
  executionId: string;
  dueAt: string;
  timer: Record<string, unknown>;
}

/** Minimal view of bpmn-engine objects we touch (its types are loose). */
interface EngineLike {
  state: string;
  execution?: ExecutionLike | null;
  on(event: string, fn: (...args: unknown[]) => void): void;
  execute(options?: Record<string, unknown>): Promise<ExecutionLike>;
  recover(state: unknown): EngineLike;
  resume(options?: Record<string, unknown>): Promise<ExecutionLike>;
  getState(): Promise<Record<string, unknown>>;
  stop(): Promise<unknown> | undefined;
}
interface ExecutionLike {
  isRunning?: boolean;
  definitions: {
    getProcesses(): {
      environment: { variables: Record<string, unknown>; assignVariables(v: object): void };
    }[];
  }[];
  signal(payload: Record<string, unknown>): void;
}
interface ActivityLike {
  id: string;
  type: string;
  behaviour: Record<string, unknown>;
  environment: { variables: Record<string, unknown> };
  broker: { publish(exchange: string, routingKey: string, content: object): void };
}
interface ApiLike {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown>;
}

/** One instance in memory: its last durable record and, while live, its engine. */
interface Live {
  rec: InstanceRecord;
  def: DefinitionEntry;
  engine?: EngineLike;
  execution?: ExecutionLike;
  listener?: EventEmitter;
  waits: Map<string, WaitInfo>;
  timers: Map<string, TimerInfo>;
  calls: Map<string, ServiceCall>;
  engineError?: { message: string; elementId?: string; code?: string };
  ended: boolean;
  incident?: Incident;
  transitions: AuditDraft[];
  actor: Actor;
}

interface CommitContext {
  actor: Actor;
  command: string;
  audit?: AuditDraft[];
  history?: TaskHistoryRecord[];
  data?: Record<string, unknown>;
  taskId?: string;
  elementId?: string;
  /** Events emitted before the generic ones (task.completed …). */
  events?: Emit[];
  /** True when the engine ran in this command (instance.waiting is emitted). */
  engineRan: boolean;
}

type Emit = { [E in RuntimeEventName]: [E, RuntimeEvents[E]] }[RuntimeEventName];

const MANAGER_ROLES = new Set(['admin', 'manager']);

/** Scripts are never run (no sandbox); deploy refuses them and this keeps it so at run time. */
const noScripts = { register() {}, getScript() {} };
/**
 * bpmn-engine logs through `debug`: three loggers per element of every engine, each probing the terminal
 * (about 2% of the CPU of a busy server). Quiet unless `DEBUG` asks for them; engine errors reach us
 * through `engine.on('error')` either way.
 */
const quietLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };
const engineLogger = process.env.DEBUG ? {} : { Logger: () => quietLogger };

function stripSource(state: Record<string, unknown>): Record<string, unknown> {
  const defs = (state.definitions as Record<string, unknown>[] | undefined) ?? [];
  return { ...state, definitions: defs.map(({ source: _s, ...rest }) => rest) };
}

function toIso(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function toList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function changedVariables(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after))
    if (JSON.stringify(before[k]) !== JSON.stringify(v)) out[k] = v === undefined ? null : v;
  for (const k of Object.keys(before)) if (!(k in after)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err)
    return String((err as { message: unknown }).message);
  return String(err);
}

/**
 * The persistent workflow runtime: one bpmn-engine per instance, a serial queue per instance, one
 * version-guarded checkpoint per command, then the materialised tasks and jobs, then the audit trail,
 * then events. Idle engines are evicted (LRU) and recovered on demand.
 */
export class EngineRuntime implements WorkflowRuntime {
  readonly events: EventBus = new EventBus();
  readonly forms: FormRegistry;
  readonly services: ServiceRegistry;
  private readonly stores: RuntimeStores;
  private readonly clock: Clock;
  private readonly feelFns: () => FeelFunctionMap;
  private readonly expressions;
  private readonly queue = new InstanceQueue();
  private readonly audit: AuditWriter;
  private readonly batcher: CheckpointBatcher;
  private readonly defs = new Map<string, DefinitionEntry>();
  private readonly defsLoading = new Map<string, Promise<DefinitionEntry>>();
  private readonly latest = new Map<string, { entry: DefinitionEntry; until: number }>();
  /** Live instances in LRU order (oldest first). */
  private readonly live = new Map<string, Live>();
  private readonly maxLive: number;
  private readonly serviceWaitMs: number;
  private closed = false;
  private markedRunning: Promise<void> | undefined;
  /** True once startup recovery has appended the audit entries a crash cut off. */
  private auditReconciled = false;
  /** Instances whose last checkpoint write failed: its audit entries may be missing. */
  private readonly auditPending = new Set<string>();
  /** Deployments stored whose audit entry failed to append, by definition id. */
  private readonly deployAuditPending = new Map<string, AuditCarrier>();
  /** Issue 4: timers, messages, signals, call activities, multi-instance results, migration. */
  private readonly part2: RuntimePart2<Live>;

  constructor(options: RuntimeOptions) {
    this.stores = options.stores;
    this.clock = options.clock ?? { now: () => new Date() };
    this.services =
      options.services instanceof ServiceRegistry
        ? options.services
        : new ServiceRegistry(options.services ?? {});
    this.forms = new FormRegistry(options.formsDir ?? path.join(projectRoot(), 'schemas', 'forms'));
    const now = () => this.clock.now();
    const calendar = options.calendar ?? createCalendar({ holidays: options.holidays ?? [] });
    const fns = (options.feelFunctions ?? ((n: () => Date) => feelFunctions(calendar, n)))(now);
    this.feelFns = () => fns;
    this.expressions = createExpressions(this.feelFns);
    this.audit = new AuditWriter(this.stores.audit);
    this.batcher = new CheckpointBatcher(this.stores.checkpoints, this.audit);
    this.maxLive = options.maxLiveEngines ?? 100;
    this.serviceWaitMs = options.serviceWaitMs ?? 2000;
    this.part2 = new RuntimePart2<Live>(this.part2Host(), { clock: this.clock });
  }

  /** What engine part 2 may use: the queue, the engine plumbing and the checkpoint. */
  private part2Host(): RuntimeHost<Live> {
    return {
      stores: this.stores,
      clock: this.clock,
      emit: (event, payload) => this.events.emit(event, payload),
      run: (id, actor, fn) => this.run(id, actor, fn),
      ensureEngine: (live) => this.ensureEngine(live),
      stopEngine: (live) => this.stopEngine(live),
      commit: (live, ctx) => this.commit(live, ctx),
      definition: (key, version) => this.definition(key, version),
      listDefinitions: () => this.listDefinitions(),
      start: (request, actor, link) => this.start(request, actor, link),
      cancel: (id, reason, actor) => this.cancel(id, reason, actor),
      variables: (live) => userVariables(this.processEnv(live)?.variables ?? live.rec.variables),
      taskAttributes: (live, activity) => this.resolveTaskAttributes(live, activity as ActivityLike),
      assignVariables: (live, vars) => this.assignVariables(live, vars),
      summary: (rec) => this.summary(rec),
      settledFor: (id) => this.batcher.settledFor(id),
    };
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('RV_ERR_RUNTIME_CLOSED');
  }

  // ───────────────────────────── definitions ─────────────────────────────

  private compile(xml: string): Promise<CompiledDefinition> {
    return compileDefinition(xml, {
      hasService: (n) => this.services.has(n),
      hasForm: (k) => this.forms.has(k),
      feelFunctions: this.feelFns(),
    });
  }

  async validate(xml: string): Promise<{ key: string; elements: ElementInfo[] }> {
    const c = await this.compile(xml);
    return { key: c.key, elements: c.elements };
  }

  async deploy(xml: string, actor: Actor): Promise<DeployResult> {
    this.assertOpen();
    const compiled = await this.compile(xml);
    // deployments of one key are serialised like instance commands, so versions never collide
    return this.queue.run(`definition:${compiled.key}`, async () => {
      const existing = await this.stores.definitions.findByHash(compiled.key, compiled.hash);
      if (existing) {
        // the same file again after its entry failed to append: the entry now
        if (this.deployAuditPending.has(existing.id)) await this.appendDeployAudit();
        const { xml: _x, ...summary } = existing;
        return { definition: summary, created: false };
      }
      const latest = await this.stores.definitions.latest(compiled.key);
      const version = (latest?.version ?? 0) + 1;
      const record: DefinitionRecord = {
        id: `${compiled.key}:${version}`,
        key: compiled.key,
        version,
        name: compiled.name,
        hash: compiled.hash,
        deployedAt: this.nowIso(),
        deployedBy: actor.id,
        elements: compiled.elements,
        xml,
      };
      const deployed: AuditDraft = {
        at: record.deployedAt,
        actor: actor.id,
        type: 'definition.deployed',
        data: { definitionId: record.id, hash: record.hash },
      };
      // the entry rides on the record: a kill before the append below makes the next start append it
      await this.markRunning();
      const carrier: AuditCarrier = {
        id: record.id,
        rev: 0,
        auditAfterSeq: await this.audit.lastSeq(),
        auditDrafts: [deployed],
      };
      await this.stores.definitions.insert(record, carrier);
      const { xml: _x, ...summary } = record;
      this.latest.set(compiled.key, {
        entry: this.cacheDefinition(summary, compiled),
        until: Date.now() + 1000,
      });
      await this.audit.append([deployed], [auditKey(record.id, 0, 0)]).catch((err: unknown) => {
        // stored without its entry: appended on the next deployment of the same file or at close, else by
        // the next start (this run then stays unclean)
        this.deployAuditPending.set(record.id, carrier);
        throw err;
      });
      this.events.emit('definition.deployed', { definition: summary });
      return { definition: summary, created: true };
    });
  }

  private cacheDefinition(record: DefinitionSummary, compiled: CompiledDefinition): DefinitionEntry {
    const names = new Map(compiled.elements.map((e) => [e.id, e.name]));
    const entry = { record, compiled, names };
    this.defs.set(record.id, entry);
    return entry;
  }

  /** The parsed definition, compiled once per process from its stored XML. */
  private definition(key: string, version?: number): Promise<DefinitionEntry> {
    const cacheKey = version === undefined ? `latest:${key}` : `${key}:${version}`;
    if (version !== undefined) {
      const hit = this.defs.get(cacheKey);
      if (hit) return Promise.resolve(hit);
    } else {
      // "latest" is remembered briefly (a deploy here replaces it; another process's deploy shows within 1 s)
      const latest = this.latest.get(key);
      if (latest && latest.until > Date.now()) return Promise.resolve(latest.entry);
    }
    let loading = this.defsLoading.get(cacheKey);
    if (loading) return loading;
    loading = (async () => {
      const rec =
        version === undefined
          ? await this.stores.definitions.latest(key)
          : await this.stores.definitions.get(key, version);
      if (!rec) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key, ...(version ? { version } : {}) });
      let entry = this.defs.get(rec.id);
      if (!entry) {
        // stored definitions were validated at deploy; a service or form removed since then must not hide them
        const compiled = await compileDefinition(rec.xml, { hasService: () => true, hasForm: () => true });
        const { xml: _x, ...summary } = rec;
        entry = this.cacheDefinition(summary, compiled);
      }
      if (version === undefined) this.latest.set(key, { entry, until: Date.now() + 1000 });
      return entry;
    })();
    this.defsLoading.set(cacheKey, loading);
    try {
      return loading;
    } finally {
      void loading.finally(() => this.defsLoading.delete(cacheKey)).catch(() => undefined);
    }
  }

  async listDefinitions(): Promise<DefinitionSummary[]> {
    return this.stores.definitions.listLatest();
  }

  async listVersions(key: string): Promise<DefinitionSummary[]> {
    const list = await this.stores.definitions.versions(key);
    if (!list.length) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key });
    return list;
  }

  async getDefinitionXml(key: string, version: number): Promise<string> {
    const rec = await this.stores.definitions.get(key, version);
    if (!rec) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key, version });
    return rec.xml;
  }

  // ───────────────────────────── engine plumbing ─────────────────────────────

  private newLive(rec: InstanceRecord, def: DefinitionEntry): Live {
    return {
      rec,
      def,
      waits: new Map(),
      timers: new Map(),
      calls: new Map(),
      ended: false,
      transitions: [],
      actor: SYSTEM_ACTOR,
    };
  }

  /** bpmn-engine `extensions`: Camunda attributes → published on the activity's format at enter. */
  private extensionFor(live: Live) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const runtime = this;
    function RavandService(this: { activity: ActivityLike }, activity: ActivityLike) {
      this.activity = activity;
    }
    RavandService.prototype.execute = function (
      this: { activity: ActivityLike },
      message: { content: Record<string, unknown> },
      callback: (err: Error | null, output?: unknown) => void,
    ) {
      runtime.startServiceCall(live, this.activity, message, callback);
    };
    // a stopped engine drops the callback; the call is repeated on recovery (idempotent by executionId)
    RavandService.prototype.stop = function () {};

    return (activity: ActivityLike) => {
      const b = activity.behaviour;
      if (typeof b.topic === 'string' && b.topic) b.Service = RavandService;
      if (activity.type !== 'bpmn:UserTask') return undefined;
      return {
        activate(message: { fields: { routingKey?: string; redelivered?: boolean } }) {
          if (message.fields.redelivered || message.fields.routingKey !== 'run.enter') return;
          try {
            activity.broker.publish('format', 'run.ravand', {
              ravand: runtime.resolveTaskAttributes(live, activity),
            });
          } catch (err) {
            live.engineError ??= { message: errorMessage(err), elementId: activity.id };
          }
        },
        deactivate() {},
      };
    };
  }

  private resolveTaskAttributes(live: Live, activity: ActivityLike): Record<string, unknown> {
    const b = activity.behaviour;
    const vars = userVariables(activity.environment.variables);
    const fns = this.feelFns();
    const value = (attr: string): unknown => {
      const raw = b[attr];
      if (typeof raw !== 'string') return raw;
      try {
        if (isFeel(raw)) return evaluateFeel(raw, vars, fns);
        if (raw.includes('${'))
          return this.expressions.resolveExpression(raw, { environment: { variables: vars } });
        return raw;
      } catch (err) {
        throw new Error(`${activity.id}: camunda:${attr} "${raw}" failed: ${errorMessage(err)}`, {
          cause: err,
        });
      }
    };
    const prio = Number(value('priority') ?? 50);
    const assignee = value('assignee');
    return {
      assignee: assignee === undefined || assignee === null || assignee === '' ? undefined : String(assignee),
      candidateGroups: toList(value('candidateGroups')),
      candidateUsers: toList(value('candidateUsers')),
      dueAt: toIso(value('dueDate')),
      followUpAt: toIso(value('followUpDate')),
      priority: Number.isFinite(prio) ? Math.min(100, Math.max(0, Math.round(prio))) : 50,
      formKey: typeof b.formKey === 'string' && b.formKey ? b.formKey : undefined,
      createdAt: this.nowIso(),
      name: live.def.names.get(activity.id),
    };
  }

  private createEngine(live: Live): void {
    const listener = new EventEmitter();
    const track = (api: ApiLike) => ({
      elementId: api.id,
      executionId: api.executionId,
      type: api.type,
      content: api.content,
    });
    listener.on('wait', (api: ApiLike) => {
      live.waits.set(api.executionId, track(api));
    });
    const leave = (api: ApiLike) => {
      live.waits.delete(api.executionId);
      for (const [k, t] of live.timers) if (t.elementId === api.id) live.timers.delete(k);
    };
    listener.on('activity.end', (api: ApiLike) => {
      leave(api);
      if (!api.content?.isRecovered)
        live.transitions.push({
          at: this.nowIso(),
          actor: live.actor.id,
          type: 'element.completed',
          instanceId: live.rec.id,
          elementId: api.id,
        });
    });
    listener.on('activity.leave', leave);
    listener.on('activity.discard', leave);
    listener.on('activity.timer', (api: ApiLike) => {
      const c = api.content;
      const dueAt = toIso(c.expireAt);
      if (!dueAt) return;
      live.timers.set(`${api.id}:${api.executionId}`, {
        elementId: api.id,
        executionId: api.executionId,
        dueAt,
        timer: {
          ...(c.timeDuration ? { timeDuration: c.timeDuration } : {}),
          ...(c.timeDate ? { timeDate: c.timeDate } : {}),
          ...(c.timeCycle ? { timeCycle: c.timeCycle } : {}),
          ...(c.repeat !== undefined ? { repeat: c.repeat } : {}),
        },
      });
    });
    // no 'activity.error' listener: an error caught by a boundary event is not an incident; an uncaught one
    // reaches engine.on('error') below

    // timers are durable jobs fired by the scheduler through the queue, never by a Node timer inside an
    // engine (a timer firing outside a command would change an engine nobody checkpoints)
    const timers = new Timers({
      setTimeout: (() => ({})) as never,
      clearTimeout: (() => undefined) as never,
    });
    const engine = new Engine({
      name: live.rec.id,
      sourceContext: live.def.compiled.sourceContext,
      expressions: this.expressions,
      extensions: { ravand: this.extensionFor(live) },
      scripts: noScripts,
      timers,
      ...engineLogger,
      settings: { enableDummyService: false },
    } as never) as unknown as EngineLike;
    engine.on('error', (err: unknown) => {
      const e = err as { message?: string; source?: { content?: { id?: string } }; id?: string };
      live.engineError ??= { message: errorMessage(err), elementId: e.source?.content?.id };
    });
    engine.on('end', () => {
      live.ended = true;
    });
    live.engine = engine;
    live.listener = listener;
    this.part2.attach(live, listener as never);
  }

  /** Brings a live instance's engine up from its checkpoint (recovered waits fire again, services re-run). */
  private async ensureEngine(live: Live): Promise<void> {
    if (live.engine) return;
    if (!live.rec.state) throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId: live.rec.id });
    this.createEngine(live);
    try {
      live.engine!.recover(JSON.parse(live.rec.state));
      live.execution = await live.engine!.resume({ listener: live.listener });
    } catch (err) {
      live.engineError ??= { message: errorMessage(err) };
    }
  }

  private async stopEngine(live: Live): Promise<void> {
    const engine = live.engine;
    live.engine = undefined;
    live.execution = undefined;
    live.listener?.removeAllListeners();
    live.listener = undefined;
    live.waits.clear();
    live.timers.clear();
    for (const c of live.calls.values()) c.detached = false;
    live.calls.clear();
    if (!engine || engine.state !== 'running') return;
    try {
      // bounded, and the guard timer cleared: a pending timer would keep the stopped engine (~0.5 MB) alive
      let guard: NodeJS.Timeout | undefined;
      await Promise.race([
        engine.stop(),
        new Promise<void>((r) => {
          guard = setTimeout(r, 2000);
        }),
      ]);
      clearTimeout(guard);
    } catch (err) {
      log.warn('engine stop failed', { instanceId: live.rec.id, error: errorMessage(err) });
    }
  }

  private startServiceCall(
    live: Live,
    activity: ActivityLike,
    message: { content: Record<string, unknown> },
    callback: (err: Error | null, output?: unknown) => void,
  ): void {
    const executionId = String(message.content.executionId);
    const service = String(activity.behaviour.topic);
    const call: ServiceCall = {
      executionId,
      elementId: activity.id,
      service,
      callback,
      detached: false,
      promise: Promise.resolve(),
    };
    const variables = Object.freeze({ ...userVariables(activity.environment.variables) });
    call.promise = this.invokeService(live, call, variables).then((outcome) => {
      call.outcome = outcome;
      if (call.detached) this.applyDetached(live.rec.id, call);
    });
    live.calls.set(executionId, call);
  }

  private async invokeService(
    live: Live,
    call: ServiceCall,
    variables: Readonly<Record<string, unknown>>,
  ): Promise<Outcome> {
    const memoId = `${live.rec.id}:${call.executionId}`;
    try {
      const memo = await this.stores.serviceCalls.get(memoId);
      if (memo) return { ok: true, result: memo.result };
      const handler = this.services.get(call.service);
      if (!handler) throw new Error(`service "${call.service}" is not registered`);
      const result =
        (await handler({
          executionId: call.executionId,
          instanceId: live.rec.id,
          elementId: call.elementId,
          ...(live.rec.businessKey ? { businessKey: live.rec.businessKey } : {}),
          variables,
          now: () => this.clock.now(),
          nextSequence: (name) => this.stores.counters.next(name),
        })) ?? {};
      if (typeof result !== 'object' || Array.isArray(result))
        throw new Error(`service "${call.service}" returned ${typeof result}, not an object`);
      await this.stores.serviceCalls.put({ id: memoId, service: call.service, result, at: this.nowIso() });
      return { ok: true, result };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(errorMessage(err));
      return { ok: false, error };
    }
  }

  /** A service result that arrived after its command checkpointed: a command of its own. */
  private applyDetached(instanceId: string, call: ServiceCall): void {
    if (this.closed) return;
    this.queue
      .run(instanceId, async () => {
        const live = this.live.get(instanceId);
        if (!live || live.calls.get(call.executionId) !== call || live.rec.status !== 'running') return;
        live.actor = SYSTEM_ACTOR;
        call.detached = false;
        this.applyOutcome(live, call);
        await this.commit(live, { actor: SYSTEM_ACTOR, command: 'service.completed', engineRan: true });
      })
      .catch((err) => log.error('service completion failed', { instanceId, error: errorMessage(err) }));
  }

  private applyOutcome(live: Live, call: ServiceCall): void {
    live.calls.delete(call.executionId);
    const outcome = call.outcome!;
    try {
      if (outcome.ok) {
        this.assignVariables(live, outcome.result);
        live.transitions.push({
          at: this.nowIso(),
          actor: live.actor.id,
          type: 'service.completed',
          instanceId: live.rec.id,
          elementId: call.elementId,
          data: { service: call.service, executionId: call.executionId },
        });
        call.callback(null, outcome.result);
        return;
      }
      const code = typeof outcome.error.code === 'string' ? outcome.error.code : undefined;
      const catches = live.def.compiled.errorCatches[call.elementId] ?? [];
      if (code && (catches.includes(code) || catches.includes('*'))) {
        live.transitions.push({
          at: this.nowIso(),
          actor: live.actor.id,
          type: 'service.bpmn-error',
          instanceId: live.rec.id,
          elementId: call.elementId,
          data: { service: call.service, code, message: outcome.error.message },
        });
        call.callback(outcome.error);
        return;
      }
      live.incident ??= {
        elementId: call.elementId,
        executionId: call.executionId,
        message: outcome.error.message,
        ...(code ? { code } : {}),
        at: this.nowIso(),
      };
    } catch (err) {
      live.engineError ??= { message: errorMessage(err), elementId: call.elementId };
    }
  }

  private processEnv(live: Live) {
    return live.execution?.definitions[0]?.getProcesses()[0]?.environment;
  }

  private assignVariables(live: Live, vars: Record<string, unknown>): void {
    const env = this.processEnv(live);
    if (env) env.assignVariables(vars);
  }

  /** Applies service results as they come, until none is pending or the wait is over. */
  private async settle(live: Live): Promise<void> {
    const deadline = Date.now() + this.serviceWaitMs;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (live.engineError || live.ended || live.incident) return;
      const pending = [...live.calls.values()];
      if (!pending.length) return;
      const ready = pending.filter((c) => c.outcome);
      if (ready.length) {
        for (const c of ready) {
          this.applyOutcome(live, c);
          if (live.engineError || live.incident) return;
        }
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        for (const c of pending) c.detached = true;
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.race(pending.map((c) => c.promise)),
        new Promise<void>((r) => {
          timer = setTimeout(r, remaining);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  // ───────────────────────────── checkpoint ─────────────────────────────

  private taskFromWait(live: Live, w: WaitInfo, previous: Map<string, TaskRecord>): TaskRecord | undefined {
    if (w.type !== 'bpmn:UserTask') return undefined;
    const id = `${live.rec.id}:${w.executionId}`;
    const prev = previous.get(id);
    if (prev) return prev;
    const attrs = (w.content.ravand ?? {}) as Partial<TaskRecord> & { name?: I18nText };
    const def = live.def;
    const t: TaskRecord = {
      id,
      instanceId: live.rec.id,
      definitionKey: live.rec.key,
      definitionVersion: live.rec.version,
      elementId: w.elementId,
      executionId: w.executionId,
      name: attrs.name ?? def.names.get(w.elementId) ?? { fa: w.elementId, en: w.elementId },
      processName: def.compiled.name,
      candidateGroups: attrs.candidateGroups ?? [],
      candidateUsers: attrs.candidateUsers ?? [],
      priority: attrs.priority ?? 50,
      createdAt: attrs.createdAt ?? this.nowIso(),
    };
    if (live.rec.businessKey) t.businessKey = live.rec.businessKey;
    if (attrs.assignee) t.assignee = attrs.assignee;
    if (attrs.dueAt) t.dueAt = attrs.dueAt;
    if (attrs.followUpAt) t.followUpAt = attrs.followUpAt;
    if (attrs.formKey) t.formKey = attrs.formKey;
    return t;
  }

  /**
   * Ends a command: wait for its services (bounded), write the instance once under its rev guard, then
   * tasks, jobs and task history, then the audit entries, and only then emit events.
   */
  private async commit(live: Live, ctx: CommitContext): Promise<void> {
    if (ctx.engineRan) await this.settle(live);
    if (ctx.engineRan) await this.part2.beforeCommit(live);
    const prev = live.rec;
    const now = this.nowIso();
    const audit: AuditDraft[] = [];
    const emits: Emit[] = [...(ctx.events ?? [])];
    const history = [...(ctx.history ?? [])];
    let next: InstanceRecord;

    if (live.engineError) {
      // roll back to the last good checkpoint: the failed command's effects are dropped, the incident kept
      const incident: Incident = {
        elementId: live.engineError.elementId ?? '',
        message: live.engineError.message,
        ...(live.engineError.code ? { code: live.engineError.code } : {}),
        at: now,
      };
      const startVariables = prev.startVariables;
      next = {
        ...prev,
        status: 'failed',
        incident,
        rev: prev.rev + 1,
        inFlight: [],
        pendingHistory: [],
      };
      if (startVariables) next.startVariables = startVariables;
      await this.stopEngine(live);
      live.engineError = undefined;
      live.transitions = [];
      audit.push({
        at: now,
        actor: ctx.actor.id,
        type: ctx.command,
        instanceId: prev.id,
        ...(ctx.taskId ? { taskId: ctx.taskId } : {}),
        ...(ctx.elementId ? { elementId: ctx.elementId } : {}),
        data: { rolledBack: true, ...(ctx.data ?? {}) },
      });
      audit.push({
        at: now,
        actor: ctx.actor.id,
        type: 'incident.raised',
        instanceId: prev.id,
        elementId: incident.elementId,
        data: { message: incident.message },
      });
      await this.write(live, next, prev, audit);
      this.evict(live);
      const summary = this.summary(next);
      this.events.emit('instance.failed', { instance: summary, incident });
      this.events.emit('incident.raised', { instance: summary, incident });
      throw new AppError('RV_ERR_INCIDENT_RAISED', { instanceId: prev.id, incident });
    }

    let state = prev.state;
    let variables = prev.variables;
    let waiting = prev.waiting;
    let openTasks = prev.openTasks;
    let jobs = prev.jobs;
    let inFlight = prev.inFlight;
    let status = prev.status;
    const previousTasks = new Map(prev.openTasks.map((t) => [t.id, t]));

    if (live.engine && ctx.engineRan) {
      variables = userVariables(this.processEnv(live)?.variables ?? prev.variables);
      if (live.ended) {
        state = undefined;
        waiting = [];
        openTasks = [];
        jobs = [];
        inFlight = [];
        status = 'completed';
      } else {
        state = JSON.stringify(stripSource(await live.engine.getState()));
        const tasks: TaskRecord[] = [];
        const w: WaitingElement[] = [];
        for (const wait of live.waits.values()) {
          w.push({ elementId: wait.elementId, executionId: wait.executionId, type: wait.type });
          const t = this.taskFromWait(live, wait, previousTasks);
          if (t) tasks.push(t);
        }
        for (const c of live.calls.values())
          w.push({ elementId: c.elementId, executionId: c.executionId, type: 'bpmn:ServiceTask' });
        waiting = w;
        openTasks = tasks;
        jobs = [...live.timers.values()].map((t) => ({
          id: `${prev.id}:${t.executionId}`,
          instanceId: prev.id,
          elementId: t.elementId,
          executionId: t.executionId,
          type: 'timer' as const,
          dueAt: t.dueAt,
          timer: t.timer,
        }));
        inFlight = [...live.calls.keys()];
        if (live.incident) status = 'failed';
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

    next = {
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
    if (live.incident && status === 'failed') next.incident = live.incident;
    if (prev.status === 'failed' && status === 'running') delete next.incident;
    next.pendingHistory = history;

    const changed = changedVariables(prev.variables, variables);
    audit.push({
      at: now,
      actor: ctx.actor.id,
      type: ctx.command,
      instanceId: prev.id,
      ...(ctx.taskId ? { taskId: ctx.taskId } : {}),
      ...(ctx.elementId ? { elementId: ctx.elementId } : {}),
      ...(ctx.data || changed
        ? { data: { ...(ctx.data ?? {}), ...(changed ? { variables: changed } : {}) } }
        : {}),
    });
    audit.push(...live.transitions);
    live.transitions = [];
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
    if (status === 'completed' && prev.status !== 'completed')
      audit.push({ at: now, actor: ctx.actor.id, type: 'instance.completed', instanceId: prev.id });
    if (status === 'failed' && live.incident && !prev.incident)
      audit.push({
        at: now,
        actor: ctx.actor.id,
        type: 'incident.raised',
        instanceId: prev.id,
        elementId: live.incident.elementId,
        data: { message: live.incident.message, ...(live.incident.code ? { code: live.incident.code } : {}) },
      });

    await this.write(live, next, prev, audit);

    const summary = this.summary(next);
    for (const t of created) emits.push(['task.created', { task: t }]);
    if (status === 'completed' && prev.status !== 'completed')
      emits.push(['instance.completed', { instance: summary }]);
    else if (status === 'failed' && live.incident && !prev.incident) {
      emits.push(['instance.failed', { instance: summary, incident: live.incident }]);
      emits.push(['incident.raised', { instance: summary, incident: live.incident }]);
    } else if (ctx.engineRan && status === 'running') {
      if (prev.status === 'failed') emits.push(['incident.resolved', { instance: summary }]);
      emits.push(['instance.waiting', { instance: summary }]);
    }

    if (status !== 'running' && status !== 'suspended') {
      await this.stopEngine(live);
      this.evict(live);
    } else this.touch(live);

    for (const [event, payload] of emits) this.events.emit(event, payload as never);
    this.part2.afterCommit(next);
  }

  /**
   * Marks this run unclean before its first write. The audit floor is the chain's end now; a crashed run not
   * yet reconciled keeps its lower floor, so the reconciliation at the next start still covers its commands.
   */
  private markRunning(): Promise<void> {
    return (this.markedRunning ??= (async () => {
      const floor = await this.audit.lastSeq();
      const before = this.auditReconciled ? undefined : await this.stores.meta.get();
      const auditFloor = before && !before.clean ? Math.min(before.auditFloor ?? 0, floor) : floor;
      await this.stores.meta.set({ clean: false, startedAt: this.nowIso(), auditFloor });
    })());
  }

  /**
   * The checkpoint (one rev-guarded instance document) with its open tasks, task history and audit entries,
   * group-committed with other instances' checkpoints; then jobs and subscriptions (rare, written directly).
   */
  private async write(
    live: Live,
    next: InstanceRecord,
    prev: InstanceRecord,
    audit: AuditDraft[] = [],
  ): Promise<void> {
    // before the first write of this run: a crash from here on must make the next start reconcile
    await this.markRunning();
    // the command's audit entries ride on its checkpoint (crash repair appends them if the kill comes between)
    next.auditDrafts = audit;
    next.auditAfterSeq = await this.audit.lastSeq();
    // earlier checkpoints of this instance whose derived records are still on their way: this one carries
    // their audit entries and task history too, so that it can stand in for them after a crash
    const history = next.pendingHistory ?? [];
    const behind = this.batcher.behindFor(prev.id);
    if (behind.length) {
      next.carriedAudit = behind.flatMap((u) =>
        u.instance.auditDrafts?.length
          ? [{ rev: u.instance.rev, after: u.instance.auditAfterSeq ?? 0, drafts: u.instance.auditDrafts }]
          : [],
      );
      next.pendingHistory = [...behind.flatMap((u) => u.history), ...history];
    } else delete next.carriedAudit;
    // an earlier command of this instance whose audit append failed: its entries first (idempotent by key)
    if (this.auditPending.has(prev.id)) {
      await this.audit.appendMissing([prev]);
      this.auditPending.delete(prev.id);
    }
    const tasks = diffById(prev.openTasks, next.openTasks);
    const ok = await this.batcher
      .write({
        instance: next,
        expectedRev: prev.rev,
        taskInserts: tasks.added,
        taskReplaces: tasks.changed,
        taskRemoves: tasks.removed,
        history,
      })
      .catch((err: unknown) => {
        // the checkpoint may be in without its audit entries: the next command of this instance, or the next
        // start (this run no longer counts as clean), appends them from the checkpoint
        this.auditPending.add(next.id);
        throw err;
      });
    if (!ok) {
      await this.stopEngine(live);
      this.evict(live);
      throw new AppError('RV_ERR_CONFLICT', { instanceId: next.id });
    }
    live.rec = next;
    await this.syncJobs(prev.jobs, next.jobs);
    await this.part2.materialise(next);
  }

  /** Jobs (rare: timers) are written directly, not behind the checkpoint: the scheduler reads them. */
  private async syncJobs(prev: JobRecord[], next: JobRecord[]): Promise<void> {
    const jobs = diffById(prev, next);
    await this.stores.jobs.upsert([...jobs.added, ...jobs.changed]);
    await this.stores.jobs.remove(jobs.removed);
  }

  /**
   * Brings `tasks`, `jobs` and task history in line with a checkpoint: new tasks inserted, changed ones
   * replaced, gone ones deleted. Idempotent, so startup recovery can run it again after a crash.
   */
  private async materialise(
    rec: InstanceRecord,
    prevTasks: TaskRecord[],
    prevJobs: JobRecord[],
  ): Promise<void> {
    await this.stores.taskHistory.insert(rec.pendingHistory ?? []);
    const tasks = diffById(prevTasks, rec.openTasks);
    await this.stores.tasks.insert(tasks.added);
    await this.stores.tasks.upsert(tasks.changed);
    await this.stores.tasks.remove(tasks.removed);
    await this.syncJobs(prevJobs, rec.jobs);
    await this.part2.materialise(rec);
  }

  private touch(live: Live): void {
    this.live.delete(live.rec.id);
    this.live.set(live.rec.id, live);
    if (this.live.size <= this.maxLive) return;
    for (const [id, l] of this.live) {
      if (this.live.size <= this.maxLive) break;
      if (l === live || l.calls.size || this.queue.busy(id)) continue;
      this.live.delete(id);
      void this.queue.run(id, async () => {
        if (this.live.get(id)) return; // touched again meanwhile
        await this.stopEngine(l);
      });
    }
  }

  private evict(live: Live): void {
    if (this.live.get(live.rec.id) === live) this.live.delete(live.rec.id);
  }

  /** The live instance (engine not yet recovered), loaded from its record when not in memory. */
  private async load(instanceId: string): Promise<Live> {
    const cached = this.live.get(instanceId);
    if (cached) return cached;
    // an instance that just ended keeps its active copy until its derived records are in
    await this.batcher.settledFor(instanceId);
    // after a failed write the active copy of an instance that ended may still be there: history wins
    const rec =
      (this.auditPending.has(instanceId) ? await this.stores.instances.ended(instanceId) : undefined) ??
      (await this.stores.instances.get(instanceId));
    if (!rec) throw new AppError('RV_ERR_INSTANCE_NOT_FOUND', { instanceId });
    const def = await this.definition(rec.key, rec.version);
    const live = this.newLive(rec, def);
    if (rec.incident && rec.status === 'failed') live.incident = rec.incident;
    this.live.set(instanceId, live);
    return live;
  }

  private run<T>(instanceId: string, actor: Actor, fn: (live: Live) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.queue.run(instanceId, async () => {
      const live = await this.load(instanceId);
      live.actor = actor;
      try {
        return await fn(live);
      } catch (err) {
        if (!isAppError(err)) {
          // an unexpected failure mid-command: drop the in-memory engine so the next command recovers from disk
          await this.stopEngine(live);
          this.evict(live);
        }
        throw err;
      }
    });
  }

  private summary(rec: InstanceRecord): InstanceSummary {
    const s: InstanceSummary = {
      id: rec.id,
      definitionId: rec.definitionId,
      key: rec.key,
      version: rec.version,
      status: rec.status,
      variables: rec.variables,
      waiting: rec.waiting,
      startedAt: rec.startedAt,
      startedBy: rec.startedBy,
    };
    if (rec.businessKey) s.businessKey = rec.businessKey;
    if (rec.incident) s.incident = rec.incident;
    if (rec.endedAt) s.endedAt = rec.endedAt;
    if (rec.cancelReason) s.cancelReason = rec.cancelReason;
    if (rec.parentId) s.parentId = rec.parentId;
    return s;
  }

  // ───────────────────────────── instances ─────────────────────────────

  /** `link` (engine part 2): a call activity's child, with its deterministic id and its parent. */
  async start(
    request: StartRequest,
    actor: Actor,
    link?: { id: string; parentId: string },
  ): Promise<InstanceSummary> {
    this.assertOpen();
    const def = await this.definition(request.key, request.version);
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
    const live = this.newLive(rec, def);
    live.actor = actor;
    this.live.set(id, live);
    return this.queue.run(id, async () => {
      try {
        await this.execute(live, variables);
        await this.commit(live, {
          actor,
          command: 'instance.started',
          engineRan: true,
          data: { definitionId: def.record.id, ...(rec.businessKey ? { businessKey: rec.businessKey } : {}) },
          events: [],
        });
      } catch (err) {
        if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return this.summary(live.rec);
        this.evict(live);
        await this.stopEngine(live);
        throw err;
      }
      this.events.emit('instance.started', { instance: this.summary(live.rec) });
      return this.summary(live.rec);
    });
  }

  private async execute(live: Live, variables: Record<string, unknown>): Promise<void> {
    this.createEngine(live);
    try {
      live.execution = await live.engine!.execute({ listener: live.listener, variables: { ...variables } });
    } catch (err) {
      live.engineError ??= { message: errorMessage(err) };
    }
  }

  async getInstance(id: string): Promise<InstanceSummary> {
    const live = this.live.get(id);
    if (live && live.rec.rev >= 0) return this.summary(live.rec);
    // an instance that just ended keeps its active copy until its derived records are in
    await this.batcher.settledFor(id);
    const rec = await this.stores.instances.get(id);
    if (!rec) throw new AppError('RV_ERR_INSTANCE_NOT_FOUND', { instanceId: id });
    return this.summary(rec);
  }

  async listInstances(filter: InstanceFilter): Promise<Page<InstanceSummary>> {
    await this.batcher.settled();
    const page = await this.stores.instances.list(filter);
    return { ...page, items: page.items.map((r) => this.summary(r)) };
  }

  async cancel(instanceId: string, reason: string, actor: Actor): Promise<InstanceSummary> {
    return this.run(instanceId, actor, async (live) => {
      const s = live.rec.status;
      if (s === 'completed' || s === 'cancelled')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: s });
      await this.stopEngine(live);
      const now = this.nowIso();
      const prev = live.rec;
      const children = this.part2.childrenOf(prev);
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
      await this.write(live, next, prev, [
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
      this.evict(live);
      const summary = this.summary(next);
      for (const h of history) this.events.emit('task.cancelled', { task: h });
      this.events.emit('instance.cancelled', { instance: summary });
      // cancelling the parent cancels the instances its call activities started
      await this.part2.cancelChildren(children, next.cancelReason ?? '', actor);
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
    await this.write(live, next, prev, [
      { at: this.nowIso(), actor: actor.id, type: event, instanceId: prev.id },
    ]);
    await this.part2.statusChanged(next);
    const summary = this.summary(next);
    this.events.emit(event, { instance: summary });
    return summary;
  }

  async suspend(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.run(instanceId, actor, async (live) => {
      if (live.rec.status !== 'running')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: live.rec.status });
      return this.setStatus(live, actor, 'suspended', 'instance.suspended');
    });
  }

  async resume(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.run(instanceId, actor, async (live) => {
      if (live.rec.status !== 'suspended')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: live.rec.status });
      return this.setStatus(live, actor, 'running', 'instance.resumed');
    });
  }

  async retry(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.run(instanceId, actor, async (live) => {
      if (live.rec.status !== 'failed') throw new AppError('RV_ERR_NO_INCIDENT', { instanceId });
      await this.stopEngine(live);
      live.incident = undefined;
      const resolved = live.rec.incident;
      if (live.rec.state) await this.ensureEngine(live);
      else await this.execute(live, live.rec.startVariables ?? {});
      try {
        await this.commit(live, {
          actor,
          command: 'instance.retried',
          engineRan: true,
          ...(resolved ? { data: { incident: resolved.message }, elementId: resolved.elementId } : {}),
        });
      } catch (err) {
        if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return this.summary(live.rec);
        throw err;
      }
      return this.summary(live.rec);
    });
  }

  async migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary> {
    this.assertOpen();
    return this.part2.migrate(instanceId, toVersion, actor);
  }

  /** Engine part 2's timer scheduler (tests poke it after moving the clock). */
  get scheduler() {
    return this.part2.scheduler;
  }

  // ───────────────────────────── tasks ─────────────────────────────

  private instanceOfTask(taskId: string): string {
    const i = typeof taskId === 'string' ? taskId.indexOf(':') : -1;
    if (i <= 0) throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId });
    return taskId.slice(0, i);
  }

  async getTask(taskId: string): Promise<TaskRecord> {
    // a task's record comes from its own instance's checkpoints: only those need to be in
    await this.batcher.settledFor(this.instanceOfTask(taskId));
    const t = await this.stores.tasks.get(taskId);
    if (!t) throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId });
    return t;
  }

  async listTasks(filter: TaskFilter): Promise<Page<TaskRecord>> {
    await this.batcher.settled();
    return this.stores.tasks.list(filter);
  }

  async taskHistory(instanceId: string): Promise<TaskHistoryRecord[]> {
    await this.batcher.settledFor(instanceId);
    return this.stores.taskHistory.byInstance(instanceId);
  }

  /** Runs `fn` on the open task inside its instance's queue; a task gone meanwhile is RV_ERR_TASK_NOT_OPEN. */
  private withTask<T>(
    taskId: string,
    actor: Actor,
    fn: (live: Live, task: TaskRecord) => Promise<T>,
  ): Promise<T> {
    const instanceId = this.instanceOfTask(taskId);
    return this.run(instanceId, actor, async (live) => {
      const task = live.rec.openTasks.find((t) => t.id === taskId);
      if (!task) {
        await this.batcher.settledFor(instanceId);
        const history = await this.stores.taskHistory.byInstance(instanceId);
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
    await this.write(live, next, prev, [
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
    this.touch(live);
    this.events.emit(command, { task: updated, by: actor.id });
    return updated;
  }

  async claimTask(taskId: string, actor: Actor): Promise<TaskRecord> {
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

  async unclaimTask(taskId: string, actor: Actor): Promise<TaskRecord> {
    return this.withTask(taskId, actor, async (live, task) => {
      if (!task.assignee) return task;
      if (task.assignee !== actor.id && !actor.roles.some((r) => MANAGER_ROLES.has(r)))
        throw new AppError('RV_ERR_TASK_CLAIMED', { taskId });
      return this.updateTask(live, actor, task, {}, 'task.unclaimed');
    });
  }

  async assignTask(taskId: string, assignee: string | null, actor: Actor): Promise<TaskRecord> {
    return this.withTask(taskId, actor, async (live, task) => {
      // checked again inside the queue: a claim that landed after the caller's check is not overwritten
      if (task.assignee && task.assignee !== actor.id && !actor.roles.some((r) => MANAGER_ROLES.has(r)))
        throw new AppError('RV_ERR_TASK_CLAIMED', { taskId, assignee: task.assignee });
      if (assignee === null) return this.updateTask(live, actor, task, {}, 'task.assigned');
      return this.updateTask(live, actor, task, { assignee, claimedAt: this.nowIso() }, 'task.assigned');
    });
  }

  async completeTask(
    taskId: string,
    data: Record<string, unknown>,
    actor: Actor,
  ): Promise<TaskHistoryRecord> {
    const payload = data ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload))
      throw new AppError('RV_ERR_VALIDATION', { data: 'must be an object' });
    return this.withTask(taskId, actor, async (live, task) => {
      if (task.assignee && task.assignee !== actor.id && !actor.roles.includes('admin'))
        throw new AppError('RV_ERR_TASK_CLAIMED', { taskId, assignee: task.assignee });
      if (task.formKey) this.forms.validate(task.formKey, payload);
      await this.ensureEngine(live);
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
          // a multi-instance iteration's data goes to its output list, not the top-level variables
          if (!this.part2.collectIteration(live, task, payload)) this.assignVariables(live, payload);
          live.execution!.signal({ id: task.elementId, executionId: task.executionId, form: payload });
        } catch (err) {
          live.engineError ??= { message: errorMessage(err), elementId: task.elementId };
        }
      }
      await this.commit(live, {
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

  // ───────────────────────────── messages (issue 4) ─────────────────────────────

  async correlateMessage(request: MessageRequest, actor: Actor): Promise<InstanceSummary> {
    this.assertOpen();
    return this.part2.correlateMessage(request, actor);
  }

  async signal(
    name: string,
    variables: Record<string, unknown>,
    actor: Actor,
  ): Promise<{ delivered: number }> {
    this.assertOpen();
    return this.part2.signal(name, variables, actor);
  }

  // ───────────────────────────── audit ─────────────────────────────

  async auditTrail(instanceId: string): Promise<AuditEvent[]> {
    await this.batcher.settled();
    await this.audit.flush();
    return this.stores.audit.byInstance(instanceId);
  }

  /** Appends entries that no command drafted (a document's upload, with its SHA-256) to the hash chain. */
  async recordAudit(drafts: AuditDraft[]): Promise<AuditEvent[]> {
    return this.audit.append(drafts);
  }

  async verifyAudit(): Promise<{ ok: boolean; checked: number; brokenAt?: number }> {
    await this.batcher.settled();
    await this.audit.flush();
    return verifyAuditChain(this.stores.audit);
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  async recover(): Promise<void> {
    this.assertOpen();
    const meta = await this.stores.meta.get();
    let moving: string[];
    if (meta?.clean) {
      // a clean shutdown left every record materialised; only services in flight must move again
      moving = meta.resume ?? [];
    } else {
      // first start or a crash: reconcile open tasks, jobs and task history with every active checkpoint
      // (the runtime collections are small: ended instances live in history), and resume in-flight services
      const active = await this.stores.instances.active();
      // a crash while an instance ended: history wins (an ended record still only in the active collection
      // ended in its first command and is moved now)
      const endedOf = new Map<string, InstanceRecord>();
      for (const rec of active) {
        let ended = await this.stores.instances.ended(rec.id);
        if (!ended && (rec.status === 'completed' || rec.status === 'cancelled')) {
          await this.stores.instances.insert(rec);
          ended = rec;
        }
        if (ended) endedOf.set(rec.id, ended);
      }
      // before anything else moves: the audit entries of the last commands that the crash cut off
      const appended = await appendMissingAudit(
        this.audit,
        this.stores.audit,
        [
          ...active,
          ...endedOf.values(),
          ...(await this.stores.definitions.auditCarriersSince(meta?.auditFloor ?? 0)),
        ],
        meta?.auditFloor,
      );
      if (appended) log.warn('engine appended audit entries a crash had cut off', { entries: appended });
      this.auditReconciled = true;
      const tasks = await this.stores.tasks.all();
      const byInstance = new Map<string, TaskRecord[]>();
      for (const t of tasks) byInstance.set(t.instanceId, [...(byInstance.get(t.instanceId) ?? []), t]);
      const ids = new Set<string>();
      for (const rec of active) {
        const ended = endedOf.get(rec.id);
        const truth = ended ?? rec;
        if (ended) await this.stores.instances.removeActive(rec.id);
        await this.materialise(
          truth,
          byInstance.get(rec.id) ?? [],
          await this.stores.jobs.byInstance(rec.id),
        );
        byInstance.delete(rec.id);
        ids.add(rec.id);
      }
      // open tasks of instances that are no longer active: the instance ended before its tasks were removed
      for (const [instanceId, stale] of byInstance) {
        const ended = await this.stores.instances.ended(instanceId);
        if (ended) await this.materialise(ended, stale, await this.stores.jobs.byInstance(instanceId));
        else await this.stores.tasks.remove(stale.map((t) => t.id));
      }
      moving = active
        .filter((r) => r.inFlight.length > 0 && (r.status === 'running' || r.status === 'suspended'))
        .map((r) => r.id)
        .filter((id) => ids.has(id));
      if (active.length) log.info('engine reconciliation done', { active: active.length });
      // parents whose called child ended just before the crash get its result once the scheduler runs
      this.part2.afterCrash(active);
    }
    await this.markRunning();
    const started: Promise<unknown>[] = [];
    for (const id of moving) {
      started.push(
        this.run(id, SYSTEM_ACTOR, async (live) => {
          if (!live.rec.inFlight.length || live.rec.status !== 'running') return;
          await this.ensureEngine(live);
          await this.commit(live, { actor: SYSTEM_ACTOR, command: 'instance.recovered', engineRan: true });
        }).catch((err) => {
          if (!isAppError(err, 'RV_ERR_INCIDENT_RAISED'))
            log.error('recovery failed', { instanceId: id, error: errorMessage(err) });
        }),
      );
    }
    await Promise.all(started);
    if (moving.length) log.info('engine resumed in-flight services', { resumed: moving.length });
    // durable timers: the overdue ones fire now, in order of due time, then each at its time
    await this.part2.start();
  }

  /** Appends the entries of deployments whose append failed (idempotent by key). */
  private async appendDeployAudit(): Promise<void> {
    await this.audit.appendMissing([...this.deployAuditPending.values()]);
    this.deployAuditPending.clear();
  }

  /** Resolves once the records derived from every checkpoint written so far are in (reads of them). */
  settled(): Promise<void> {
    return this.batcher.settled();
  }

  /** Waits until no instance has queued work (tests and shutdown). */
  async idle(): Promise<void> {
    await this.queue.drain();
    await this.batcher.flush();
    await this.audit.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.part2.stop();
    await this.queue.drain();
    await this.batcher.close();
    await this.audit.flush();
    // services still in flight (detached from their command) are called again at the next start
    const resume = [...this.live.values()].filter((l) => l.calls.size > 0).map((l) => l.rec.id);
    for (const live of [...this.live.values()]) await this.stopEngine(live);
    this.live.clear();
    // a failed audit append: its entries once more from the checkpoints, else the next start repairs it
    if (this.auditPending.size)
      try {
        const recs: InstanceRecord[] = [];
        for (const id of this.auditPending) {
          const rec = (await this.stores.instances.ended(id)) ?? (await this.stores.instances.get(id));
          if (rec) recs.push(rec);
        }
        await this.audit.appendMissing(recs);
        // the active copies of the ones that ended go only now (they are where the next start looks)
        for (const rec of recs)
          if (rec.status === 'completed' || rec.status === 'cancelled')
            await this.stores.instances.removeActive(rec.id);
        this.auditPending.clear();
      } catch (err) {
        log.error('could not append the audit entries of failed writes', { error: errorMessage(err) });
      }
    if (this.deployAuditPending.size)
      await this.appendDeployAudit().catch((err: unknown) =>
        log.error('could not append the audit entries of deployments', { error: errorMessage(err) }),
      );
    if (this.batcher.lost) {
      log.warn('derived records of the last checkpoints are missing; the next start rebuilds them');
      return;
    }
    if (this.auditPending.size || this.deployAuditPending.size) {
      log.warn('audit entries may be missing; the next start appends them', {
        instances: this.auditPending.size,
        definitions: this.deployAuditPending.size,
      });
      return;
    }
    await this.stores.meta
      .set({ clean: true, resume })
      .catch((err) => log.warn('could not record the clean shutdown', { error: errorMessage(err) }));
  }

  /** Live engines in memory (for tests and metrics). */
  get liveCount(): number {
    return this.live.size;
  }
}

/** Convenience for codes used by the runtime. */
export type RuntimeErrorCode = Extract<ErrorCode, `RV_ERR_${string}`>;
