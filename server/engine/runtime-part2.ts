/**
 * Engine part 2 (issue 4), plugged into the runtime through a narrow host: durable timers fired by the scheduler,
 * message correlation and signals, thrown messages routed to other instances, multi-instance results, call
 * activities, migration, and the timer hold of suspended instances. Every command still runs through the
 * runtime's per-instance queue and ends in its one checkpoint (`host.commit`), so it is audited like the rest.
 */
import { AppError, isAppError } from '../app-error.js';
import { log } from '../logger.js';
import {
  catalogOf,
  correlationValue,
  iterationIndex,
  subscriptionsOf,
  type FlowCatalog,
  type OutboxEntry,
  type SubscriptionRecord,
  type SubscriptionStore,
} from './correlation.js';
import { diffById } from './diff-by-id.js';
import { fireEngineTimer } from './engine-timers.js';
import { Scheduler, type Clock } from './scheduler.js';
import type { InstanceRecord, JobRecord, RuntimeStores } from './stores.js';
import {
  SYSTEM_ACTOR,
  type Actor,
  type DefinitionSummary,
  type InstanceSummary,
  type MessageRequest,
  type RuntimeEventName,
  type RuntimeEvents,
  type StartRequest,
  type TaskRecord,
} from './types.js';

/** The parts of a live instance this module reads (the runtime's `Live`). */
export interface LiveView {
  rec: InstanceRecord;
  def: { record: DefinitionSummary; compiled: { sourceContext: unknown } };
  engine?: unknown;
  execution?: { signal(payload: Record<string, unknown>): void } | null;
  waits: Map<
    string,
    { elementId: string; executionId: string; type: string; content: Record<string, unknown> }
  >;
  engineError?: { message: string; elementId?: string; code?: string };
}

/** What the runtime lends this module; all instance work goes through `run` (the instance queue). */
export interface RuntimeHost<L extends LiveView = LiveView> {
  stores: RuntimeStores & { subscriptions?: SubscriptionStore };
  clock: Clock;
  emit<E extends RuntimeEventName>(event: E, payload: RuntimeEvents[E]): void;
  run<T>(instanceId: string, actor: Actor, fn: (live: L) => Promise<T>): Promise<T>;
  ensureEngine(live: L): Promise<void>;
  stopEngine(live: L): Promise<void>;
  commit(
    live: L,
    ctx: {
      actor: Actor;
      command: string;
      engineRan: boolean;
      elementId?: string;
      data?: Record<string, unknown>;
    },
  ): Promise<void>;
  definition(key: string, version?: number): Promise<L['def']>;
  listDefinitions(): Promise<DefinitionSummary[]>;
  start(
    request: StartRequest,
    actor: Actor,
    link?: { id: string; parentId: string },
  ): Promise<InstanceSummary>;
  cancel(instanceId: string, reason: string, actor: Actor): Promise<InstanceSummary>;
  variables(live: L): Record<string, unknown>;
  /** The Camunda task attributes (assignee, groups, due date …) resolved over `activity.environment.variables`. */
  taskAttributes(live: L, activity: unknown): Record<string, unknown>;
  assignVariables(live: L, vars: Record<string, unknown>): void;
  summary(rec: InstanceRecord): InstanceSummary;
  /** Resolves once the records derived from the instance's last checkpoint are written. */
  settledFor(instanceId: string): Promise<void>;
}

type Outgoing = Omit<OutboxEntry, 'id' | 'rev'>;

interface PendingCall {
  elementId: string;
  executionId: string;
  calledElement: string;
}

export interface Part2Options {
  clock: Clock;
  /** Longest sleep of the scheduler between job reads. */
  schedulerMaxSleepMs?: number;
}

/** Child instance id of a call activity execution: deterministic, so a repeated start finds the child. */
export function childInstanceId(parentId: string, callExecutionId: string): string {
  return `${parentId}.${callExecutionId}`;
}

