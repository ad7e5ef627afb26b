/**
 * The engine's contract with the rest of Ravand (HTTP, sockets, seed, tests).
 * The engine never imports express, mongoose or socket.io; `server/main.ts` wires concrete stores in.
 */

export type * from '../../schemas/records.js';
import type {
  Role,
  InstanceStatus,
  ElementInfo,
  DefinitionSummary,
  DeployResult,
  Incident,
  InstanceSummary,
  TaskRecord,
  TaskHistoryRecord,
  AuditEvent,
  Page,
  InstanceSort,
  MigrationImpact,
} from '../../schemas/records.js';
import type { ProcessModelInfo } from './process-attributes.js';

/** Who asks for a command: a signed-in user or the system (timers, recovery, seed). */
export interface Actor {
  id: string;
  /** Group ids, e.g. `plan-policy`, `province-kab`. */
  groups: string[];
  roles: Role[];
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', groups: [], roles: ['admin'] as Role[] });

/** The instance search: answered by the instance index (`InstanceIndex.search` in projections/instance-index.ts). */
export interface InstanceFilter {
  key?: string;
  version?: number;
  /** One status or any of several. */
  status?: InstanceStatus | InstanceStatus[];
  businessKey?: string;
  /**
   * Free text, any case: the reference, the starter's id, a `title` variable, or the process name (either
   * language: the caller resolves names to keys in `textKeys`).
   */
  q?: string;
  /** Process keys whose name (fa or en) contains `q`, resolved by the caller. */
  textKeys?: string[];
  startedBy?: string;
  directorate?: string;
  province?: string;
  startedAfter?: string;
  startedBefore?: string;
  endedAfter?: string;
  endedBefore?: string;
  parentId?: string;
  sort?: InstanceSort;
  skip?: number;
  limit?: number;
}

export interface TaskFilter {
  /** Only tasks this actor may see (assignee, candidate user, candidate group); omit for all. */
  visibleTo?: Actor;
  assignee?: string | null;
  candidateGroup?: string;
  unclaimed?: boolean;
  overdueAt?: string;
  key?: string;
  instanceId?: string;
  /** Text in the task or process name (either language), business key or process key; any case. */
  text?: string;
  /** Due at or before this time (ISO); tasks without a due date are left out. */
  dueBy?: string;
  minPriority?: number;
  /** Only tasks of these elements (model ids). */
  elementIds?: string[];
  /** Leave these task ids out (the four-eyes rule's barred tasks, worked out by the caller). */
  excludeIds?: string[];
  sort?: 'dueAt' | '-dueAt' | 'priority' | '-priority' | 'createdAt' | '-createdAt';
  skip?: number;
  limit?: number;
}

/** Runtime events, emitted only after the write behind them is durable. */
export interface RuntimeEvents {
  'definition.deployed': { definition: DefinitionSummary };
  'instance.started': { instance: InstanceSummary };
  'instance.waiting': { instance: InstanceSummary };
  'instance.completed': { instance: InstanceSummary };
  'instance.failed': { instance: InstanceSummary; incident: Incident };
  'instance.cancelled': { instance: InstanceSummary };
  'instance.suspended': { instance: InstanceSummary };
  'instance.resumed': { instance: InstanceSummary };
  'instance.migrated': { instance: InstanceSummary; fromVersion: number };
  'task.created': { task: TaskRecord };
  'task.claimed': { task: TaskRecord; by: string };
  'task.unclaimed': { task: TaskRecord; by: string };
  'task.assigned': { task: TaskRecord; by: string };
  'task.completed': { task: TaskHistoryRecord };
  'task.cancelled': { task: TaskHistoryRecord };
  'incident.raised': { instance: InstanceSummary; incident: Incident };
  'incident.resolved': { instance: InstanceSummary };
}

export type RuntimeEventName = keyof RuntimeEvents;

/** What a named service task receives; services are plain async functions registered by name. */
export interface ServiceContext {
  /** Stable across a crash and a re-run: key idempotent side effects on it. */
  executionId: string;
  instanceId: string;
  elementId: string;
  businessKey?: string;
  variables: Readonly<Record<string, unknown>>;
  /** The engine clock (tests control it). */
  now(): Date;
  /** Next value of a named durable counter (e.g. letter numbers per Solar Hijri year). */
  nextSequence(name: string): Promise<number>;
}

/**
 * A registered service: returns variables to merge into the instance. Throw an Error with a `code`
 * matching a boundary errorEventDefinition's errorCode to raise a BPMN error; anything else is an incident.
 */
export type ServiceHandler = (ctx: ServiceContext) => Promise<Record<string, unknown> | void>;

export interface StartRequest {
  key: string;
  /** Latest when omitted. */
  version?: number;
  businessKey?: string;
  variables?: Record<string, unknown>;
  /** The instance's owning directorate and province (worked out by the caller, see InstanceSummary). */
  directorate?: string;
  province?: string;
}

export interface MessageRequest {
  name: string;
  /** Matched against the business key, or the variable the catch event names as its correlation key. */
  correlationKey?: string;
  variables?: Record<string, unknown>;
}

/** Typed subscribe side of the runtime event bus. */
export interface RuntimeEventSource {
  on<E extends RuntimeEventName>(event: E, listener: (payload: RuntimeEvents[E]) => void): void;
  off<E extends RuntimeEventName>(event: E, listener: (payload: RuntimeEvents[E]) => void): void;
}

/**
 * The facade the HTTP layer, sockets, seed and tests use. Every command runs through the instance's serial
 * queue and resolves after its checkpoint is durable; failures are AppErrors with catalogue codes.
 */
export interface WorkflowRuntime {
  readonly events: RuntimeEventSource;
  /** Resolves once tasks, task history and audit entries of every command so far are written (for reads). */
  settled(): Promise<void>;

