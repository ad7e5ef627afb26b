/**
 * Wire shapes the client reads. They mirror the engine records (server/engine/types.ts) and the API contract;
 * fields the server may add are tolerated, fields it may omit are optional.
 */
import type { I18nText } from '../i18n/i18n.js';

export type Role = 'admin' | 'manager' | 'staff' | 'leadership' | 'auditor';
export type InstanceStatus = 'running' | 'suspended' | 'failed' | 'completed' | 'cancelled';

export interface Me {
  id: string;
  username?: string;
  displayName?: I18nText;
  name?: I18nText;
  roles: Role[];
  groups: string[];
  language: 'fa' | 'en';
}

export interface ElementInfo {
  id: string;
  type: string;
  name: I18nText;
}

export interface DefinitionSummary {
  id: string;
  key: string;
  version: number;
  name: I18nText;
  hash?: string;
  deployedAt: string;
  deployedBy: string;
  elements?: ElementInfo[];
}

export interface WaitingElement {
  elementId: string;
  executionId: string;
  type: string;
}

export interface Incident {
  elementId: string;
  message: string;
  code?: string;
  at: string;
}

export interface TaskRecord {
  id: string;
  instanceId: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey?: string;
  elementId: string;
  executionId?: string;
  name: I18nText;
  processName: I18nText;
  assignee?: string | null;
  candidateGroups: string[];
  candidateUsers?: string[];
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

export interface InstanceSummary {
  id: string;
  definitionId?: string;
  key: string;
  version: number;
  businessKey?: string;
  status: InstanceStatus;
  variables: Record<string, unknown>;
  waiting?: WaitingElement[];
  incident?: Incident;
  startedAt: string;
  startedBy: string;
  endedAt?: string;
}

export interface AuditEntry {
  seq?: number;
  at: string;
  actor: string;
  type: string;
  elementId?: string;
  taskId?: string;
  data?: Record<string, unknown>;
}

/** GET /api/instances/:id: the summary plus what the detail view needs. */
export interface InstanceDetail extends InstanceSummary {
  openTasks?: TaskRecord[];
  tasks?: TaskRecord[];
  /** Waiting tokens per element id. */
  tokens?: Record<string, number>;
  history?: Array<TaskHistoryRecord | AuditEntry>;
  taskHistory?: TaskHistoryRecord[];
  audit?: AuditEntry[];
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
}

/** A field error of a rejected form (422 RV_ERR_FORM_INVALID, details.errors). */
export interface FieldError {
  field: string;
  keyword: string;
  message: I18nText;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  error?: { code: string; message: I18nText };
}