function pick(vars: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  if (!names) return { ...vars };
  const out: Record<string, unknown> = {};
  for (const n of names) if (n in vars) out[n] = vars[n];
  return out;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class RuntimePart2<L extends LiveView = LiveView> {
  readonly scheduler: Scheduler;
  private readonly catalogs = new Map<string, FlowCatalog>();
  /** Messages and signals thrown by the command in progress, per instance. */
  private readonly outbox = new Map<string, Outgoing[]>();
  /** Thrown in a command whose checkpoint is being written (stored first): sent once it is durable. */
  private readonly ready = new Map<string, { entries: OutboxEntry[]; prevState: string | undefined }>();
  private readonly calls = new Map<string, PendingCall[]>();
  private closed = false;
  private crashed: InstanceRecord[] = [];

  constructor(
    private readonly host: RuntimeHost<L>,
    options: Part2Options,
  ) {
    this.scheduler = new Scheduler({
      jobs: host.stores.jobs,
      fire: (job) => this.fireJob(job),
      clock: options.clock,
      ...(options.schedulerMaxSleepMs ? { maxSleepMs: options.schedulerMaxSleepMs } : {}),
    });
  }

  /** The definition's messages, signals, multi-instance and call activities (cached per definition id). */
  catalog(def: L['def']): FlowCatalog {
    let c = this.catalogs.get(def.record.id);
    if (!c) {
      c = catalogOf(def.compiled.sourceContext);
      this.catalogs.set(def.record.id, c);
    }
    return c;
  }

  // ───────────────────────────── hooks called by the runtime ─────────────────────────────

  /** Listens to a new engine: call activities wait, throw events fill the outbox. */
  attach(live: L, listener: { on(event: string, fn: (api: ApiView) => void): void }): void {
    const catalog = this.catalog(live.def);
    if (catalog.multiInstance.size) {
      // bpmn-elements resolves a task's attributes once for the whole loop and emits no `activity.end` per
      // iteration: resolve them per iteration (with its element variable) and drop a consumed iteration's wait
      listener.on('wait', (api) => {
        const wait = live.waits.get(api.executionId);
        if (!wait || !api.content?.isMultiInstance || api.type !== 'bpmn:UserTask') return;
        try {
          wait.content = { ...wait.content, ravand: this.iterationAttributes(live, api) };
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: api.id };
        }
      });
      listener.on('activity.consumed', (api) => {
        if (live.waits.get(api.executionId)?.content.isMultiInstance) live.waits.delete(api.executionId);
      });
    }
    listener.on('activity.call', (api) => {
      live.waits.set(api.executionId, {
        elementId: api.id,
        executionId: api.executionId,
        type: api.type,
        content: api.content,
      });
      const list = this.calls.get(live.rec.id) ?? [];
      list.push({
        elementId: api.id,
        executionId: api.executionId,
        calledElement: String(api.content.calledElement ?? catalog.calls.get(api.id)?.calledElement ?? ''),
      });
      this.calls.set(live.rec.id, list);
    });
    if (!catalog.throws.size) return;
    listener.on('activity.end', (api) => {
      const point = catalog.throws.get(api.id);
      if (!point || api.content?.isRecovered) return;
      const vars = { ...(api.environment?.variables ?? {}) };
      const key =
        point.kind === 'message'
          ? correlationValue(point, vars, live.rec.businessKey ?? undefined)
          : undefined;
      const list = this.outbox.get(live.rec.id) ?? [];
      list.push({
        kind: point.kind,
        name: point.name,
        from: live.rec.id,
        ...(key ? { correlationKey: key } : {}),
      });
      this.outbox.set(live.rec.id, list);
    });
  }

  private iterationAttributes(live: L, api: ApiView): Record<string, unknown> {
    const owner = api.owner ?? {};
    const loop = owner.behaviour?.loopCharacteristics as
      { behaviour?: { elementVariable?: string } } | undefined;
    const elementVariable = loop?.behaviour?.elementVariable;
    const variables: Record<string, unknown> = { ...(owner.environment?.variables ?? {}) };
    if (typeof api.content.index === 'number') variables.loopCounter = api.content.index;
    if (elementVariable && elementVariable in api.content)
      variables[elementVariable] = api.content[elementVariable];
    return this.host.taskAttributes(live, {
      id: api.id,
      type: api.type,
      behaviour: owner.behaviour ?? {},
      environment: { variables },
    });
  }

  /** Inside a command, after the engine settled and before its checkpoint: start called children. */
  async beforeCommit(live: L): Promise<void> {
    const id = live.rec.id;
    const thrown = this.outbox.get(id) ?? [];
    this.outbox.delete(id);
    this.ready.delete(id);
    const calls = this.calls.get(id) ?? [];
    this.calls.delete(id);
    for (const call of calls) {
      if (live.engineError) return;
      if (!live.waits.has(call.executionId)) continue;
      try {
        await this.startChild(live, call);
      } catch (err) {
        live.engineError ??= { message: errorText(err), elementId: call.elementId };
      }
    }
    if (live.engineError || !thrown.length) return;
    // stored before the checkpoint, stamped with its rev: a crash after the checkpoint still delivers them
    // (startup sweep), and entries of a checkpoint that never landed are dropped there
    const rev = live.rec.rev + 1;
    const entries = thrown.map((o, n) => ({ ...o, id: `${id}:${rev}:${n}`, rev }));
    await this.outboxStore()?.insert(entries);
    this.ready.set(id, { entries, prevState: live.rec.state });
  }

  private outboxStore() {
    return this.host.stores.subscriptions?.outbox;
  }

  /** After a checkpoint is durable: wake the scheduler, send thrown messages, return to a waiting parent. */
  afterCommit(rec: InstanceRecord): void {
    for (const j of rec.jobs) this.scheduler.notify(j.dueAt);
    // an instance that can move again (a retried incident) fires its overdue timers now, not after a deferral
    const now = this.host.clock.now().getTime();
    if (rec.status === 'running' && rec.jobs.some((j) => Date.parse(j.dueAt) <= now))
      void this.scheduler.poke();
    const out = this.ready.get(rec.id);
    this.ready.delete(rec.id);
    if (this.closed) return;
    for (const o of out?.entries ?? []) void this.send(o);
    if (rec.status === 'completed' && rec.parentId) void this.returnToParent(rec);
  }

  /** After the materialised tasks and jobs: the message/signal subscriptions of the checkpoint. */
  async materialise(rec: InstanceRecord): Promise<void> {
    const out = this.ready.get(rec.id);
    if (out && rec.status === 'failed' && rec.state === out.prevState) {
      // the command was rolled back to its previous checkpoint (an incident): its throws never happened
      this.ready.delete(rec.id);
      await this.outboxStore()?.remove(out.entries.map((e) => e.id));
    }
    const store = this.host.stores.subscriptions;
    if (!store) return;
    const def = await this.host.definition(rec.key, rec.version);
    const catalog = this.catalog(def);
    if (!catalog.catches.size) return;
    const next = rec.status === 'running' || rec.status === 'suspended' ? subscriptionsOf(rec, catalog) : [];
    const prev = await store.byInstance(rec.id);
    const subs = diffById(prev, next);
    await store.upsert([...subs.added, ...subs.changed]);
    await store.remove(subs.removed);
  }

  /** Suspend holds the instance's timer jobs (kept in its checkpoint); resume releases them. */
  async statusChanged(rec: InstanceRecord): Promise<void> {
    if (rec.status === 'suspended') await this.host.stores.jobs.remove(rec.jobs.map((j) => j.id));
    if (rec.status === 'running' && rec.jobs.length) {
      await this.host.stores.jobs.upsert(rec.jobs);
      // timers that fell due while suspended fire now, in order of due time
      void this.scheduler.poke();
    }
  }

  /** Call activities the instance waits on: their children's ids (cancel cascades to them). */
  childrenOf(rec: InstanceRecord): string[] {
    return rec.waiting
      .filter((w) => w.type === 'bpmn:CallActivity')
      .map((w) => childInstanceId(rec.id, w.executionId));
  }

  /** Cancels the children of a cancelled parent (each cascades further). */
  async cancelChildren(children: string[], reason: string, actor: Actor): Promise<void> {
    for (const id of children) {
      try {
        await this.host.cancel(id, reason, actor);
      } catch (err) {
        if (!isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND') && !isAppError(err, 'RV_ERR_INSTANCE_NOT_RUNNING'))
          log.warn('cancelling a called instance failed', { instanceId: id, error: errorText(err) });
      }
    }
  }

  /**
   * Completing a multi-instance iteration: its form data goes to the output list at the iteration's index
   * (processes/CONVENTIONS.md) instead of the top-level variables. False when the task is no iteration.
   */
  collectIteration(live: L, task: TaskRecord, data: Record<string, unknown>): boolean {
    const catalog = this.catalog(live.def);
    const wait = live.waits.get(task.executionId);
    let mi = catalog.multiInstance.get(task.elementId);
    let index: number | undefined;
    if (mi)
      index = typeof wait?.content.index === 'number' ? wait.content.index : iterationIndex(task.executionId);
    else {
      const parent = catalog.parentOf.get(task.elementId);
      mi = parent ? catalog.multiInstance.get(parent) : undefined;
      const parentExec = (wait?.content.parent as { executionId?: string } | undefined)?.executionId;
      if (mi) index = iterationIndex(parentExec);
    }
    if (!mi || index === undefined) return false;
    const current = this.host.variables(live)[mi.outputVariable];
    const list: unknown[] = Array.isArray(current) ? [...(current as unknown[])] : [];
    while (list.length <= index) list.push(null);
    const before = list[index];
    list[index] =
      mi.subProcess && before && typeof before === 'object'
        ? { ...(before as object), ...data }
        : { ...data };
    this.host.assignVariables(live, { [mi.outputVariable]: list });
    return true;
  }

  /** Active instances found by a crash recovery: parents waiting for children that already ended. */
  afterCrash(active: InstanceRecord[]): void {
    this.crashed = active.filter(
      (r) => r.status === 'running' && r.waiting.some((w) => w.type === 'bpmn:CallActivity'),
    );
  }

  async start(): Promise<void> {
    this.closed = false;
    await this.scheduler.start();
    await this.sweepOutbox();
    const parents = this.crashed;
    this.crashed = [];
    for (const parent of parents)
      for (const id of this.childrenOf(parent)) {
        const child = await this.host.stores.instances.get(id);
        if (child?.status === 'completed') await this.returnToParent(child);
      }
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.scheduler.stop();
  }

  // ───────────────────────────── timers ─────────────────────────────

  /** Fires one due timer job inside its instance's queue; stale jobs (already fired) are dropped. */
  async fireJob(job: JobRecord): Promise<void> {
    try {
      await this.host.run(job.instanceId, SYSTEM_ACTOR, async (live) => {
        const rec = live.rec;
        const current = rec.jobs.find((j) => j.id === job.id);
        if (!current || rec.status === 'completed' || rec.status === 'cancelled') {
          // fired before a crash cut the job's removal short, or the instance ended: nothing fires twice
          await this.host.stores.jobs.remove([job.id]);
          return;
        }
        // a suspended instance holds its timers; a failed one waits for its retry
        if (rec.status !== 'running') return;
        await this.host.ensureEngine(live);
        const fired = !live.engineError && fireEngineTimer(live.engine, job.executionId);
        await this.host.commit(live, {
          actor: SYSTEM_ACTOR,
          command: 'timer.fired',
          engineRan: true,
          elementId: job.elementId,
          data: { jobId: job.id, dueAt: job.dueAt, ...(fired ? {} : { firedOnResume: true }) },
        });
      });
    } catch (err) {
      if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return;
      if (isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND')) {
        await this.host.stores.jobs.remove([job.id]);
        return;
      }
      throw err;
    }
  }

  // ───────────────────────────── messages and signals ─────────────────────────────

  private subscriptions(): SubscriptionStore {
    const store = this.host.stores.subscriptions;
    if (!store) throw new AppError('RV_ERR_NOT_IMPLEMENTED', { operation: 'subscriptions store' });
    return store;
  }

  /** Signals one waiting execution of an instance; undefined when the wait is gone or the instance cannot move. */
  private async deliver(
    sub: { id?: string; instanceId: string; elementId: string; executionId: string },
    variables: Record<string, unknown>,
    actor: Actor,
    command: string,
    data: Record<string, unknown>,
  ): Promise<InstanceSummary | 'suspended' | undefined> {
    try {
      return await this.host.run(sub.instanceId, actor, async (live) => {
        if (live.rec.status === 'suspended') return 'suspended' as const;
        if (live.rec.status !== 'running') {
          // left behind by a crash between an instance's last checkpoint and its cleanup
          if (live.rec.status !== 'failed' && 'id' in sub)
            await this.subscriptions().remove([String(sub.id)]);
          return undefined;
        }
        await this.host.ensureEngine(live);
        const point = this.catalog(live.def).catches.get(sub.elementId);
        if (live.engineError || !point || !live.waits.has(sub.executionId)) {
          await this.host.stopEngine(live);
          return undefined;
        }
        try {
          if (Object.keys(variables).length) this.host.assignVariables(live, variables);
          // bpmn-elements hands a delegated message to the catch events waiting for that message element
          live.execution!.signal({ id: point.refId });
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: sub.elementId };
        }
        await this.host.commit(live, { actor, command, engineRan: true, elementId: sub.elementId, data });
        return this.host.summary(live.rec);
      });
    } catch (err) {
      if (isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND')) return undefined;
      throw err;
    }
  }

  /**
   * Correlates a message by name and key (business key, or the catch event's `correlation-key` variable) to a
   * waiting catch event or receive task, else to a message start event; otherwise RV_ERR_MESSAGE_NOT_CORRELATED
   * and nothing changes.
   */
  async correlateMessage(request: MessageRequest, actor: Actor, exclude?: string): Promise<InstanceSummary> {
    const name = typeof request?.name === 'string' ? request.name.trim() : '';
    if (!name) throw new AppError('RV_ERR_VALIDATION', { name: 'required' });
    const key =
      request.correlationKey === undefined || request.correlationKey === null
        ? undefined
        : String(request.correlationKey);
    const variables = request.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables))
      throw new AppError('RV_ERR_VALIDATION', { variables: 'must be an object' });
    const data = { message: name, ...(key !== undefined ? { correlationKey: key } : {}) };
    let suspended = false;
    for (const sub of await this.subscriptions().find('message', name, key)) {
      if (sub.instanceId === exclude) continue;
      const got = await this.deliver(sub, variables, actor, 'message.correlated', data);
      if (got === 'suspended') suspended = true;
      else if (got) return got;
    }
    // no instance waits: a message start event of a deployed process (its latest version)
    for (const d of await this.host.listDefinitions()) {
      const def = await this.host.definition(d.key, d.version);
      const start = this.catalog(def).starts.find((s) => s.kind === 'message' && s.name === name);
      if (!start) continue;
      const started = await this.host.start(
        { key: d.key, version: d.version, ...(key !== undefined ? { businessKey: key } : {}), variables },
        actor,
      );
      const wait = started.waiting.find((w) => w.elementId === start.elementId);
      if (!wait) return started;
      const got = await this.deliver(
        { instanceId: started.id, elementId: start.elementId, executionId: wait.executionId },
        {},
        actor,
        'message.correlated',
        { ...data, start: true },
      );
      if (got && got !== 'suspended') return got;
      return started;
    }
    if (suspended) throw new AppError('RV_ERR_INSTANCE_SUSPENDED', { message: name });
    throw new AppError('RV_ERR_MESSAGE_NOT_CORRELATED', data);
  }

  /** Delivers a signal to every instance waiting for it (suspended ones excluded); returns how many waits. */
  async signal(name: string, variables: Record<string, unknown>, actor: Actor, exclude?: string) {
    const signalName = typeof name === 'string' ? name.trim() : '';
    if (!signalName) throw new AppError('RV_ERR_VALIDATION', { name: 'required' });
    const vars = variables ?? {};
    if (typeof vars !== 'object' || Array.isArray(vars))
      throw new AppError('RV_ERR_VALIDATION', { variables: 'must be an object' });
    const byInstance = new Map<string, SubscriptionRecord[]>();
    for (const s of await this.subscriptions().find('signal', signalName)) {
      if (s.instanceId === exclude) continue;
      byInstance.set(s.instanceId, [...(byInstance.get(s.instanceId) ?? []), s]);
    }
    const counts = await Promise.all(
      [...byInstance].map(([instanceId, subs]) =>
        this.host
          .run(instanceId, actor, async (live) => {
            if (live.rec.status === 'completed' || live.rec.status === 'cancelled')
              await this.subscriptions().remove(subs.map((x) => x.id));
            if (live.rec.status !== 'running') return 0;
            await this.host.ensureEngine(live);
            const catches = this.catalog(live.def).catches;
            const open = subs.filter((s) => live.waits.has(s.executionId) && catches.has(s.elementId));
            if (live.engineError || !open.length) {
              await this.host.stopEngine(live);
              return 0;
            }
            try {
              if (Object.keys(vars).length) this.host.assignVariables(live, vars);
              // one delegated signal reaches every catch of that signal in the instance
              for (const refId of new Set(open.map((s) => catches.get(s.elementId)!.refId)))
                live.execution!.signal({ id: refId });
            } catch (err) {
              live.engineError ??= { message: errorText(err), elementId: open[0]!.elementId };
            }
            await this.host.commit(live, {
              actor,
              command: 'signal.received',
              engineRan: true,
              elementId: open[0]!.elementId,
              data: { signal: signalName, delivered: open.length },
            });
            return open.length;
          })
          .catch((err) => {
            if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return 1;
            if (isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND')) return 0;
            throw err;
          }),
      ),
    );
    return { delivered: counts.reduce((a, b) => a + b, 0) };
  }

  /** Startup: delivers what a crash left in the outbox; drops entries whose checkpoint never landed. */
  private async sweepOutbox(): Promise<void> {
    const store = this.outboxStore();
    if (!store) return;
    for (const e of await store.all()) {
      const sender = await this.host.stores.instances.get(e.from);
      if (!sender || sender.rev < e.rev) await store.remove([e.id]);
      else await this.send(e);
    }
  }

  /** A message or signal thrown inside a process, sent once its checkpoint is durable (at least once). */
  private async send(o: OutboxEntry): Promise<void> {
    try {
      if (o.kind === 'signal') await this.signal(o.name, {}, SYSTEM_ACTOR, o.from);
      else
        await this.correlateMessage(
          { name: o.name, ...(o.correlationKey !== undefined ? { correlationKey: o.correlationKey } : {}) },
          SYSTEM_ACTOR,
          o.from,
        );
    } catch (err) {
      if (this.closed || isAppError(err, 'RV_ERR_RUNTIME_CLOSED')) return; // kept for the next start
      log.warn('thrown message not delivered', {
        from: o.from,
        kind: o.kind,
        name: o.name,
        error: errorText(err),
      });
    }
    await this.outboxStore()?.remove([o.id]);
  }

  // ───────────────────────────── call activities ─────────────────────────────

  private async startChild(live: L, call: PendingCall): Promise<void> {
    const childId = childInstanceId(live.rec.id, call.executionId);
    await this.host.settledFor(childId);
    const existing = await this.host.stores.instances.get(childId);
    if (existing) {
      // recovered parent: the child was started before; if it already ended, its result is due now
      if (existing.status === 'completed') void this.returnToParent(existing);
      return;
    }
    const info = this.catalog(live.def).calls.get(call.elementId);
    const key = call.calledElement || info?.calledElement;
    if (!key) throw new Error(`${call.elementId}: no calledElement`);
    const variables = pick(this.host.variables(live), info?.inputs);
    await this.host.start(
      {
        key,
        variables,
        ...(live.rec.businessKey ? { businessKey: live.rec.businessKey } : {}),
        // the child belongs where its parent does (instance search by directorate and province)
        ...(live.rec.directorate ? { directorate: live.rec.directorate } : {}),
        ...(live.rec.province ? { province: live.rec.province } : {}),
      },
      SYSTEM_ACTOR,
      { id: childId, parentId: live.rec.id },
    );
  }

  /** A called child completed: its output variables go back and the parent's call activity completes. */
  private async returnToParent(child: InstanceRecord): Promise<void> {
    const parentId = child.parentId!;
    const executionId = child.id.slice(parentId.length + 1);
    try {
      await this.host.run(parentId, SYSTEM_ACTOR, async (live) => {
        if (live.rec.status !== 'running') return;
        await this.host.ensureEngine(live);
        const wait = live.waits.get(executionId);
        if (live.engineError || !wait) return;
        const info = this.catalog(live.def).calls.get(wait.elementId);
        try {
          this.host.assignVariables(live, pick(child.variables, info?.outputs ?? []));
          live.execution!.signal({ id: wait.elementId, executionId });
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: wait.elementId };
        }
        await this.host.commit(live, {
          actor: SYSTEM_ACTOR,
          command: 'call.completed',
          engineRan: true,
          elementId: wait.elementId,
          data: { childId: child.id },
        });
      });
    } catch (err) {
      if (!isAppError(err, 'RV_ERR_INCIDENT_RAISED'))
        log.warn('returning to the parent instance failed', {
          parentId,
          childId: child.id,
          error: errorText(err),
        });
    }
  }

  // ───────────────────────────── migration ─────────────────────────────

  /**
   * Moves a running (or suspended) instance to another version of its definition when every element it waits
   * in exists there; else RV_ERR_MIGRATION_STRANDS naming the missing ids. The checkpointed state (stored
   * without its source) is recovered with the new version's sourceContext.
   */
  async migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary> {
    if (!Number.isInteger(toVersion) || toVersion < 1)
      throw new AppError('RV_ERR_VALIDATION', { toVersion: 'must be a positive integer' });
    return this.host.run(instanceId, actor, async (live) => {
      const prev = live.rec;
      if (prev.status !== 'running' && prev.status !== 'suspended')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: prev.status });
      const fromVersion = prev.version;
      const target = await this.host.definition(prev.key, toVersion);
      if (toVersion === fromVersion) return this.host.summary(prev);
      const ids = new Set([
        ...prev.waiting.map((w) => w.elementId),
        ...prev.jobs.map((j) => j.elementId),
        ...prev.openTasks.map((t) => t.elementId),
      ]);
      const available = this.catalog(target).elementIds;
      const missing = [...ids].filter((id) => !available.has(id)).sort();
      if (missing.length)
        throw new AppError('RV_ERR_MIGRATION_STRANDS', { instanceId, fromVersion, toVersion, missing });
      await this.host.stopEngine(live);
      live.def = target;
      live.rec = {
        ...prev,
        definitionId: target.record.id,
        version: target.record.version,
        openTasks: prev.openTasks.map((t) => ({ ...t, definitionVersion: target.record.version })),
      };
      await this.host.ensureEngine(live);
      await this.host.commit(live, {
        actor,
        command: 'instance.migrated',
        engineRan: true,
        data: { fromVersion, toVersion },
      });
      // the checkpoint keeps open task records as they were; their version changed (after the checkpoint's
      // own task records, which would otherwise land over these)
      await this.host.settledFor(live.rec.id);
      await this.host.stores.tasks.upsert(live.rec.openTasks);
      const summary = this.host.summary(live.rec);
      this.host.emit('instance.migrated', { instance: summary, fromVersion });
      return summary;
    });
  }
}

/** The listener payload bpmn-engine passes (an activity api). */
export interface ApiView {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown>;
  environment?: { variables?: Record<string, unknown> };
  owner?: { behaviour?: Record<string, unknown>; environment?: { variables?: Record<string, unknown> } };
}
