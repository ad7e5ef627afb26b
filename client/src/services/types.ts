/**
 * Wire shapes the client reads: the records and events of schemas/ (shared with the server), plus the
 * answers of a few routes (schemas/api/routes.ts).
 */
import type { I18nText } from '../i18n/i18n.js';
import type {
  Incident,
  InstanceSummary,
  Metrics,
  TaskHistoryRecord,
  TaskRecord,
} from '../../../schemas/events.js';
import type {
  AuditEntryView,
  AuditEvent,
  Capabilities,
  DefinitionSummary,
  ElementInfo,
  Page,
  Role,
} from '../../../schemas/records.js';

export type {
  AuditEntryView,
  AuditEvent,
  DefinitionSummary,
  ElementInfo,
  Incident,
  InstanceSummary,
  Metrics,
  Page,
  Role,
};
export type { TaskHistoryRecord, TaskRecord };
export type InstanceStatus = InstanceSummary['status'];

export interface Group {
  id: string;
  name: I18nText;
  kind: string;
  province?: string;
}

/** GET /api/me */
export interface Me {
  id: string;
  name: I18nText;
  roles: Role[];
  groups: Array<Group | string>;
  language: 'fa' | 'en';
  /** What the user can do, decided by the server from roles, groups and the deployed processes. */
  capabilities: Capabilities;
}

/** GET /api/instances/:id */
export interface InstanceDetail {
  instance: InstanceSummary;
  openTasks: TaskRecord[];
  tokens: Array<{ elementId: string; count: number }>;
  history: TaskHistoryRecord[];
}

/** A comment on a task. */
export interface TaskComment {
  id: string;
  taskId: string;
  instanceId?: string;
  author: string;
  text: string;
  at: string;
}

/** One item of a bulk answer. */
export interface BulkItemResult {
  taskId: string;
  ok: boolean;
  error?: { code: string; message: I18nText };
}

export interface BulkResult {
  results: BulkItemResult[];
  succeeded: number;
  failed: number;
}

/** One replayed event of GET /api/events. */
export interface LoggedEvent {
  seq: number;
  event: string;
  at: string;
  payload: Record<string, unknown>;
}