  // definitions
  /** Deploys a BPMN file; `forms` (form key → JSON Schema) are checked and stored with the new version. */
  deploy(xml: string, actor: Actor, forms?: Record<string, Record<string, unknown>>): Promise<DeployResult>;
  /** Same checks as deploy, nothing stored; throws the same AppErrors. */
  validate(
    xml: string,
    forms?: Record<string, Record<string, unknown>>,
  ): Promise<{ key: string; elements: ElementInfo[] }>;
  /** The forms stored with one definition version (empty when it carried none). */
  definitionForms(key: string, version: number): Promise<Record<string, Record<string, unknown>>>;
  listDefinitions(): Promise<DefinitionSummary[]>;
  listVersions(key: string): Promise<DefinitionSummary[]>;
  getDefinitionXml(key: string, version: number): Promise<string>;
  /** What Ravand reads from a version's model (attributes, task offers, start events), compiled once per version. */
  getProcessModel(key: string, version: number): Promise<ProcessModelInfo>;

  // instances
  /** Runs to the first waits; an engine or service failure on the way gives status `failed` with an incident. */
  start(request: StartRequest, actor: Actor): Promise<InstanceSummary>;
  getInstance(id: string): Promise<InstanceSummary>;
  listInstances(filter: InstanceFilter): Promise<Page<InstanceSummary>>;
  cancel(instanceId: string, reason: string, actor: Actor): Promise<InstanceSummary>;
  suspend(instanceId: string, actor: Actor): Promise<InstanceSummary>;
  resume(instanceId: string, actor: Actor): Promise<InstanceSummary>;
  /** Resumes a `failed` instance from its last checkpoint (a failed service is called again); RV_ERR_NO_INCIDENT otherwise. */
  retry(instanceId: string, actor: Actor): Promise<InstanceSummary>;
  migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary>;
  /** The process's running instances and whether each could migrate to a model with these element ids. */
  migrationImpact(key: string, elementIds: ReadonlySet<string>): Promise<MigrationImpact>;

  // tasks
  getTask(taskId: string): Promise<TaskRecord>;
  listTasks(filter: TaskFilter): Promise<Page<TaskRecord>>;
  claimTask(taskId: string, actor: Actor): Promise<TaskRecord>;
  unclaimTask(taskId: string, actor: Actor): Promise<TaskRecord>;
  assignTask(taskId: string, assignee: string | null, actor: Actor): Promise<TaskRecord>;
  /**
   * Validates `data` against the task's form (422 RV_ERR_FORM_INVALID), merges it into the variables and moves
   * the instance on. RV_ERR_TASK_NOT_OPEN when it was completed meanwhile; RV_ERR_INCIDENT_RAISED when the
   * engine failed on the way (the instance is rolled back to its last checkpoint and marked failed).
   */
  completeTask(taskId: string, data: Record<string, unknown>, actor: Actor): Promise<TaskHistoryRecord>;
  taskHistory(instanceId: string): Promise<TaskHistoryRecord[]>;

  // messages and signals
  correlateMessage(request: MessageRequest, actor: Actor): Promise<InstanceSummary>;
  signal(name: string, variables: Record<string, unknown>, actor: Actor): Promise<{ delivered: number }>;

  // audit
  auditTrail(instanceId: string): Promise<AuditEvent[]>;
  /** Appends entries that no command drafted (a document upload with its SHA-256) to the hash chain. */
  recordAudit(drafts: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>[]): Promise<AuditEvent[]>;
  verifyAudit(): Promise<{ ok: boolean; checked: number; brokenAt?: number }>;

  /** Resume instances that must move (in-flight services, due timers); waiting instances stay on disk. */
  recover(): Promise<void>;
  /** Drain queues, stop engines and schedulers. */
  close(): Promise<void>;
}
