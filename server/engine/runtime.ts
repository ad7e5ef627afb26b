import path from 'node:path';
import { AppError } from '../app-error.js';
import { log } from '../logger.js';
import { projectRoot } from '../project-root.js';
import { AuditWriter, verifyAuditChain, type AuditDraft } from './audit-chain.js';
import { createCalendar, type WorkingCalendar } from './calendar.js';
import { CheckpointBatcher } from './checkpoint-batcher.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { systemClock, type Clock } from './clock.js';
import { Committer } from './committer.js';
import { Definitions, type DeployedForms } from './definitions.js';
import { EngineFactory } from './engine-factory.js';
import { errorText } from './error-text.js';
import { EventBus } from './event-bus.js';
import { createExpressions, type FeelFunctionMap } from './expressions.js';
import { feelFunctions } from './feel-functions.js';
import { FormRegistry } from './forms.js';
import { RuntimeHooks } from './hooks.js';
import { InstanceCommands } from './instance-commands.js';
import { InstanceQueue } from './instance-queue.js';
import type { Live } from './live.js';
import type { ProcessModelInfo } from './process-attributes.js';
import { LiveEngines } from './live-engines.js';
import { Recovery } from './recovery.js';
import { ServiceCalls } from './service-calls.js';
import { ServiceRegistry } from './service-registry.js';
import type { InstanceRecord, RuntimeStores } from './stores.js';
import { TaskAttributes } from './task-attributes.js';
import { TaskCommands } from './task-commands.js';
import type {
  Actor,
  AuditEvent,
  DefinitionSummary,
  DeployResult,
  ElementInfo,
  InstanceFilter,
  InstanceSummary,
  MessageRequest,
  MigrationImpact,
  Page,
  ServiceHandler,
  StartRequest,
  TaskFilter,
  TaskHistoryRecord,
  TaskRecord,
  WorkflowRuntime,
} from './types.js';
import { CallActivities } from './features/call-activities.js';
import type { FeatureContext } from './features/feature-context.js';
import { FlowCatalogs } from './features/flow-catalogs.js';
import { Messaging } from './features/messaging.js';
import { Migration } from './features/migration.js';
import { MultiInstance } from './features/multi-instance.js';
import { Timers } from './features/timers.js';

export type { Clock } from './clock.js';

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
  /**
   * Live engines kept in memory (LRU); the rest wait on disk and are restored by the next command (3–4 ms).
   * Default 8: an engine that stays a second or two (100 kept while 100 a second pass through) is promoted to
   * the old generation and dies there, the most expensive way for the collector (see `TimerPrewarmer`);
   * one evicted soon after its command dies young. Engines with a service call in flight, or warmed for a
   * timer, stay beyond the limit.
   */
  maxLiveEngines?: number;
  /** How far ahead of its due time a timer's engine is restored (`TimerPrewarmer`); default 150 ms. */
  timerLookaheadMs?: number;
  /** How long a command waits for the services it started before checkpointing them as in flight. */
  serviceWaitMs?: number;
}

/**
 * The persistent workflow runtime, a façade over the core (definitions, live engines, service calls,
 * checkpoint, commands, recovery) and the features that plug into it through its hook bus (timers, messaging,
 * call activities, multi-instance, migration). One bpmn-engine per instance, a serial queue per instance, one
 * version-guarded checkpoint per command, then the materialised tasks and jobs, the audit trail, then events.
 */
export class EngineRuntime implements WorkflowRuntime {
  readonly events: EventBus = new EventBus();
  readonly forms: FormRegistry;
  readonly services: ServiceRegistry;
  /** Where features register (see `hooks.ts`). */
  readonly hooks = new RuntimeHooks();
  private readonly stores: RuntimeStores;
  private readonly queue = new InstanceQueue();
  private readonly audit: AuditWriter;
  private readonly batcher: CheckpointBatcher;
  private readonly definitions: Definitions;
  private readonly engines: LiveEngines;
  private readonly writer: CheckpointWriter;
  private readonly instances: InstanceCommands;
  private readonly tasks: TaskCommands;
  private readonly recovery: Recovery;
  private readonly timers: Timers;
  private readonly messaging: Messaging;
  private readonly migration: Migration;
  private closed = false;
  private handOversHeld = false;

