/**
 * The Socket.IO wire contract, shared by server and client. Every server → client event carries `seq`, a
 * monotonically increasing number: a reconnecting client catches up with `GET /api/events?after=<seq>`.
 * Events are emitted only after the write behind them is durable.
 */
import type {
  CommentView,
  DefinitionSummary,
  Incident,
  InstanceSummary,
  TaskHistoryRecord,
  TaskRecord,
} from './records.js';
import type { DocumentRecord, DocumentVersion } from './documents.js';
import type { NotificationItem } from './notifications.js';

export type { Incident, InstanceSummary, TaskHistoryRecord, TaskRecord };

/** What the dashboards read (also the body of `GET /api/metrics`). */
export interface Metrics {
  at: string;
  period: { from: string; to: string };
  instances: { key: string; status: InstanceSummary['status']; count: number }[];
  tasksByGroup: { group: string; open: number; overdue: number }[];
  tasksByProvince: { province: string; open: number; overdue: number }[];
  sla: { openOverdue: number; completedLate: number; completedOnTime: number };
  cycleTime: { key: string; completed: number; averageMs: number }[];
  waitingTokens: { key: string; version: number; elementId: string; count: number }[];
  /** Tasks (with a due date) completed in the period on time or late, and instances ended in it with no late task. */
  slaByProcess: {
    key: string;
    tasksOnTime: number;
    tasksLate: number;
    instancesWithin: number;
    instancesLate: number;
  }[];
  /** Tasks with a due date completed in the period, by the directorate groups they were offered to. */
  slaByDirectorate: { group: string; onTime: number; late: number }[];
  /** The same by province (of the provincial groups they were offered to). */
  slaByProvince: { province: string; onTime: number; late: number }[];
  /** Instances started and ended per week over the 52 weeks up to the period's end (oldest first). */
  weekly: { weekStart: string; started: number; ended: number }[];
  /** Cycle time of the instances completed in the period, per process (nearest-rank percentiles). */
  cycleTimePercentiles: { key: string; completed: number; p50Ms: number; p90Ms: number; p95Ms: number }[];
  /** Time from a user task's creation to its completion, per process and element, for tasks completed in the period. */
  elementDurations: { key: string; elementId: string; count: number; averageMs: number; p90Ms: number }[];
}

interface Sequenced {
  seq: number;
  /** ISO instant the event was logged. */
  at: string;
}

export interface TaskCreatedEvent extends Sequenced {
  task: TaskRecord;
}
export interface TaskUpdatedEvent extends Sequenced {
  task: TaskRecord;
  change: 'claimed' | 'unclaimed' | 'assigned';
  by: string;
}
export interface TaskCompletedEvent extends Sequenced {
  /** `outcome` tells a completed task from one cancelled with its instance. */
  task: TaskHistoryRecord;
}
export interface InstanceUpdatedEvent extends Sequenced {
  instance: InstanceSummary;
  change:
    | 'started'
    | 'waiting'
    | 'completed'
    | 'failed'
    | 'cancelled'
    | 'suspended'
    | 'resumed'
    | 'migrated'
    | 'incident-resolved';
}
export interface IncidentRaisedEvent extends Sequenced {
  instance: InstanceSummary;
  incident: Incident;
}
export interface DirectoryChangedEvent extends Sequenced {
  what: 'users' | 'groups';
}
export interface MetricsUpdatedEvent extends Sequenced {
  metrics: Metrics;
}
export interface DefinitionDeployedEvent extends Sequenced {
  definition: DefinitionSummary;
}
/** A comment was added to an instance (sent to the instance's room). */
export interface CommentAddedEvent extends Sequenced {
  comment: CommentView;
}

/** A document or a new version of one was stored (to the instance's room). */
export interface DocumentAddedEvent extends Sequenced {
  document: DocumentRecord;
  version: DocumentVersion;
}

/** A notification for the user (to `user:<id>`), with their bell's unread count after it. */
export interface NotificationAddedEvent extends Sequenced {
  item: NotificationItem;
  unread: number;
}

/** Server → client events. */
export interface ServerToClientEvents {
  'task:created': (event: TaskCreatedEvent) => void;
  'task:updated': (event: TaskUpdatedEvent) => void;
  'task:completed': (event: TaskCompletedEvent) => void;
  'instance:updated': (event: InstanceUpdatedEvent) => void;
  'incident:raised': (event: IncidentRaisedEvent) => void;
  'metrics:updated': (event: MetricsUpdatedEvent) => void;
  'comment:added': (event: CommentAddedEvent) => void;
  /** Accounts or groups changed: clients reload `GET /api/directory` (names shown for codes). */
  'directory:changed': (event: DirectoryChangedEvent) => void;
  'document:added': (event: DocumentAddedEvent) => void;
  'notification:added': (event: NotificationAddedEvent) => void;
}

export type WireEventName = keyof ServerToClientEvents;
export type WireEvent<E extends WireEventName> = Parameters<ServerToClientEvents[E]>[0];

/** The answer to a subscribe request. */
export type SubscribeAck = { ok: true } | { ok: false; code: string };

/** Client → server events. */
export interface ClientToServerEvents {
  /** Join `instance:<id>`; allowed only when the user may read that instance. */
  'instance:subscribe': (instanceId: string, ack: (result: SubscribeAck) => void) => void;
  'instance:unsubscribe': (instanceId: string) => void;
}

/** What the server keeps on each socket. */
export interface SocketData {
  userId: string;
  sessionId: string;
}

/** Room names, in one place for server, log and tests. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  group: (id: string) => `group:${id}`,
  instance: (id: string) => `instance:${id}`,
  dashboard: 'dashboard',
} as const;
