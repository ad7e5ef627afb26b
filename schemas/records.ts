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
  /** Starters, start form, reference pattern, owner, four-eyes rules (records deployed before these existed lack it). */
  attributes?: ProcessAttributes;
  /** Keys of the forms deployed with this version (they win over the repository's forms of the same key). */
  formKeys?: string[];
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
  /** The owning directorate: the process's `owner-group`, else the starter's directorate or unit (group id). */
  directorate?: string;
  /** Province code: the start variable `province`, else the starter's provincial office. */
  province?: string;
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
  /** Four-eyes: the element ids whose performer may not do this task (from the model). */
  separateFrom?: string[];
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

/** What a person reads beside an audit entry's ids: its instance's reference and process, its step's name. */
export interface AuditLabels {
  /** The instance's business reference (`POL-1405-001`). */
  reference?: string;
  processKey?: string;
  processName?: I18nText;
  stepName?: I18nText;
}

/** An audit entry as the auditor's desk reads it (`GET /api/audit`). */
export type AuditEntryView = AuditEvent & AuditLabels;

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
  brokenEntry?: { seq: number; at: string; actor: string; type: string; instanceId?: string } & AuditLabels;
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
}

// ───────────────────────────── capabilities, start page, search, four-eyes ─────────────────────────────

/** What the signed-in user can do; the client builds its navigation from it (`GET /api/me` → `capabilities`). */
export interface Capabilities {
  /** May start at least one deployed process (the start page, `GET /api/startable`). */
  canStart: boolean;
  /** Is offered work: a candidate group/user of a user task of a deployed process, or has open tasks (inbox). */
  hasInbox: boolean;
  /** Opens the modeller (managers, admin). */
  canModel: boolean;
  /** Sees the dashboard (leadership, managers, admin). */
  canDashboard: boolean;
  /** Opens the auditor's desk (auditors, admin). */
  canAudit: boolean;
  /** Searches every instance (managers, leadership, auditors, admin). */
  canSearch: boolean;
}

/**
 * The process-level attributes Ravand reads from a model (parsed at deploy, shown on the definition):
 * `camunda:candidateStarterGroups` / `camunda:candidateStarterUsers` on the process, the start event's
 * `camunda:formKey`, and the process's camunda properties `reference-pattern` and `owner-group`.
 */
export interface ProcessAttributes {
  /** Groups whose members may start it; with `starterUsers` empty too, every working role may. */
  starterGroups: string[];
  starterUsers: string[];
  /** The start form (`schemas/forms/<startFormKey>.json`), validated on `POST /api/instances`. */
  startFormKey?: string;
  /**
   * The business reference made when a start gives none, e.g. `POL-{year}-###`: `{year}` is the Solar Hijri
   * year of the start, `###` the per-process per-year counter padded to that many digits (`POL-1405-007`).
   */
  referencePattern?: string;
  /** The directorate that owns the process (an instance's `directorate`); else the starter's. */
  ownerGroup?: string;
  /**
   * Four-eyes rules: user task id → the element ids whose performer may not do it (a user task's completer,
   * or the start event's id for whoever started the instance). From `<camunda:property name="separate-from"
   * value="draft-policy review-x" />` on the user task (space or comma separated).
   */
  separateFrom: Record<string, string[]>;
}

/** One process the user may start, for the start page. */
export interface StartableProcess {
  /** `<key>:<version>` of the latest version. */
  definitionId: string;
  key: string;
  version: number;
  name: I18nText;
  /** The start form's key and JSON Schema (absent: the process starts without a form). */
  startFormKey?: string;
  startForm?: Record<string, unknown>;
  referencePattern?: string;
  /** The pattern with this year filled in and `#` left for the counter, e.g. `POL-1405-###`. */
  referencePreview?: string;
}

/** What `POST /api/instances` returns: the instance, and its first open task when it is offered to the starter. */
export type StartResult = InstanceSummary & { firstTaskId?: string };

/** A short link to another instance (parent ↔ child of a call activity). */
export interface InstanceLink {
  id: string;
  key: string;
  version: number;
  name: I18nText;
  businessKey?: string;
  status: InstanceStatus;
}

/** A comment on an instance, written on one of its tasks or on the instance itself. */
export interface CommentView {
  id: string;
  instanceId: string;
  /** The task it was written on (absent: on the instance); `taskName` in both languages. */
  taskId?: string;
  taskName?: I18nText;
  author: string;
  authorName: I18nText;
  text: string;
  at: string;
}

/** One result of a bulk instance action: each instance succeeds or fails on its own. */
export interface BulkInstanceResult {
  results: {
    instanceId: string;
    ok: boolean;
    instance?: InstanceSummary;
    error?: { code: string; message: I18nText; details?: unknown };
  }[];
  succeeded: number;
  failed: number;
}

/** Instance list sort keys (`-` for descending). */
export type InstanceSort =
  'startedAt' | '-startedAt' | 'endedAt' | '-endedAt' | 'businessKey' | '-businessKey';

/** What a new model of a process means for its running instances (`POST /api/definitions/impact`). */
export interface MigrationImpact {
  key: string;
  /** Running and suspended instances of the process (any version). */
  running: number;
  /** Of those, how many wait only in elements the new model keeps. */
  migratable: number;
  items: Array<{
    id: string;
    businessKey?: string;
    version: number;
    status: InstanceStatus;
    waitingAt: string[];
    canMigrate: boolean;
    /** Elements it waits in that the new model lacks. */
    missing: string[];
  }>;
}