  constructor(options: RuntimeOptions) {
    const stores = (this.stores = options.stores);
    const clock = options.clock ?? systemClock;
    const { queue, events, hooks } = this;
    this.services =
      options.services instanceof ServiceRegistry
        ? options.services
        : new ServiceRegistry(options.services ?? {});
    this.forms = new FormRegistry(options.formsDir ?? path.join(projectRoot(), 'schemas', 'forms'));
    const calendar = options.calendar ?? createCalendar({ holidays: options.holidays ?? [] });
    const fns = (options.feelFunctions ?? ((n: () => Date) => feelFunctions(calendar, n)))(() => clock.now());
    const feel = () => fns;
    const expressions = createExpressions(feel);
    const audit = (this.audit = new AuditWriter(stores.audit));
    const batcher = (this.batcher = new CheckpointBatcher(stores.checkpoints, audit));
    const assertOpen = () => this.assertOpen();

    const definitions: Definitions = (this.definitions = new Definitions({
      stores,
      services: this.services,
      forms: this.forms,
      feelFunctions: feel,
      queue,
      audit,
      events,
      clock,
      markRunning: (): Promise<void> => writer.markRunning(),
    }));
    const taskAttributes = new TaskAttributes({ feelFunctions: feel, expressions, clock });
    const serviceCalls: ServiceCalls = new ServiceCalls({
      stores,
      services: this.services,
      clock,
      queue,
      serviceWaitMs: options.serviceWaitMs ?? 2000,
      isClosed: () => this.closed,
      liveOf: (id): Live | undefined => engines.get(id),
      commit: (live, ctx): Promise<void> => committer.commit(live, ctx),
      assignVariables: (live, vars) => engines.assignVariables(live, vars),
    });
    const factory: EngineFactory = new EngineFactory({
      clock,
      expressions,
      taskAttributes,
      serviceCalls,
      hooks,
    });
    const engines: LiveEngines = (this.engines = new LiveEngines({
      stores,
      queue,
      definitions,
      factory,
      maxLive: options.maxLiveEngines ?? 8,
      assertOpen,
      settledFor: (id) => batcher.settledFor(id),
      auditPending: (id) => writer.isAuditPending(id),
    }));
    const writer: CheckpointWriter = (this.writer = new CheckpointWriter({
      stores,
      audit,
      batcher,
      engines,
      hooks,
      clock,
    }));
    const committer: Committer = new Committer({ engines, serviceCalls, writer, hooks, events, clock });
    const core = { stores, queue, batcher, definitions, engines, committer, writer, hooks, events, clock };
    this.instances = new InstanceCommands({ ...core, assertOpen });
    this.tasks = new TaskCommands({ ...core, forms: this.forms });
    this.recovery = new Recovery({ stores, audit, writer, engines, committer, hooks });

    // features: each registers on the hooks; the order is the order their handlers run in
    const context: FeatureContext = {
      ...core,
      instances: this.instances,
      catalogs: new FlowCatalogs(),
      taskAttributes,
      settledFor: (id) => batcher.settledFor(id),
      handOversOpen: () => !this.closed && !this.handOversHeld,
    };
    this.timers = new Timers(context, { lookaheadMs: options.timerLookaheadMs });
    new MultiInstance(context);
    // before messaging: a child that fails to start rolls the command back, and its throws with it
    new CallActivities(context);
    this.messaging = new Messaging(context);
    this.migration = new Migration(context);
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('RV_ERR_RUNTIME_CLOSED');
  }

  // definitions

  validate(xml: string, forms?: DeployedForms): Promise<{ key: string; elements: ElementInfo[] }> {
    return this.definitions.validate(xml, forms);
  }

  /** Deploys a BPMN file, with the forms it carries (form key → JSON Schema) stored with the new version. */
  deploy(xml: string, actor: Actor, forms?: DeployedForms): Promise<DeployResult> {
    this.assertOpen();
    return this.definitions.deploy(xml, actor, forms);
  }

  /**
   * Per file, the latest version of its process when the file is byte for byte what it was deployed from
   * (nothing compiled), else undefined; one read of the latest versions.
   */
  unchangedDefinitions(files: { key: string; xml: string }[]): Promise<(DeployResult | undefined)[]> {
    this.assertOpen();
    return this.definitions.unchanged(files);
  }

  /** The forms stored with one definition version (they win over the repository's for its instances). */
  definitionForms(key: string, version: number): Promise<DeployedForms> {
    return this.definitions.forms(key, version);
  }

  listDefinitions(): Promise<DefinitionSummary[]> {
    return this.definitions.list();
  }

  listVersions(key: string): Promise<DefinitionSummary[]> {
    return this.definitions.versions(key);
  }

  getDefinitionXml(key: string, version: number): Promise<string> {
    return this.definitions.xml(key, version);
  }

  async getProcessModel(key: string, version: number): Promise<ProcessModelInfo> {
    return (await this.definitions.get(key, version)).compiled.model;
  }

  // instances

  start(request: StartRequest, actor: Actor): Promise<InstanceSummary> {
    return this.instances.start(request, actor);
  }

  getInstance(id: string): Promise<InstanceSummary> {
    return this.instances.get(id);
  }

  listInstances(filter: InstanceFilter): Promise<Page<InstanceSummary>> {
    return this.instances.list(filter);
  }

  cancel(instanceId: string, reason: string, actor: Actor): Promise<InstanceSummary> {
    return this.instances.cancel(instanceId, reason, actor);
  }

  suspend(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.instances.suspend(instanceId, actor);
  }

  resume(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.instances.resume(instanceId, actor);
  }

  retry(instanceId: string, actor: Actor): Promise<InstanceSummary> {
    return this.instances.retry(instanceId, actor);
  }

  migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary> {
    this.assertOpen();
    return this.migration.migrate(instanceId, toVersion, actor);
  }

