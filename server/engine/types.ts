/**
 * The engine's contract with the rest of Ravand (HTTP, sockets, seed, tests).
 * The engine never imports express, mongoose or socket.io; `server/main.ts` wires concrete stores in.
 */

export type Role = 'admin' | 'manager' | 'staff' | 'leadership' | 'auditor';

/** Who asks for a command: a signed-in user or the system (timers, recovery, seed). */
export interface Actor {
  id: string;
  /** Group ids, e.g. `plan-policy`, `province-kab`. */
  groups: string[];
  roles: Role[];
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', groups: [], roles: ['admin'] as Role[] });

/** A label in both product languages. */
export interface I18nText {
  fa: string;
  en: string;
}

export type InstanceStatus = 'running' | 'suspended' | 'failed' | 'completed' | 'cancelled';

export interface ElementInfo {
  id: string;
  type: string;
  name: I18nText;
}

export interface DefinitionSummary {
  /** `<key>:<version>` */
  id: string;
  /** The executable process id, e.g. `policy-approval`. */
  key: string;
  version: number;
  name: I18nText;
  hash: string;
  deployedAt: string;
  deployedBy: string;
  /** Flow nodes with readable names (for dashboards, heatmaps, migration checks). */
  elements: ElementInfo[];
}

export interface DeployResult {
  definition: DefinitionSummary;
  /** False when byte-identical XML was deployed before (the existing version is returned). */
  created: boolean;
}

export interface WaitingElement {
  elementId: string;
  executionId: string;
  type: string;
}

export interface Incident {
  elementId: string;
  executionId?: string;
  message: string;
  code?: string;
  at: string;
}

export interface InstanceSummary {
  id: string;
  definitionId: string;
  key: string;
  version: number;
  businessKey?: string;
  status: InstanceStatus;
  variables: Record<string, unknown>;
  waiting: WaitingElement[];
  incident?: Incident;
  startedAt: string;
  startedBy: string;
  endedAt?: string;
  cancelReason?: string;
  /** Parent instance when started by a call activity. */
  parentId?: string;
}

export interface TaskRecord {
  id: string;
  instanceId: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey?: string;
  elementId: string;
  executionId: string;
  name: I18nText;
  processName: I18nText;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  dueAt?: string;
  followUpAt?: string;
  priority: number;
  formKey?: string;
  createdAt: string;
  claimedAt?: string;
}

export interface TaskHistoryRecord extends TaskRecord {
  outcome: 'completed' | 'cancelled';
  endedAt: string;
  endedBy: string;
  data?: Record<string, unknown>;
}

/** One entry of the hash-chained audit trail. */
export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  type: string;
  instanceId?: string;
  elementId?: string;
  taskId?: string;
  data?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface InstanceFilter {
  key?: string;
  version?: number;
  status?: InstanceStatus;
  businessKey?: string;
  startedAfter?: string;
  startedBefore?: string;
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
}

export interface MessageRequest {
  name: string;
  /** Matched against the business key, or the variable the catch event names as its correlation key. */
  correlationKey?: string;
  variables?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
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

  // definitions
  deploy(xml: string, actor: Actor): Promise<DeployResult>;
  /** Same checks as deploy, nothing stored; throws the same AppErrors. */
  validate(xml: string): Promise<{ key: string; elements: ElementInfo[] }>;
  listDefinitions(): Promise<DefinitionSummary[]>;
  listVersions(key: string): Promise<DefinitionSummary[]>;
  getDefinitionXml(key: string, version: number): Promise<string>;

  // instances
  start(request: StartRequest, actor: Actor): Promise<InstanceSummary>;
  getInstance(id: string): Promise<InstanceSummary>;
  listInstances(filter: InstanceFilter): Promise<Page<InstanceSummary>>;
  cancel(instanceId: string, reason: string, actor: Actor): Promise<InstanceSummary>;
  suspend(instanceId: string, actor: Actor): Promise<InstanceSummary>;
  resume(instanceId: string, actor: Actor): Promise<InstanceSummary>;
  retry(instanceId: string, actor: Actor): Promise<InstanceSummary>;
  migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary>;

  // tasks
  getTask(taskId: string): Promise<TaskRecord>;
  listTasks(filter: TaskFilter): Promise<Page<TaskRecord>>;
  claimTask(taskId: string, actor: Actor): Promise<TaskRecord>;
  unclaimTask(taskId: string, actor: Actor): Promise<TaskRecord>;
  assignTask(taskId: string, assignee: string | null, actor: Actor): Promise<TaskRecord>;
  completeTask(taskId: string, data: Record<string, unknown>, actor: Actor): Promise<TaskHistoryRecord>;
  taskHistory(instanceId: string): Promise<TaskHistoryRecord[]>;

  // messages and signals
  correlateMessage(request: MessageRequest, actor: Actor): Promise<InstanceSummary>;
  signal(name: string, variables: Record<string, unknown>, actor: Actor): Promise<{ delivered: number }>;

  // audit
  auditTrail(instanceId: string): Promise<AuditEvent[]>;
  verifyAudit(): Promise<{ ok: boolean; checked: number; brokenAt?: number }>;

  /** Resume instances that must move (in-flight services, due timers); waiting instances stay on disk. */
  recover(): Promise<void>;
  /** Drain queues, stop engines and schedulers. */
  close(): Promise<void>;
}
