/**
 * The records the server hands out and the client shows: one definition for the engine, the HTTP layer, the
 * socket events and the web client (schemas import nothing from server/ or client/).
 */

export type Role = 'admin' | 'manager' | 'staff' | 'leadership' | 'auditor';

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

/**
 * The inbox's text search, the same on the server (over every open task) and in the client (over tasks that
 * arrive live): whether the task's or its process's name (either language), its reference or its process key
 * contains `needle`, a lower-case trimmed text (`searchNeedle`).
 */
export function taskHasText(task: TaskRecord, needle: string): boolean {
  const fields = [
    task.name.fa,
    task.name.en,
    task.processName?.fa,
    task.processName?.en,
    task.businessKey,
    task.definitionKey,
  ];
  return fields.some((f) => f?.toLowerCase().includes(needle));
}

/** What a search text is compared as: trimmed, lower case; empty means no search. */
export function searchNeedle(text: string | undefined): string {
  return (text ?? '').trim().toLowerCase();
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

/** The audit chain's verification: incremental from a verified checkpoint, or a full re-verification job. */
export interface AuditVerification {
  /** False once a broken link or hash was found (then `brokenAt`, and `brokenEntry` when the entry exists). */
  ok: boolean;
  /** Entries checked by the job this answer reports on. */
  checked: number;
  /** Entries in the chain now (its last seq). */
  total: number;
  /** Every entry with seq up to this one is verified (the checkpoint). */
  verifiedUpTo: number;
  verifiedAt?: string;
  /** A verification is still going on in the background. */
  running: boolean;
  mode: 'incremental' | 'full';
  /** 0..1 of the job in `mode` (1 when done). */
  progress: number;
  startedAt?: string;
  brokenAt?: number;
  brokenEntry?: { seq: number; at: string; actor: string; type: string; instanceId?: string };
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
}