  migrationImpact(key: string, elementIds: ReadonlySet<string>): Promise<MigrationImpact> {
    return this.migration.impact(key, elementIds);
  }

  // tasks

  getTask(taskId: string): Promise<TaskRecord> {
    return this.tasks.get(taskId);
  }

  listTasks(filter: TaskFilter): Promise<Page<TaskRecord>> {
    return this.tasks.list(filter);
  }

  taskHistory(instanceId: string): Promise<TaskHistoryRecord[]> {
    return this.tasks.history(instanceId);
  }

  claimTask(taskId: string, actor: Actor): Promise<TaskRecord> {
    return this.tasks.claim(taskId, actor);
  }

  unclaimTask(taskId: string, actor: Actor): Promise<TaskRecord> {
    return this.tasks.unclaim(taskId, actor);
  }

  assignTask(taskId: string, assignee: string | null, actor: Actor): Promise<TaskRecord> {
    return this.tasks.assign(taskId, assignee, actor);
  }

  completeTask(taskId: string, data: Record<string, unknown>, actor: Actor): Promise<TaskHistoryRecord> {
    return this.tasks.complete(taskId, data, actor);
  }

  // messages and signals

  correlateMessage(request: MessageRequest, actor: Actor): Promise<InstanceSummary> {
    this.assertOpen();
    return this.messaging.correlateMessage(request, actor);
  }

  signal(name: string, variables: Record<string, unknown>, actor: Actor): Promise<{ delivered: number }> {
    this.assertOpen();
    return this.messaging.signal(name, variables, actor);
  }

  // audit

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

  // lifecycle

  /** Startup recovery (see `recovery.ts`), then the features start (timers, outbox, parents of ended children). */
  recover(): Promise<void> {
    this.assertOpen();
    return this.recovery.recover();
  }

  /** The durable timer scheduler (tests poke it after moving the clock). */
  get scheduler() {
    return this.timers.scheduler;
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
    await this.writer.jobsSettled();
  }

  /**
   * Test seam for crash specs: from now on thrown messages and a completed child's result are not handed over
   * (as when the process dies right after a checkpoint); the next runtime on the database delivers them.
   */
  holdHandOvers(): void {
    this.handOversHeld = true;
  }

  /**
   * Test seam for crash specs in one process: stops as if killed right after its last durable write. Timers
   * stop, queued work and the records behind it are written, engines dropped, hand-overs held; no clean
   * shutdown is recorded, so the next runtime on the database recovers as after a crash. Without it the
   * abandoned runtime would go on writing behind, a second writer of the audit chain beside the new one.
   */
  async abandon(): Promise<void> {
    this.handOversHeld = true;
    this.closed = true;
    await this.hooks.run('runtime.close', {});
    await this.idle();
    await this.engines.stopAll();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.hooks.run('runtime.close', {});
    await this.queue.drain();
    await this.batcher.close();
    await this.audit.flush();
    await this.writer.jobsSettled();
    // services still in flight (detached from their command) are called again at the next start
    const resume = this.engines
      .values()
      .filter((l) => l.calls.size > 0)
      .map((l) => l.rec.id);
    await this.engines.stopAll();
    await this.appendPendingAudit();
    if (this.batcher.lost) {
      log.warn('derived records of the last checkpoints are missing; the next start rebuilds them');
      return;
    }
    const instances = this.writer.auditPendingIds.length;
    const definitions = this.definitions.auditPendingCount;
    if (instances || definitions) {
      log.warn('audit entries may be missing; the next start appends them', { instances, definitions });
      return;
    }
    await this.stores.meta
      .set({ clean: true, resume })
      .catch((err) => log.warn('could not record the clean shutdown', { error: errorText(err) }));
  }

  /** At close: the entries of failed appends once more from the checkpoints, else the next start repairs them. */
  private async appendPendingAudit(): Promise<void> {
    const pending = this.writer.auditPendingIds;
    if (pending.length)
      try {
        const recs: InstanceRecord[] = [];
        for (const id of pending) {
          const rec = (await this.stores.instances.ended(id)) ?? (await this.stores.instances.get(id));
          if (rec) recs.push(rec);
        }
        await this.audit.appendMissing(recs);
        // the active copies of the ones that ended go only now (they are where the next start looks)
        for (const rec of recs)
          if (rec.status === 'completed' || rec.status === 'cancelled')
            await this.stores.instances.removeActive(rec.id);
        this.writer.clearAuditPending();
      } catch (err) {
        log.error('could not append the audit entries of failed writes', { error: errorText(err) });
      }
    if (this.definitions.auditPendingCount)
      await this.definitions
        .appendPendingAudit()
        .catch((err: unknown) =>
          log.error('could not append the audit entries of deployments', { error: errorText(err) }),
        );
  }

  /** Live engines in memory (for tests and metrics). */
  get liveCount(): number {
    return this.engines.size;
  }

  /** Engines pinned in memory by the timer pre-warmer (for tests and metrics). */
  get warmedCount(): number {
    return this.engines.pinnedCount;
  }
}
