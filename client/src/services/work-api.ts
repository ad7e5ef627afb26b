import type { I18nText } from '../i18n/i18n.js';
import { api, ApiError } from './api.js';
import type { AuditEvent, InstanceSummary, Page } from './types.js';

type Query = Record<string, string | number | boolean | undefined | null>;

/** A process the signed-in user may start, with its start form (GET /api/startable). */
export interface StartableProcess {
  definitionId: string;
  key: string;
  version: number;
  name: I18nText;
  /** The start event's `camunda:formKey` and its JSON Schema. */
  startFormKey?: string;
  startForm?: Record<string, unknown>;
  /** The reference pattern (`POL-{year}-###`) when the server makes the business key. */
  referencePattern?: string;
  /** The pattern with this year filled in, e.g. `POL-1405-###`. */
  referencePreview?: string;
}

/** What POST /api/instances answers: the instance, and its first task when that is offered to the starter. */
export type StartResult = InstanceSummary & { firstTaskId?: string };

/** One row of a bulk instance action. */
export interface InstanceBulkResult {
  instanceId: string;
  ok: boolean;
  instance?: InstanceSummary;
  error?: { code: string; message: I18nText };
}

/** A short link to another instance (parent ↔ child of a call activity). */
export interface InstanceLink {
  id: string;
  key: string;
  version: number;
  name: I18nText;
  businessKey?: string;
  status: InstanceSummary['status'];
}

/** A comment of an instance, written on one of its tasks or on the instance itself. */
export interface CommentView {
  id: string;
  instanceId: string;
  taskId?: string;
  taskName?: I18nText;
  author: string;
  authorName: I18nText;
  text: string;
  at: string;
}

/** The audit chain's verification (perf-reads: GET/POST /api/audit/verify); older servers answer less. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  total?: number;
  /** Every entry with seq <= this is verified. */
  verifiedUpTo?: number;
  verifiedAt?: string;
  running?: boolean;
  mode?: 'incremental' | 'full';
  /** 0..1 of the running job. */
  progress?: number;
  brokenAt?: number;
  brokenEntry?: { seq: number; at: string; actor: string; type: string; instanceId?: string };
}

/** The routes of the role views (start page, instance search, auditor's desk, instance comments). */
export const workApi = {
  startable() {
    return api.request<{ items: StartableProcess[] }>('GET', '/api/startable').then((r) => r.items);
  },
  start(body: { key: string; version?: number; businessKey?: string; variables: Record<string, unknown> }) {
    return api.request<StartResult>('POST', '/api/instances', { body });
  },
  searchInstances(query: Query) {
    return api.request<Page<InstanceSummary>>('GET', '/api/instances', { query });
  },
  bulkInstances(
    action: 'cancel' | 'suspend' | 'resume' | 'retry' | 'migrate',
    ids: string[],
    extra: { reason?: string; toVersion?: number } = {},
  ) {
    return api.request<{ results: InstanceBulkResult[]; succeeded: number; failed: number }>(
      'POST',
      `/api/instances/bulk/${action}`,
      {
        body: { instanceIds: ids, ...extra },
      },
    );
  },
  instanceComments(instanceId: string) {
    return api
      .request<{ items: CommentView[] }>('GET', `/api/instances/${encodeURIComponent(instanceId)}/comments`)
      .then((r) => r.items);
  },
  addInstanceComment(instanceId: string, text: string, taskId?: string) {
    return api.request<CommentView>('POST', `/api/instances/${encodeURIComponent(instanceId)}/comments`, {
      body: taskId ? { text, taskId } : { text },
    });
  },
  auditSearch(query: Query) {
    return api.request<Page<AuditEvent>>('GET', '/api/audit', { query });
  },
  auditCsvUrl(query: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return `/api/audit/export.csv${qs ? `?${qs}` : ''}`;
  },
  verifyStatus() {
    return api.request<AuditVerification>('GET', '/api/audit/verify');
  },
  /** Starts a full re-verification; a server without the background job verifies on GET instead. */
  async startVerification(): Promise<AuditVerification> {
    try {
      return await api.request<AuditVerification>('POST', '/api/audit/verify', { body: {} });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return this.verifyStatus();
      throw err;
    }
  },
};
